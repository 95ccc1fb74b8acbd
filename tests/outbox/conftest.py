import pytest

from notifications.webhooks import EVENT_TYPES
from outbox import services
from programs.enums import ProgramRole
from tests.factories import ApplicationFactory, ProgramMembershipFactory, StartupMemberFactory, UserFactory
from tests.outbox.receiver import Receiver, running


@pytest.fixture
def receiver():
    with running(Receiver()) as live:
        yield live


@pytest.fixture
def member():
    return StartupMemberFactory(user=UserFactory(full_name="Fatima Founder"), startup__name="Acme Vision")


@pytest.fixture
def application(member):
    return ApplicationFactory(startup=member.startup, cohort__name="Spring 2026", cohort__program__name="Llama")


@pytest.fixture
def program(application):
    return application.cohort.program


@pytest.fixture
def manager(program):
    return ProgramMembershipFactory(program=program, role=ProgramRole.MANAGER, user__full_name="Maya Manager").user


def endpoint_for(program, url: str, events=None):
    """An endpoint and its secret, wanting every event unless told."""
    return services.endpoint_create(program_id=program.pk, url=url, events=list(events or EVENT_TYPES))
