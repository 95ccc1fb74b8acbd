"""Writes for adoption: deployments, API keys, usage, check-ins, milestones and payments.

Each state machine has one write path: ``deployment_change_stage`` and
``disbursement_transition``.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from adoption import ingest as usage
from adoption.dates import add_months, month_end, month_start
from adoption.enums import (
    DEPLOYMENT_TRANSITIONS,
    DISBURSEMENT_TRANSITIONS,
    DeploymentStage,
    DisbursementStatus,
    Environment,
)
from adoption.metrics import clean_metrics
from adoption.models import (
    AIModel,
    ApiKey,
    CheckIn,
    Deployment,
    DeploymentStageChange,
    Disbursement,
    DisbursementStatusChange,
    Milestone,
    UsageMonthly,
)
from adoption.signals import checkin_due, payment_made
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup
from common.errors import ConflictError, DomainError
from programs.enums import BenefitKind

# Months of check-ins for a program that pays no monthly stipend.
DEFAULT_CHECKIN_MONTHS = 6
# A check-in for a month is due this many days after the month ends.
CHECKIN_GRACE_DAYS = 7
# Reminders go out this many days before a check-in is due.
CHECKIN_REMIND_DAYS_BEFORE = 3
# ``last_used_at`` is written at most this often per key.
API_KEY_TOUCH_SECONDS = 60


class AdoptionError(DomainError):
    pass


# --- Deployments ----------------------------------------------------------


def deployment_create(
    *,
    startup: Startup,
    user: User | None,
    model: AIModel,
    environment: str,
    use_case: str,
    started_on: datetime.date,
    cloud_provider: str = "",
) -> Deployment:
    if not model.is_active:
        raise AdoptionError("This model is no longer in the catalog.", field="model")
    if started_on > timezone.now().date():
        raise AdoptionError("A deployment cannot start in the future.", field="started_on")
    if environment == Environment.CLOUD and not cloud_provider.strip():
        raise AdoptionError("Name the cloud provider.", field="cloud_provider")
    deployment = Deployment(
        startup=startup,
        model=model,
        environment=environment,
        cloud_provider=cloud_provider.strip(),
        use_case=use_case,
        started_on=started_on,
        created_by=user,
    )
    deployment.full_clean()
    deployment.save()
    return deployment


def deployment_change_stage(*, deployment: Deployment, to_stage: str, actor: User | None) -> Deployment:
    """The one write path for a deployment's stage: checks ``DEPLOYMENT_TRANSITIONS``
    under a row lock, records the first day in production and the end, writes history."""
    with transaction.atomic():
        locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
        from_stage = locked.stage
        if to_stage not in DEPLOYMENT_TRANSITIONS.get(from_stage, frozenset()):
            raise ConflictError(
                f"A deployment in {locked.get_stage_display().lower()} cannot move to "
                f"{DeploymentStage(to_stage).label.lower() if to_stage in DeploymentStage.values else to_stage}.",
                field="stage",
            )
        now = timezone.now()
        locked.stage = to_stage
        update_fields = ["stage", "updated_at"]
        if to_stage == DeploymentStage.PRODUCTION and locked.production_since is None:
            locked.production_since = now.date()
            update_fields.append("production_since")
        if to_stage == DeploymentStage.RETIRED:
            locked.ended_on = now.date()
            update_fields.append("ended_on")
        locked.save(update_fields=update_fields)
        DeploymentStageChange.objects.create(
            deployment=locked, from_stage=from_stage, to_stage=to_stage, actor=actor, created_at=now
        )
    for name in ("stage", "production_since", "ended_on", "updated_at"):
        setattr(deployment, name, getattr(locked, name))
    return deployment


# --- API keys -------------------------------------------------------------


def api_key_create(*, startup: Startup, user: User | None, name: str) -> tuple[ApiKey, str]:
    """A new key for the startup. The key itself is returned once, here, and never stored."""
    name = name.strip()
    if not name:
        raise AdoptionError("Give the key a name, e.g. where it is used.", field="name")
    key, prefix, key_hash = ApiKey.new_key()
    api_key = ApiKey.objects.create(startup=startup, name=name[:100], prefix=prefix, key_hash=key_hash, created_by=user)
    return api_key, key


def api_key_rename(*, api_key: ApiKey, name: str) -> ApiKey:
    name = name.strip()
    if not name:
        raise AdoptionError("Give the key a name.", field="name")
    api_key.name = name[:100]
    api_key.save(update_fields=["name"])
    return api_key


def api_key_revoke(*, api_key: ApiKey, user: User | None) -> ApiKey:
    """Revoke a key at once; revoking twice changes nothing."""
    now = timezone.now()
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=user)
    api_key.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record that the key was used, at most once a minute: a busy client's
    requests do not each write the key's row."""
    now = timezone.now()
    if api_key.last_used_at and (now - api_key.last_used_at).total_seconds() < API_KEY_TOUCH_SECONDS:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


# --- Usage ----------------------------------------------------------------


def usage_ingest(*, startup: Startup, records: object, atomic: bool = False) -> usage.IngestResult:
    """Store a batch of up to 10,000 usage records for the startup.

    Good records are upserted per (model, day) — the same batch twice changes
    nothing — and the monthly roll-ups they touch are recomputed in the same
    transaction. Bad ones are reported by index; with ``atomic`` any bad record
    means nothing is stored. A batch that is not a list, or is too long, is an error.
    """
    return usage.ingest(startup=startup, records=records, atomic=atomic)


@dataclass
class ImportResult:
    received: int = 0
    stored: int = 0
    written: int = 0
    errors: list[usage.RecordError] = field(default_factory=list)


def usage_import(
    *,
    startup: Startup,
    records: Iterable[Mapping[str, Any]],
    chunk_size: int = usage.MAX_BATCH,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Ingest records of any number, ``chunk_size`` per transaction (CSV upload
    and ``import_usage``). Errors carry the record's index in the whole stream."""
    result = ImportResult()
    models = usage.model_ids_by_key()
    iterator = iter(records)
    while chunk := list(islice(iterator, chunk_size)):
        batch = usage.ingest(startup=startup, records=chunk, models=models)
        result.errors.extend(
            usage.RecordError(error.index + result.received, error.field, error.reason) for error in batch.errors
        )
        result.received += batch.received
        result.stored += batch.stored
        result.written += batch.written
        if progress:
            progress(len(chunk))
    return result


# --- Benefits: the payment schedule and its approval ------------------------


@transaction.atomic
def disbursement_schedule_create(*, application: Application, actor: User | None = None) -> list[Disbursement]:
    """Create the benefit payments and monthly check-ins of an accepted
    application, from its program's monthly stipends. Idempotent: the
    application row is locked and existing months are kept, so a second call
    (the signal sent twice) creates nothing.

    The schedule starts the month after the offer was accepted.
    """
    # The application's row only: its round is locked, when at all, before the
    # offer and the application (``reviews.services``), never after them.
    locked = (
        Application.objects.select_for_update(of=("self",)).select_related("cohort__program").get(pk=application.pk)
    )
    if locked.status != ApplicationStatus.ACCEPTED:
        raise ConflictError("Only an accepted application has a benefit schedule.", field="status")
    program = locked.cohort.program
    accepted_on = (locked.decided_at or timezone.now()).date()
    first_month = add_months(accepted_on, 1)
    stipends = list(program.benefits.filter(kind=BenefitKind.MONTHLY_STIPEND, amount__gt=0, months__gt=0))
    existing = set(Disbursement.objects.filter(application=locked).values_list("benefit_id", "sequence"))
    created = Disbursement.objects.bulk_create(
        [
            Disbursement(
                startup_id=locked.startup_id,
                application=locked,
                program=program,
                benefit=benefit,
                sequence=sequence,
                month=add_months(first_month, sequence - 1),
                amount=benefit.amount or Decimal(0),
                currency=benefit.currency,
                due_on=month_end(add_months(first_month, sequence - 1)),
            )
            for benefit in stipends
            for sequence in range(1, (benefit.months or 0) + 1)
            if (benefit.pk, sequence) not in existing
        ]
    )
    months = max((benefit.months or 0 for benefit in stipends), default=DEFAULT_CHECKIN_MONTHS)
    existing_checkins = set(CheckIn.objects.filter(application=locked).values_list("month", flat=True))
    CheckIn.objects.bulk_create(
        [
            CheckIn(
                startup_id=locked.startup_id,
                application=locked,
                month=month,
                due_on=month_end(month) + datetime.timedelta(days=CHECKIN_GRACE_DAYS),
            )
            for month in (add_months(first_month, offset) for offset in range(months))
            if month not in existing_checkins
        ]
    )
    return created


def disbursement_is_held(disbursement: Disbursement) -> bool:
    """Whether the program holds this payment because the startup has reported
    no usage for its month (read from the roll-ups)."""
    if not disbursement.program.hold_payments_without_usage:
        return False
    return not UsageMonthly.objects.filter(
        startup_id=disbursement.startup_id, month=disbursement.month, days_reported__gt=0
    ).exists()


def disbursement_transition(
    *, disbursement: Disbursement, to_status: str, actor: User | None, note: str = ""
) -> Disbursement:
    """The one write path for a payment's status: checks ``DISBURSEMENT_TRANSITIONS``
    under a row lock, refuses to approve a held payment, records who and when,
    writes history and, once paid, sends ``payment_made`` in the transaction."""
    with transaction.atomic():
        # The payment's row only: locking its program too would hold up every
        # acceptance into the program (the schedule's rows point at it).
        locked = Disbursement.objects.select_for_update(of=("self",)).select_related("program").get(pk=disbursement.pk)
        from_status = locked.status
        if to_status not in DISBURSEMENT_TRANSITIONS.get(from_status, frozenset()):
            label = DisbursementStatus(to_status).label.lower() if to_status in DisbursementStatus.values else to_status
            raise ConflictError(
                f"A payment that is {locked.get_status_display().lower()} cannot become {label}.", field="status"
            )
        if to_status in {DisbursementStatus.APPROVED, DisbursementStatus.PAID} and (
            Application.objects.filter(pk=locked.application_id).values_list("status", flat=True).first()
            != ApplicationStatus.ACCEPTED
        ):
            raise ConflictError(
                "The startup is no longer accepted into the program: its payments cannot go ahead.", field="status"
            )
        if to_status == DisbursementStatus.APPROVED and disbursement_is_held(locked):
            raise ConflictError(
                f"Held: {locked.program} pays a month only once the startup has reported usage for it, "
                f"and there is none for {locked.month:%B %Y} yet.",
                field="status",
                code="held",
            )
        now = timezone.now()
        locked.status = to_status
        update_fields = ["status"]
        if to_status == DisbursementStatus.APPROVED:
            locked.approved_at, locked.approved_by = now, actor
            update_fields += ["approved_at", "approved_by"]
        elif to_status == DisbursementStatus.PAID:
            locked.paid_at, locked.paid_by = now, actor
            update_fields += ["paid_at", "paid_by"]
        elif to_status == DisbursementStatus.SCHEDULED:
            locked.approved_at, locked.approved_by = None, None
            update_fields += ["approved_at", "approved_by"]
        locked.save(update_fields=update_fields)
        DisbursementStatusChange.objects.create(
            disbursement=locked, from_status=from_status, to_status=to_status, actor=actor, note=note, created_at=now
        )
        if to_status == DisbursementStatus.PAID:
            payment_made.send(sender=Disbursement, disbursement=locked)
    for name in ("status", "approved_at", "approved_by_id", "paid_at", "paid_by_id"):
        setattr(disbursement, name, getattr(locked, name))
    return disbursement


def disbursement_approve(*, disbursement: Disbursement, actor: User | None) -> Disbursement:
    return disbursement_transition(disbursement=disbursement, to_status=DisbursementStatus.APPROVED, actor=actor)


def disbursement_mark_paid(*, disbursement: Disbursement, actor: User | None) -> Disbursement:
    return disbursement_transition(disbursement=disbursement, to_status=DisbursementStatus.PAID, actor=actor)


# --- Check-ins and milestones ----------------------------------------------


def checkin_submit(
    *, checkin: CheckIn, user: User | None, progress: str, blockers: str = "", metrics: object = None
) -> CheckIn:
    """File (or correct) a check-in once its month has begun. Metrics are a
    flat JSON object of named numbers or short texts (``adoption.metrics``)."""
    if checkin.month > month_start(timezone.now().date()):
        raise AdoptionError(f"{checkin.month:%B %Y} has not begun yet: file this check-in once it has.", field="month")
    cleaned, problems = clean_metrics(metrics)
    if problems:
        raise AdoptionError({"metrics": problems})
    if not progress.strip():
        raise AdoptionError("Tell the program what moved forward this month.", field="progress")
    checkin.progress, checkin.blockers, checkin.metrics = progress.strip(), blockers.strip(), cleaned
    checkin.submitted_at, checkin.submitted_by = timezone.now(), user
    checkin.save(update_fields=["progress", "blockers", "metrics", "submitted_at", "submitted_by"])
    return checkin


def checkins_send_reminders(*, today: datetime.date | None = None) -> int:
    """Send ``checkin_due`` once for each check-in that is not filed and is due
    within ``CHECKIN_REMIND_DAYS_BEFORE`` days (or overdue). The row is marked
    in the same transaction as the signal, so a rerun sends nothing twice."""
    today = today or timezone.now().date()
    horizon = today + datetime.timedelta(days=CHECKIN_REMIND_DAYS_BEFORE)
    pending = CheckIn.objects.filter(submitted_at__isnull=True, reminded_at__isnull=True, due_on__lte=horizon)
    sent = 0
    for pk in pending.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            checkin = (
                CheckIn.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, submitted_at__isnull=True, reminded_at__isnull=True)
                .select_related("startup")
                .first()
            )
            if checkin is None:
                continue
            checkin.reminded_at = timezone.now()
            checkin.save(update_fields=["reminded_at"])
            checkin_due.send(sender=CheckIn, checkin=checkin)
        sent += 1
    return sent


def milestone_create(
    *, startup: Startup, user: User | None, title: str, due_on: datetime.date, description: str = ""
) -> Milestone:
    milestone = Milestone(startup=startup, title=title.strip(), description=description, due_on=due_on, created_by=user)
    milestone.full_clean()
    milestone.save()
    return milestone


def milestone_mark_achieved(*, milestone: Milestone, achieved_on: datetime.date | None = None) -> Milestone:
    achieved_on = achieved_on or timezone.now().date()
    if achieved_on > timezone.now().date():
        raise AdoptionError("A milestone cannot be achieved in the future.", field="achieved_on")
    milestone.achieved_on = achieved_on
    milestone.save(update_fields=["achieved_on"])
    return milestone


def aimodel_upsert(*, slug: str, **fields: Any) -> AIModel:
    try:
        model, _ = AIModel.objects.update_or_create(slug=slug, defaults=fields)
    except IntegrityError:
        raise ConflictError("A model with this name exists already.", field="name") from None
    return model
