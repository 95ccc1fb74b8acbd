import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from applicants import services
from applicants.enums import TRANSITIONS, ApplicationStatus, MemberRole
from applicants.models import Application, ApplicationStatusChange, Attachment, StartupMember
from common.errors import ConflictError, DomainError, PermissionDeniedError
from common.tokens import hash_token
from demo.programs import RULES
from programs.enums import QuestionKind
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    EligibilityRuleFactory,
    InvitationFactory,
    QuestionFactory,
    StartupMemberFactory,
    UserFactory,
)
from tests.factories.applicants import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return StartupMemberFactory()


@pytest.fixture
def draft(member):
    cohort = CohortFactory()
    QuestionFactory(cohort=cohort, key="summary", kind=QuestionKind.LONG_TEXT, required=True)
    QuestionFactory(cohort=cohort, key="deck", kind=QuestionKind.FILE)
    for rule in RULES:
        EligibilityRuleFactory(program=cohort.program, **rule)
    QuestionFactory(cohort=cohort, key="builds_with_llama", kind=QuestionKind.YES_NO, required=True)
    return ApplicationFactory(startup=member.startup, cohort=cohort)


def test_startup_create_makes_the_creator_its_owner():
    user = UserFactory()

    startup = services.startup_create(
        user=user, name="Acme", incorporation_country="US", total_funding_usd=0, developer_count=1
    )

    assert list(startup.memberships.values_list("user", "role")) == [(user.pk, MemberRole.OWNER)]


def test_application_create_twice_for_the_same_round_conflicts(draft, member):
    with pytest.raises(ConflictError, match="already applied"):
        services.application_create(startup=draft.startup, cohort=draft.cohort, user=member.user)

    assert Application.objects.filter(startup=draft.startup, cohort=draft.cohort).count() == 1


def test_application_create_in_a_closed_round_is_refused(member):
    cohort = CohortFactory(closes_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(DomainError, match="not open"):
        services.application_create(startup=member.startup, cohort=cohort, user=member.user)


def test_save_answers_invalid_keeps_what_was_saved(draft):
    services.application_save_answers(application=draft, answers={"summary": "We build with Llama."})

    with pytest.raises(DomainError) as error:
        services.application_save_answers(application=draft, answers={"summary": "new", "builds_with_llama": "perhaps"})

    assert error.value.as_dict() == {"builds_with_llama": ["Answer yes or no."]}
    draft.refresh_from_db()
    assert draft.answers == {"summary": "We build with Llama."}


def test_save_answers_blank_removes_an_answer(draft):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})

    services.application_save_answers(application=draft, answers={"summary": ""})

    draft.refresh_from_db()
    assert draft.answers == {"builds_with_llama": True}


def test_submit_eligible_draft_records_history_and_outcome(draft, member):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})

    services.application_submit(application=draft, user=member.user)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert draft.submitted_at is not None
    assert draft.eligibility["eligible"] is True
    change = draft.status_changes.get()
    assert (change.from_status, change.to_status, change.actor) == ("draft", "submitted", member.user)


def test_submit_hard_failure_makes_it_ineligible_with_reasons(draft, member):
    member.startup.total_funding_usd = 12_000_000
    member.startup.save()
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})

    services.application_submit(application=draft, user=member.user)

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.INELIGIBLE
    assert draft.status_changes.get().reason == RULES[1]["failure_message"]


def test_submit_incomplete_names_the_missing_questions(draft, member):
    with pytest.raises(DomainError) as error:
        services.application_submit(application=draft, user=member.user)

    assert set(error.value.as_dict()) == {"summary", "builds_with_llama"}
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_submit_after_the_deadline_keeps_the_draft(draft, member):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})
    draft.cohort.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    draft.cohort.save()

    with pytest.raises(DomainError, match="deadline for this round has passed"):
        services.application_submit(application=draft, user=member.user)

    draft.refresh_from_db()
    assert (draft.status, draft.answers["summary"]) == (ApplicationStatus.DRAFT, "x")


def test_submit_twice_conflicts_and_writes_one_history_row(draft, member):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})
    services.application_submit(application=draft, user=member.user)
    stale = Application.objects.get(pk=draft.pk)
    stale.status = ApplicationStatus.DRAFT  # what a second request read before the first committed

    with pytest.raises(ConflictError):
        services.application_transition(
            application=stale,
            to_status=ApplicationStatus.SUBMITTED,
            actor=member.user,
            expected_from=frozenset({ApplicationStatus.DRAFT}),
        )

    assert ApplicationStatusChange.objects.filter(application=draft).count() == 1


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(source, target) for source in ApplicationStatus.values for target in ApplicationStatus.values],
)
def test_transition_table_is_enforced(from_status, to_status):
    application = ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(status=from_status)
    application.refresh_from_db()
    allowed = to_status in TRANSITIONS[from_status]

    if allowed:
        services.application_transition(application=application, to_status=to_status, actor=None)
    else:
        with pytest.raises(ConflictError):
            services.application_transition(application=application, to_status=to_status, actor=None)

    application.refresh_from_db()
    assert application.status == (to_status if allowed else from_status)


def test_rolled_back_transition_leaves_no_history_and_no_status():
    application = ApplicationFactory()

    def change_then_fail() -> None:
        with transaction.atomic():
            services.application_transition(application=application, to_status=ApplicationStatus.SUBMITTED, actor=None)
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        change_then_fail()

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not ApplicationStatusChange.objects.filter(application=application).exists()


def test_withdraw_a_submitted_application(draft, member):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})
    services.application_submit(application=draft, user=member.user)

    services.application_withdraw(application=draft, user=member.user, reason="Joined another program")

    assert draft.status_changes.last().reason == "Joined another program"


def test_rounds_that_closed_move_submitted_applications_into_review(draft, member):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})
    services.application_submit(application=draft, user=member.user)
    open_one = ApplicationFactory()

    moved = services.applications_start_review_for_closed_rounds(now=draft.cohort.closes_at)

    draft.refresh_from_db()
    assert (moved, draft.status) == (1, ApplicationStatus.IN_REVIEW)
    assert open_one.status == ApplicationStatus.DRAFT


def test_attachment_upload_replaces_the_earlier_file(draft, member, django_capture_on_commit_callbacks):
    first = services.attachment_upload(
        application=draft, question_key="deck", uploaded=SimpleUploadedFile("deck.pdf", PDF_BYTES), user=member.user
    )
    storage, first_name = first.file.storage, first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        second = services.attachment_upload(
            application=draft,
            question_key="deck",
            uploaded=SimpleUploadedFile("deck-v2.pdf", PDF_BYTES),
            user=member.user,
        )

    assert list(Attachment.objects.filter(application=draft)) == [second]
    assert second.original_name == "deck-v2.pdf"
    assert not storage.exists(first_name)
    assert storage.exists(second.file.name)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deck.pdf", b"MZ\x90\x00 executable", "Upload a PDF, PNG or JPEG file."),
        ("deck.pdf", b"just some text", "Upload a PDF, PNG or JPEG file."),
        ("deck.exe", PDF_BYTES, "The file's name ends in .exe but it is a PDF."),
        ("deck.pdf", b"", "The file is empty."),
    ],
)
def test_attachment_content_is_checked(draft, member, name, content, message):
    with pytest.raises(DomainError) as error:
        services.attachment_upload(
            application=draft, question_key="deck", uploaded=SimpleUploadedFile(name, content), user=member.user
        )

    assert error.value.as_dict() == {"deck": [message]}


def test_attachment_over_the_size_limit_is_refused(draft, member, settings):
    settings.RUNWAY_ATTACHMENT_MAX_BYTES = 1024

    with pytest.raises(DomainError, match="larger than"):
        services.attachment_upload(
            application=draft,
            question_key="deck",
            uploaded=SimpleUploadedFile("deck.pdf", PDF_BYTES + b"0" * 2048),
            user=member.user,
        )


def test_invitation_create_stores_only_the_token_hash(member):
    invitation = services.invitation_create(startup=member.startup, invited_by=member.user, email="New@Example.com")

    invitation.refresh_from_db()
    assert invitation.email == "new@example.com"
    assert invitation.token_hash == hash_token(invitation.make_token())
    assert invitation.make_token() not in invitation.token_hash


def test_invitation_token_survives_a_secret_key_rotation_with_fallback(member, settings):
    invitation = services.invitation_create(startup=member.startup, invited_by=member.user, email="new@example.com")
    token = invitation.make_token()

    settings.SECRET_KEY_FALLBACKS, settings.SECRET_KEY = [settings.SECRET_KEY], "a-new-secret-" + "x" * 40

    assert invitation.current_token() == token


def test_invitation_accept_adds_the_member(member):
    InvitationFactory(startup=member.startup, email="new@example.com", token="t0")
    invitee = UserFactory(email="new@example.com")

    services.invitation_accept(token="t0", user=invitee)

    assert StartupMember.objects.filter(startup=member.startup, user=invitee, role=MemberRole.MEMBER).exists()


def test_invitation_for_someone_else_is_refused(member):
    InvitationFactory(startup=member.startup, email="right@example.com", token="t1")

    with pytest.raises(PermissionDeniedError, match=r"right@example\.com"):
        services.invitation_accept(token="t1", user=UserFactory(email="wrong@example.com"))


def test_expired_invitation_is_refused(member):
    InvitationFactory(startup=member.startup, email="late@example.com", token="t2", expires_at=timezone.now())

    with pytest.raises(DomainError, match="expired"):
        services.invitation_accept(token="t2", user=UserFactory(email="late@example.com"))


def test_second_open_invitation_to_the_same_address_conflicts(member):
    services.invitation_create(startup=member.startup, invited_by=member.user, email="twice@example.com")

    with pytest.raises(ConflictError, match="already waiting"):
        services.invitation_create(startup=member.startup, invited_by=member.user, email="Twice@example.com")


def test_the_last_owner_cannot_be_removed(member):
    with pytest.raises(ConflictError, match="at least one owner"):
        services.member_remove(member=member)


def test_an_accepted_application_cannot_be_withdrawn_only_its_offer_declined(draft, member):
    services.application_save_answers(application=draft, answers={"summary": "x", "builds_with_llama": True})
    services.application_submit(application=draft, user=member.user)
    for status in (ApplicationStatus.IN_REVIEW, ApplicationStatus.ACCEPTED):
        services.application_transition(application=draft, to_status=status, actor=None)

    with pytest.raises(ConflictError, match="decline the offer"):
        services.application_withdraw(application=draft, user=member.user)

    draft.refresh_from_db()
    assert (draft.status, draft.can_withdraw) == (ApplicationStatus.ACCEPTED, False)
