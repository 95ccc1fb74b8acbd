"""Writes for startups, members, invitations, applications and attachments.

Every status change goes through ``application_transition``.
"""

import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from applicants.answers import clean_answers, missing_required
from applicants.enums import TRANSITIONS, WITHDRAWABLE_STATUSES, ApplicationStatus, MemberRole
from applicants.models import (
    Application,
    ApplicationStatusChange,
    Attachment,
    Invitation,
    Startup,
    StartupMember,
)
from applicants.signals import application_status_changed, invitation_created
from applicants.uploads import detect_upload
from common.errors import ConflictError, DomainError, PermissionDeniedError
from common.fields import NOTE_TEXT, clip
from common.tokens import hash_token
from programs import eligibility
from programs.enums import QuestionKind
from programs.models import Cohort

STARTUP_FIELDS = (
    "name",
    "website",
    "description",
    "country",
    "incorporation_country",
    "founded_on",
    "total_funding_usd",
    "developer_count",
)


class ApplicationError(DomainError):
    pass


# --- Startups and members -------------------------------------------------


@transaction.atomic
def startup_create(*, user: User, **fields: Any) -> Startup:
    """Create a startup with ``user`` as its owner."""
    startup = Startup(created_by=user, **{name: fields[name] for name in STARTUP_FIELDS if name in fields})
    startup.full_clean()
    startup.save()
    StartupMember.objects.create(startup=startup, user=user, role=MemberRole.OWNER)
    return startup


def startup_update(*, startup: Startup, **fields: Any) -> Startup:
    changed = [name for name in STARTUP_FIELDS if name in fields]
    for name in changed:
        setattr(startup, name, fields[name])
    startup.full_clean()
    startup.save(update_fields=[*changed, "updated_at"])
    return startup


@transaction.atomic
def invitation_create(*, startup: Startup, invited_by: User, email: str, role: str = MemberRole.MEMBER) -> Invitation:
    """Invite ``email`` to the startup. The e-mail is queued by the listeners of
    ``invitation_created``, in this transaction; its link is built when it is
    sent (``Invitation.make_token``), as is the one the caller may show.
    """
    email = email.strip().lower()
    if startup.memberships.filter(user__email__iexact=email).exists():
        raise ConflictError("This person is already a member.", field="email")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                startup=startup,
                email=email,
                role=role,
                # The token derives from the id, which exists only once the row
                # does; this random stand-in is the hash of no token anyone has.
                token_hash=secrets.token_hex(32),
                invited_by=invited_by,
                expires_at=timezone.now() + datetime.timedelta(days=settings.RUNWAY_INVITATION_DAYS),
            )
    except IntegrityError:
        raise ConflictError("An invitation to this address is already waiting.", field="email") from None
    invitation.token_hash = hash_token(invitation.make_token())
    invitation.save(update_fields=["token_hash"])
    invitation_created.send(sender=Invitation, invitation=invitation)
    return invitation


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("startup").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> StartupMember:
    invitation = (
        Invitation.objects.select_for_update().select_related("startup").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_pending:
        raise DomainError("This invitation has expired, was revoked or was already used.", field="token")
    if invitation.email.lower() != user.email.lower():
        raise PermissionDeniedError(
            f"This invitation was sent to {invitation.email}; log in with that address to accept it.", field="token"
        )
    member, _ = StartupMember.objects.get_or_create(
        startup=invitation.startup, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def member_remove(*, member: StartupMember) -> None:
    """Remove a member; a startup always keeps at least one owner."""
    if member.role == MemberRole.OWNER:
        owners = StartupMember.objects.select_for_update().filter(startup_id=member.startup_id, role=MemberRole.OWNER)
        if owners.count() <= 1:
            raise ConflictError("A startup needs at least one owner.", field="member")
    member.delete()


# --- Applications ---------------------------------------------------------


def application_create(*, startup: Startup, cohort: Cohort, user: User) -> Application:
    """Start a draft. One application per startup and round, enforced by the database."""
    if not cohort.program.is_published:
        raise ApplicationError("This program is not open for applications.", field="cohort")
    if not cohort.is_open():
        raise ApplicationError("This round is not open for applications.", field="cohort")
    try:
        with transaction.atomic():
            return Application.objects.create(startup=startup, cohort=cohort, created_by=user)
    except IntegrityError:
        raise ConflictError("This startup has already applied to this round.", field="cohort") from None


def application_save_answers(*, application: Application, answers: Mapping[str, object]) -> Application:
    """Merge ``answers`` into a draft. All or nothing: on any invalid answer
    nothing changes and the error names each question."""
    if not application.is_editable:
        raise ConflictError("Only a draft can be changed.", field="status")
    cleaned, errors = clean_answers(application.cohort.questions.all(), answers)
    if errors:
        raise ApplicationError(errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise ConflictError("Only a draft can be changed.", field="status")
        merged = {**locked.answers, **cleaned}
        locked.answers = {key: value for key, value in merged.items() if value is not None}
        locked.save(update_fields=["answers", "updated_at"])
    application.answers = locked.answers
    application.updated_at = locked.updated_at
    return application


def application_missing_answers(application: Application) -> dict[str, list[str]]:
    """Errors for every required question the draft still leaves unanswered (no writes)."""
    questions = list(application.cohort.questions.all())
    attached = {attachment.question_key for attachment in application.attachments.all()}
    return missing_required(questions, application.answers, attached)


def application_eligibility_facts(application: Application) -> dict[str, object]:
    facts = application.startup.eligibility_facts()
    facts.update({f"answer.{key}": value for key, value in application.answers.items()})
    return facts


def application_check_eligibility(application: Application) -> eligibility.EligibilityResult:
    """The live outcome for the application as it stands (no writes)."""
    rules: list[eligibility.RuleLike] = list(application.cohort.program.eligibility_rules.all())
    return eligibility.evaluate(rules, application_eligibility_facts(application))


def application_transition(
    *,
    application: Application,
    to_status: str,
    actor: User | None,
    reason: str = "",
    expected_from: frozenset[str] | None = None,
    extra_fields: Mapping[str, object] | None = None,
) -> Application:
    """The one write path for an application's status.

    Locks the row, checks the move against ``TRANSITIONS`` (and, when given,
    that the current status is one of ``expected_from``), saves, writes the
    history row and tells listeners — all in one transaction.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        from_status = locked.status
        allowed = TRANSITIONS.get(from_status, frozenset())
        if to_status not in allowed or (expected_from is not None and from_status not in expected_from):
            raise ConflictError(
                f"An application that is {locked.get_status_display().lower()} "
                f"cannot become {ApplicationStatus(to_status).label.lower()}.",
                field="status",
            )
        now = timezone.now()
        locked.status = to_status
        update_fields = ["status", "updated_at"]
        if to_status == ApplicationStatus.SUBMITTED or (
            to_status == ApplicationStatus.INELIGIBLE and locked.submitted_at is None
        ):
            locked.submitted_at = now
            update_fields.append("submitted_at")
        if to_status in {ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED}:
            locked.decided_at = now
            update_fields.append("decided_at")
        for name, value in (extra_fields or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.save(update_fields=update_fields)
        ApplicationStatusChange.objects.create(
            application=locked, from_status=from_status, to_status=to_status, actor=actor, reason=reason, created_at=now
        )
        application_status_changed.send(
            sender=Application,
            application=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            reason=reason,
        )
    for name in ("status", "submitted_at", "decided_at", "updated_at", *(extra_fields or {})):
        setattr(application, name, getattr(locked, name))
    return application


def application_submit(*, application: Application, user: User) -> Application:
    """Submit a draft before its round closes.

    A required question left blank is an error and the draft stays as it is;
    a hard eligibility failure makes the application ineligible, with the
    reasons recorded; a soft one flags it for the managers.
    """
    cohort = application.cohort
    if application.status != ApplicationStatus.DRAFT:
        raise ConflictError(f"This application is already {application.get_status_display().lower()}.", field="status")
    if timezone.now() >= cohort.closes_at:
        raise ApplicationError(
            "The deadline for this round has passed; your draft is kept but can no longer be submitted.",
            field="cohort",
            code="deadline_passed",
        )
    if timezone.now() < cohort.opens_at:
        raise ApplicationError("This round is not open yet.", field="cohort")
    missing = application_missing_answers(application)
    if missing:
        raise ApplicationError(missing, code="incomplete")
    result = application_check_eligibility(application)
    fields = {"eligibility": result.as_dict(), "is_flagged": result.is_flagged}
    if result.is_eligible:
        return application_transition(
            application=application,
            to_status=ApplicationStatus.SUBMITTED,
            actor=user,
            expected_from=frozenset({ApplicationStatus.DRAFT}),
            extra_fields=fields,
        )
    return application_transition(
        application=application,
        to_status=ApplicationStatus.INELIGIBLE,
        actor=user,
        reason=clip("; ".join(outcome.message for outcome in result.hard_failures), NOTE_TEXT),
        expected_from=frozenset({ApplicationStatus.DRAFT}),
        extra_fields=fields,
    )


def application_withdraw(*, application: Application, user: User, reason: str = "") -> Application:
    """The startup withdraws. Once accepted it declines its offer instead, so
    that the place goes to the waitlist and no payment starts."""
    if application.status == ApplicationStatus.ACCEPTED:
        raise ConflictError("This application is accepted: to give up the place, decline the offer.", field="status")
    return application_transition(
        application=application,
        to_status=ApplicationStatus.WITHDRAWN,
        actor=user,
        reason=reason,
        expected_from=WITHDRAWABLE_STATUSES,
    )


# --- Attachments ----------------------------------------------------------


def attachment_upload(*, application: Application, question_key: str, uploaded: UploadedFile, user: User) -> Attachment:
    """Store a file answering a file question, replacing any earlier one.

    The content, not the name, decides the type: only PDF, PNG and JPEG up to
    ``RUNWAY_ATTACHMENT_MAX_BYTES`` are kept.
    """
    if not application.is_editable:
        raise ConflictError("Only a draft can be changed.", field="status")
    question = application.cohort.questions.filter(key=question_key).first()
    if question is None or question.kind != QuestionKind.FILE:
        raise ApplicationError("This round's form has no such file question.", field=question_key or "question")
    content_type = detect_upload(uploaded, field=question_key)
    original_name = uploaded.name or "upload"
    with transaction.atomic():
        previous = Attachment.objects.select_for_update().filter(application=application, question_key=question_key)
        old_files = [attachment.file.name for attachment in previous if attachment.file.name]
        previous.delete()
        attachment = Attachment(
            application=application,
            question_key=question_key,
            original_name=original_name[:255],
            content_type=content_type,
            size=uploaded.size or 0,
            uploaded_by=user,
        )
        attachment.file.save(original_name, uploaded, save=False)
        attachment.save()
        storage = attachment.file.storage
        transaction.on_commit(lambda: delete_stored_files(storage, old_files))
    return attachment


def attachment_delete(*, attachment: Attachment) -> None:
    if not attachment.application.is_editable:
        raise ConflictError("Only a draft can be changed.", field="status")
    names, storage = [attachment.file.name] if attachment.file.name else [], attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: delete_stored_files(storage, names))


def delete_stored_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def applications_start_review_for_closed_rounds(*, now: datetime.datetime | None = None) -> int:
    """Move every submitted application of a round that has closed into review.

    Safe to run any number of times: an application that moved meanwhile is skipped.
    """
    now = now or timezone.now()
    moved = 0
    pending = Application.objects.filter(status=ApplicationStatus.SUBMITTED, cohort__closes_at__lte=now)
    for application in pending.iterator():
        try:
            application_transition(
                application=application,
                to_status=ApplicationStatus.IN_REVIEW,
                actor=None,
                reason="The round closed.",
                expected_from=frozenset({ApplicationStatus.SUBMITTED}),
            )
        except ConflictError:
            continue
        moved += 1
    return moved
