"""Builders shared by the portal's page tests."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from applicants import services
from applicants.enums import ApplicationStatus, MemberRole
from programs.enums import QuestionKind, RuleOperator
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    EligibilityRuleFactory,
    QuestionFactory,
    StartupMemberFactory,
    UserFactory,
)
from tests.factories.applicants import PDF_BYTES

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 32


def member_of(startup, *, role=MemberRole.OWNER, **user_fields):
    return StartupMemberFactory(startup=startup, role=role, user=UserFactory(**user_fields)).user


def llama_form(cohort):
    """A round's form with one question of every kind, and the program's rules."""
    questions = [
        QuestionFactory(
            cohort=cohort,
            key="builds_with_llama",
            label="Are you building with Llama models?",
            kind=QuestionKind.YES_NO,
            required=True,
            order=1,
        ),
        QuestionFactory(
            cohort=cohort,
            key="summary",
            label="What are you building?",
            kind=QuestionKind.LONG_TEXT,
            required=True,
            order=2,
        ),
        QuestionFactory(
            cohort=cohort, key="tagline", label="Your product in one line", kind=QuestionKind.SHORT_TEXT, order=3
        ),
        QuestionFactory(
            cohort=cohort, key="users", kind=QuestionKind.NUMBER, min_value=Decimal(0), order=4, label="Monthly users"
        ),
        QuestionFactory(
            cohort=cohort,
            key="use_case",
            label="Main use case",
            kind=QuestionKind.CHOICE,
            choices=["Code", "Agents"],
            required=True,
            order=5,
        ),
        QuestionFactory(
            cohort=cohort,
            key="models",
            kind=QuestionKind.MULTI_CHOICE,
            choices=["Llama 3.1 8B", "Llama 4 Scout"],
            order=6,
        ),
        QuestionFactory(cohort=cohort, key="demo_url", label="Link to a demo", kind=QuestionKind.URL, order=7),
        QuestionFactory(cohort=cohort, key="contact", kind=QuestionKind.EMAIL, order=8, label="Technical contact"),
        QuestionFactory(cohort=cohort, key="launch", label="Launch date", kind=QuestionKind.DATE, order=9),
        QuestionFactory(cohort=cohort, key="pitch_deck", kind=QuestionKind.FILE, order=10, label="Pitch deck"),
    ]
    EligibilityRuleFactory(program=cohort.program, order=1)
    EligibilityRuleFactory(
        program=cohort.program,
        field="answer.builds_with_llama",
        operator=RuleOperator.IS_TRUE,
        value=None,
        failure_message="The program is for startups building with Llama.",
        order=2,
    )
    return questions


def draft_with_form(**application_fields):
    """A draft on an open round with the full form, and an owner of its startup."""
    cohort = CohortFactory()
    llama_form(cohort)
    application = ApplicationFactory(cohort=cohort, **application_fields)
    owner = member_of(application.startup)
    return application, owner


COMPLETE_ANSWERS = {
    "builds_with_llama": "yes",
    "summary": "Code review with Llama.",
    "use_case": "Code",
}


def submit(application, user):
    return services.application_submit(application=application, user=user)


def move(application, *statuses, actor=None):
    for status in statuses:
        services.application_transition(application=application, to_status=status, actor=actor)
    return application


def pdf_upload(name="deck.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


__all__ = ["EXE_BYTES", "PDF_BYTES", "PNG_BYTES", "ApplicationStatus"]
