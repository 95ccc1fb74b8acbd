"""Who reviews what: the round's automatic assignment (previewable, load-balanced,
conflict-aware), manual assignments and declared conflicts of interest."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.services import application_transition
from common.errors import ConflictError, PermissionDeniedError
from common.tasks import task_enqueue
from programs.enums import ProgramRole
from programs.models import Cohort
from reviews.assignment import Candidate, Plan, plan_assignments
from reviews.conflicts import conflict_pairs, detected_conflict
from reviews.enums import ASSIGNABLE_STATUSES, AssignmentSource, AssignmentStage, ConflictSource
from reviews.errors import ReviewError
from reviews.models import Assignment, ConflictOfInterest, Review
from reviews.signals import review_assigned

S = ApplicationStatus


def _review_due_at() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.RUNWAY_REVIEW_DAYS)


# --- Assignment -------------------------------------------------------------


def _round_reviewers(cohort: Cohort) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            program_memberships__program_id=cohort.program_id,
            program_memberships__role=ProgramRole.REVIEWER,
        )
        .distinct()
        .only("id", "email")
        .order_by("id")
    )


@dataclass
class RoundPlan:
    plan: Plan
    reviewers: list[User]
    # application id -> (startup id, status)
    applications: dict[int, tuple[int, str]]
    conflicts: dict[tuple[int, int], str]
    existing: list[tuple[int, int]]


def _round_plan(cohort: Cohort) -> RoundPlan:
    reviewers = _round_reviewers(cohort)
    rows = Application.objects.filter(cohort=cohort, status__in=ASSIGNABLE_STATUSES).values_list(
        "id", "startup_id", "status"
    )
    applications = {application_id: (startup_id, status) for application_id, startup_id, status in rows}
    existing = list(Assignment.objects.filter(application__cohort=cohort).values_list("application_id", "reviewer_id"))
    conflicts = conflict_pairs(
        reviewers=reviewers, startup_ids=sorted({startup_id for startup_id, _ in applications.values()})
    )
    plan = plan_assignments(
        applications=[
            Candidate(application_id, startup_id) for application_id, (startup_id, _) in applications.items()
        ],
        reviewer_ids=[reviewer.pk for reviewer in reviewers],
        per_application=cohort.program.reviewers_per_application,
        existing=existing,
        conflicts=conflicts,
    )
    return RoundPlan(plan, reviewers, applications, conflicts, existing)


def assignment_preview(*, cohort: Cohort) -> Plan:
    """What ``assignment_run`` would add now, without writing anything."""
    return _round_plan(cohort).plan


def assignment_run_enqueue(*, cohort: Cohort, actor: User | None) -> bool:
    """Ask a worker to run the round's assignment; False when the broker cannot
    be reached. Writes nothing, so a broker that is down loses nothing: the
    manager is told to try again instead of seeing an error page."""
    from reviews.tasks import assign_round

    return task_enqueue(assign_round, args=[cohort.pk, actor.pk if actor else None])


def assignment_run(*, cohort: Cohort, actor: User | None) -> Plan:
    """Give every submitted or in-review application of the round its N
    reviewers, keeping the assignments already made. Running it again adds
    nothing. Detected conflicts are recorded; applications that got reviewers
    move from submitted to in review."""
    with transaction.atomic():
        # One run per round at a time: a second waits and then finds nothing to do.
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        round_plan = _round_plan(cohort)
        plan = round_plan.plan
        due_at = _review_due_at()
        created = Assignment.objects.bulk_create(
            [
                Assignment(
                    application_id=application_id,
                    reviewer_id=reviewer_id,
                    due_at=due_at,
                    assigned_by=actor,
                    source=AssignmentSource.AUTOMATIC,
                    stage=AssignmentStage.REVIEW,
                )
                for application_id, reviewer_id in plan.new
            ],
            batch_size=2000,
        )
        ConflictOfInterest.objects.bulk_create(
            [
                ConflictOfInterest(reviewer_id=reviewer_id, startup_id=startup_id, source=source)
                for (reviewer_id, startup_id), source in round_plan.conflicts.items()
                if source != ConflictSource.DECLARED
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        if created:
            review_assigned.send(sender=Assignment, assignments=created)
        with_reviewers = {application_id for application_id, _ in round_plan.existing} | {
            application_id for application_id, _ in plan.new
        }
        for application_id, (_, status) in sorted(round_plan.applications.items()):
            if status == S.SUBMITTED and application_id in with_reviewers:
                _start_review(Application(pk=application_id), actor=actor)
    return plan


def _start_review(application: Application, *, actor: User | None) -> None:
    application_transition(
        application=application,
        to_status=S.IN_REVIEW,
        actor=actor,
        reason="Reviewers were assigned.",
        expected_from=frozenset({S.SUBMITTED}),
    )


def assignment_create(
    *,
    application: Application,
    reviewer: User,
    actor: User,
    due_at: datetime.datetime | None = None,
    stage: str = AssignmentStage.REVIEW,
) -> Assignment:
    """Assign a reviewer by hand. Refuses conflicted reviewers and people who
    are not reviewers of the program."""
    program = application.cohort.program
    if not program.memberships.filter(user=reviewer, role=ProgramRole.REVIEWER).exists():
        raise ReviewError("This person is not a reviewer of the program.", field="reviewer")
    if application.status not in ASSIGNABLE_STATUSES:
        raise ConflictError("Only submitted or in-review applications get reviewers.", field="application")
    source = detected_conflict(reviewer, application.startup_id)
    if source is not None:
        raise ConflictError(
            f"This reviewer has a conflict of interest ({ConflictSource(source).label.lower()}).", field="reviewer"
        )
    with transaction.atomic():
        if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
            raise ConflictError("This reviewer is already assigned.", field="reviewer")
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    application=application,
                    reviewer=reviewer,
                    due_at=due_at or _review_due_at(),
                    stage=stage,
                    source=AssignmentSource.MANUAL,
                    assigned_by=actor,
                )
        except IntegrityError:
            # Two requests assigned the same reviewer at once; the other one won.
            raise ConflictError("This reviewer is already assigned.", field="reviewer") from None
        review_assigned.send(sender=Assignment, assignments=[assignment])
        if application.status == S.SUBMITTED:
            _start_review(application, actor=actor)
    return assignment


def assignment_delete(*, assignment: Assignment, actor: User) -> None:
    """Unassign by hand. A submitted review stays part of the record."""
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
        if locked is None:
            return
        if Review.objects.filter(assignment=locked, submitted_at__isnull=False).exists():
            raise ConflictError("This review was submitted; it can no longer be unassigned.", field="assignment")
        locked.delete()


def conflict_declare(*, assignment: Assignment, reviewer: User, reason: str = "") -> ConflictOfInterest:
    """The reviewer declares a conflict with the startup: the conflict is
    recorded for every round, and their assignments to it whose review is not
    submitted go (drafts included). A submitted review stays part of the record."""
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDeniedError("Only the assigned reviewer can declare a conflict.", field="assignment")
    if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        raise ConflictError(
            "Your review of this application is submitted; write to the program team about the conflict.",
            field="assignment",
        )
    startup_id = assignment.application.startup_id
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            reviewer=reviewer,
            startup_id=startup_id,
            defaults={"source": ConflictSource.DECLARED, "reason": reason},
        )
        if not created and conflict.source != ConflictSource.DECLARED:
            conflict.source = ConflictSource.DECLARED
            conflict.reason = reason
            conflict.save(update_fields=["source", "reason"])
        Assignment.objects.filter(reviewer=reviewer, application__startup_id=startup_id).exclude(
            review__submitted_at__isnull=False
        ).delete()
    return conflict
