import datetime
from dataclasses import dataclass

import pytest

from accounts.models import User
from adoption.catalog import seed_catalog
from adoption.models import AIModel, ApiKey
from adoption.services import api_key_create
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup
from applicants.services import application_transition
from programs.models import Program
from reviews.signals import offer_accepted
from tests.factories import (
    ApplicationFactory,
    BenefitFactory,
    ProgramMembershipFactory,
    StartupMemberFactory,
    UserFactory,
)


def accept(
    application: Application,
    actor: User | None = None,
    *,
    send_offer: bool = True,
    decided_at: datetime.datetime | None = None,
) -> Application:
    """Drive an application to accepted through the real write path (decided
    at ``decided_at`` if given), then send ``offer_accepted`` as the decisions flow will."""
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
        application_transition(application=application, to_status=status, actor=actor)
    application_transition(
        application=application,
        to_status=ApplicationStatus.ACCEPTED,
        actor=actor,
        extra_fields={"decided_at": decided_at} if decided_at else None,
    )
    if send_offer:
        offer_accepted.send(sender=Application, application=application, actor=actor)
    return application


@dataclass
class Accepted:
    startup: Startup
    owner: User
    application: Application
    program: Program


def make_accepted(decided_at: datetime.datetime | None = None, **application_fields) -> Accepted:
    application = ApplicationFactory(**application_fields)
    owner = StartupMemberFactory(startup=application.startup).user
    accept(application, owner, decided_at=decided_at)
    return Accepted(application.startup, owner, application, application.cohort.program)


@pytest.fixture
def catalog(db) -> dict[str, AIModel]:
    seed_catalog(AIModel)
    return {model.slug: model for model in AIModel.objects.all()}


@pytest.fixture
def accepted(db) -> Accepted:
    return make_accepted()


@pytest.fixture
def other_accepted(db) -> Accepted:
    return make_accepted()


@pytest.fixture
def key_for():
    """A fresh API key of ``startup`` and its raw value, made by the real service."""

    def make(startup: Startup, name: str = "CI") -> tuple[ApiKey, str]:
        return api_key_create(startup=startup, user=None, name=name)

    return make


@pytest.fixture
def manager(accepted) -> User:
    return ProgramMembershipFactory(program=accepted.program, role="manager").user


@pytest.fixture
def stipend_program(db) -> Program:
    benefit = BenefitFactory()
    return benefit.program


@pytest.fixture
def stranger(db) -> User:
    return UserFactory()
