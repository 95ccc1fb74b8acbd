"""Monthly roll-ups of raw usage: what every dashboard reads.

Roll-ups are always recomputed from the raw rows (never incremented), so a
recompute is idempotent and a rebuild repairs any drift.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction
from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from adoption.dates import add_months
from adoption.models import UsageMonthly, UsageRecord

# PostgreSQL advisory lock keys for a startup's usage: this base plus the
# startup's id (a bigint key, since ids are bigints; ids stay far below 2**40).
USAGE_LOCK_BASE = 7301 * 2**40
MONTHLY_FIELDS = ["requests", "input_tokens", "output_tokens", "days_reported", "updated_at"]
# Startups whose roll-ups a rebuild recomputes per transaction.
REBUILD_CHUNK_SIZE = 50


def lock_startups_usage(startup_ids: Iterable[int]) -> None:
    """Serialise writers of the same startups' usage until the transaction ends.

    Two ingests for one startup would otherwise each recompute a month without
    seeing the other's uncommitted rows. SQLite serialises writers already.
    Call inside ``transaction.atomic``.
    """
    ids = sorted(set(startup_ids))
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        # Sorted, so that two transactions locking overlapping sets cannot deadlock.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s + s.id) FROM (SELECT unnest(%s::bigint[]) AS id) s",
            [USAGE_LOCK_BASE, ids],
        )


def _aggregate(raw: "Q", startup_ids: Sequence[int] | None = None) -> list[UsageMonthly]:
    queryset = UsageRecord.objects.filter(raw)
    if startup_ids is not None:
        queryset = queryset.filter(startup_id__in=startup_ids)
    now = timezone.now()
    rows = (
        queryset.annotate(month=TruncMonth("date", output_field=DateField()))
        .values("startup_id", "model_id", "month")
        .annotate(
            sum_requests=Sum("requests"),
            sum_input=Sum("input_tokens"),
            sum_output=Sum("output_tokens"),
            days=Count("id"),
        )
        .order_by()
    )
    return [
        UsageMonthly(
            startup_id=row["startup_id"],
            model_id=row["model_id"],
            month=row["month"],
            requests=row["sum_requests"],
            input_tokens=row["sum_input"],
            output_tokens=row["sum_output"],
            days_reported=row["days"],
            updated_at=now,
        )
        for row in rows
    ]


def _upsert(rollups: list[UsageMonthly]) -> None:
    if rollups:
        UsageMonthly.objects.bulk_create(
            rollups,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["startup", "model", "month"],
            update_fields=MONTHLY_FIELDS,
        )


def rollups_refresh(*, startup_id: int, touched: Iterable[tuple[int, datetime.date]]) -> int:
    """Recompute the roll-ups of the (model, month) keys one ingest touched,
    with one GROUP BY over the raw rows. Call in the ingest's transaction,
    holding ``lock_startups_usage`` for the startup. Returns the rows written."""
    months_by_model: dict[int, list[datetime.date]] = defaultdict(list)
    for model_id, month in touched:
        months_by_model[model_id].append(month)
    if not months_by_model:
        return 0
    # One range per model: months in between that were not touched come out
    # the same as before, since roll-ups are recomputed, not incremented.
    raw = Q()
    for model_id, months in months_by_model.items():
        raw |= Q(model_id=model_id, date__gte=min(months), date__lt=add_months(max(months), 1))
    rollups = _aggregate(Q(startup_id=startup_id) & raw)
    _upsert(rollups)
    return len(rollups)


def rollups_rebuild(
    *,
    startup_ids: Sequence[int] | None = None,
    since: datetime.date | None = None,
    chunk_size: int = REBUILD_CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the roll-ups from the raw rows, ``chunk_size`` startups per
    transaction (each holding those startups' usage locks), optionally only
    from the month of ``since`` on. Returns the roll-up rows written."""
    from applicants.models import Startup

    ids = (
        list(startup_ids)
        if startup_ids is not None
        else list(Startup.objects.order_by("id").values_list("id", flat=True))
    )
    since = since.replace(day=1) if since else None
    written = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        with transaction.atomic():
            lock_startups_usage(chunk)
            stale = UsageMonthly.objects.filter(startup_id__in=chunk)
            raw = Q(date__gte=since) if since else Q()
            if since:
                stale = stale.filter(month__gte=since)
            stale.delete()
            rollups = _aggregate(raw, startup_ids=chunk)
            _upsert(rollups)
            written += len(rollups)
        if progress:
            progress(len(chunk))
    return written
