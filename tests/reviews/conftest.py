"""Helpers that build review-flow states through the real services."""

import itertools

import pytest

from applicants import services as applicant_services
from applicants.enums import ApplicationStatus
from applicants.models import Application
from programs.enums import ProgramRole
from reviews import services
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CohortFactory,
    CriterionFactory,
    ProgramMembershipFactory,
    QuestionFactory,
    StartupFactory,
    StartupMemberFactory,
    UserFactory,
)

_counter = itertools.count(1)


def make_reviewer(program, *, email: str | None = None):
    """A reviewer of ``program`` with an e-mail domain of their own, so that no
    conflict is detected unless a test wants one."""
    n = next(_counter)
    user = UserFactory(email=email or f"reviewer{n}@firm{n}.test", full_name=f"Reviewer {n}")
    ProgramMembershipFactory(program=program, user=user, role=ProgramRole.REVIEWER)
    return user


def make_manager(program):
    n = next(_counter)
    user = UserFactory(email=f"manager{n}@programs{n}.test", full_name=f"Manager {n}")
    ProgramMembershipFactory(program=program, user=user, role=ProgramRole.MANAGER)
    return user


def make_submitted(cohort, *, name: str | None = None, founder=None):
    """A submitted application of a startup whose founder has a domain of its own."""
    n = next(_counter)
    startup = StartupFactory(name=name or f"Startup {n}", website=f"https://startup{n}.test")
    founder = founder or UserFactory(email=f"founder{n}@startup{n}.test", full_name=f"Founder Person{n}")
    StartupMemberFactory(startup=startup, user=founder)
    application = ApplicationFactory(startup=startup, cohort=cohort)
    applicant_services.application_submit(application=application, user=founder)
    application.refresh_from_db()
    return application


def make_in_review(cohort, **kwargs):
    application = make_submitted(cohort, **kwargs)
    applicant_services.application_transition(
        application=application, to_status=ApplicationStatus.IN_REVIEW, actor=None, reason="test"
    )
    return application


def founder_of(application):
    return application.startup.memberships.select_related("user").first().user


def submit_review(assignment, scores: dict, recommendation: str = "yes"):
    return services.review_submit(
        assignment=assignment,
        reviewer=assignment.reviewer,
        scores=scores,
        comment="Solid team.",
        recommendation=recommendation,
    )


@pytest.fixture
def cohort():
    return CohortFactory(capacity=5, program__reviewers_per_application=3)


@pytest.fixture
def criterion(cohort):
    return CriterionFactory(program=cohort.program, scale_min=1, scale_max=10)


@pytest.fixture
def blind_assignment(cohort):
    reviewer, manager = make_reviewer(cohort.program), make_manager(cohort.program)
    cohort.program.blind_review = True
    cohort.program.save()
    QuestionFactory(cohort=cohort, key="summary", kind="long_text")
    QuestionFactory(cohort=cohort, key="contact", kind="email")
    QuestionFactory(cohort=cohort, key="demo", kind="url")
    QuestionFactory(cohort=cohort, key="pitch_deck", kind="file")
    founder = UserFactory(email="ceo@zephyrlabs.test", full_name="Zelda Quartermain")
    startup_name = "Zephyr Labs"
    application = make_submitted(cohort, name=startup_name, founder=founder)
    application.startup.description = "Zephyr Labs builds agents. Ask Zelda Quartermain."
    application.startup.website = "https://www.zephyrlabs.test"
    application.startup.save()
    Application.objects.filter(pk=application.pk).update(
        answers={
            "summary": "At Zephyr Labs we (see www.zephyrlabs.test) ship agents.",
            "contact": "ceo@zephyrlabs.test",
            "demo": "https://www.zephyrlabs.test/demo",
        }
    )
    AttachmentFactory(application=application, question_key="pitch_deck", original_name="ZephyrLabs-deck.pdf")
    return services.assignment_create(application=application, reviewer=reviewer, actor=manager)


# Everything that would tell a blind reviewer who the startup is.
IDENTITY = ["Zephyr", "zephyrlabs", "Zelda", "Quartermain", "ceo@", "ZephyrLabs-deck"]

# The same identity written as people write it, beside words that must survive.
DISGUISED_SUMMARY = (
    "ZephyrLabs (or zephyr-labs, ZEPHYR_LABS) was started by Quartermain; Zelda runs zephyrlabs.test. "
    "We ship agents to Adams & Co."
)


def disguise_answers(assignment) -> None:
    Application.objects.filter(pk=assignment.application_id).update(answers={"summary": DISGUISED_SUMMARY})
