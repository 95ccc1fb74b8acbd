from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programs.models import Cohort, Program
from programs.rules import programs_managed_by


def program_list_published() -> QuerySet[Program]:
    now = timezone.now()
    open_cohorts = Cohort.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    return Program.objects.filter(is_published=True).prefetch_related(
        Prefetch("cohorts", queryset=open_cohorts, to_attr="open_cohorts"), "benefits"
    )


def program_get_published(*, slug: str) -> Program:
    return get_object_or_404(program_list_published().prefetch_related("eligibility_rules", "criteria"), slug=slug)


def cohort_list_open() -> QuerySet[Cohort]:
    now = timezone.now()
    return Cohort.objects.filter(program__is_published=True, opens_at__lte=now, closes_at__gt=now).select_related(
        "program"
    )


def cohort_get_open(*, pk: int) -> Cohort:
    return get_object_or_404(cohort_list_open(), pk=pk)


def program_get_managed(*, user, slug: str) -> Program:
    """The program if ``user`` manages it (staff manage all), else 404: a
    program one does not manage is not shown to exist."""
    return get_object_or_404(programs_managed_by(user), slug=slug)
