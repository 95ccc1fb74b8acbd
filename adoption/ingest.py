"""Usage ingest: validate a batch of records in plain Python, upsert the good
ones per (startup, model, day) and recompute the roll-ups they touch.

The API, the portal's CSV upload and ``import_usage`` all call
``adoption.services.usage_ingest``, which lands here.

Validation is plain Python over dicts (no serializer per record: a batch is
up to 10,000 of them). On PostgreSQL the rows are COPYed into a temporary
table and merged with one ``INSERT … ON CONFLICT DO UPDATE``; elsewhere
``bulk_create(update_conflicts=True)`` does the same, slower.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from adoption.dates import month_start
from adoption.models import EARLIEST_USAGE_DAY, USAGE_MAX_PER_DAY, AIModel, UsageRecord
from adoption.rollups import lock_startups_usage, rollups_refresh
from applicants.models import Startup
from common.dates import day_problem
from common.errors import DomainError

MAX_BATCH = 10_000
NUMBER_FIELDS = ("requests", "input_tokens", "output_tokens")
RECORD_FIELDS = ("model", "date", *NUMBER_FIELDS)
# A row ready for the database: model id, day, requests, input tokens, output tokens.
Row = tuple[int, datetime.date, int, int, int]


class UsageBatchError(DomainError):
    pass


@dataclass(frozen=True)
class RecordError:
    index: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "field": self.field, "reason": self.reason}


@dataclass
class IngestResult:
    received: int
    accepted: int = 0
    written: int = 0
    errors: list[RecordError] = field(default_factory=list)
    atomic: bool = False

    @property
    def rejected(self) -> int:
        return len({error.index for error in self.errors})

    @property
    def stored(self) -> int:
        """Records now in the database: none when an all-or-nothing batch had an error."""
        return 0 if (self.atomic and self.errors) else self.accepted

    def as_dict(self) -> dict[str, object]:
        return {
            "received": self.received,
            "stored": self.stored,
            "written": self.written,
            "unchanged": self.stored - self.written,
            "rejected": self.rejected,
            "errors": [error.as_dict() for error in self.errors],
        }


def model_ids_by_key() -> dict[str, int]:
    """Active models by slug and by exact name (people writing CSV by hand use names)."""
    keys: dict[str, int] = {}
    for pk, slug, name in AIModel.objects.filter(is_active=True).values_list("id", "slug", "name"):
        keys[slug] = pk
        keys[name] = pk
    return keys


def _count(value: object) -> int | str:
    """The count, or why it is not one."""
    if isinstance(value, bool):
        return "Must be a whole number."
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return "Must be a whole number."
    if not isinstance(value, int):
        return "Must be a whole number."
    if value < 0:
        return "Must not be negative."
    if value > USAGE_MAX_PER_DAY:
        return f"At most {USAGE_MAX_PER_DAY:,} a day."
    return value


def validate_records(
    records: list[object], *, models: Mapping[str, int], today: datetime.date
) -> tuple[dict[tuple[int, datetime.date], Row], list[RecordError]]:
    """Split a batch into good rows (keyed by model and day, the last record
    for a key winning) and the errors of the bad records, by index. ``today``
    is the UTC day."""
    good: dict[tuple[int, datetime.date], Row] = {}
    errors: list[RecordError] = []
    dates: dict[object, datetime.date | str] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append(RecordError(index, "record", "Each record must be an object."))
            continue
        problems: list[RecordError] = []
        missing = [name for name in RECORD_FIELDS if record.get(name) in (None, "")]
        problems.extend(RecordError(index, name, "This field is required.") for name in missing)

        model_key = record.get("model")
        model_id = models.get(model_key) if isinstance(model_key, str) else None
        if model_id is None and "model" not in missing:
            problems.append(RecordError(index, "model", f"Unknown model {str(model_key)[:100]!r}."))

        raw_date = record.get("date")
        day: datetime.date | str | None = None
        if "date" not in missing:
            day = dates.get(raw_date) if isinstance(raw_date, str) else "Use a date as YYYY-MM-DD."
            if day is None and isinstance(raw_date, str):
                try:
                    parsed = datetime.date.fromisoformat(raw_date) if len(raw_date) == 10 else None
                except ValueError:
                    parsed = None
                if parsed is None:
                    day = "Use a date as YYYY-MM-DD."
                else:
                    day = day_problem(parsed, earliest=EARLIEST_USAGE_DAY, today=today) or parsed
                dates[raw_date] = day
            if isinstance(day, str):
                problems.append(RecordError(index, "date", day))

        counts: list[int] = []
        for name in NUMBER_FIELDS:
            if name in missing:
                continue
            value = _count(record[name])
            if isinstance(value, str):
                problems.append(RecordError(index, name, value))
            else:
                counts.append(value)

        if problems:
            errors.extend(problems)
            continue
        if not isinstance(day, datetime.date) or model_id is None:  # unreachable: narrows the types
            continue
        good.pop((model_id, day), None)
        good[(model_id, day)] = (model_id, day, counts[0], counts[1], counts[2])
    return good, errors


def _upsert_postgresql(startup_id: int, rows: Iterable[Row], now: datetime.datetime) -> int:
    table = UsageRecord._meta.db_table
    with connection.cursor() as cursor:
        # A session-long staging table emptied at each commit: created once per
        # (persistent) connection, no catalog churn per batch.
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS adoption_usage_stage "
            "(model_id bigint, date date, requests bigint, input_tokens bigint, output_tokens bigint) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE adoption_usage_stage")
        with cursor.cursor.copy(
            "COPY adoption_usage_stage (model_id, date, requests, input_tokens, output_tokens) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        # The WHERE leaves identical rows alone: sending a batch again writes nothing.
        cursor.execute(
            f"""
            INSERT INTO {table} AS u (startup_id, model_id, date, requests, input_tokens, output_tokens, updated_at)
            SELECT %s, model_id, date, requests, input_tokens, output_tokens, %s FROM adoption_usage_stage
            ON CONFLICT (startup_id, model_id, date) DO UPDATE
               SET requests = EXCLUDED.requests, input_tokens = EXCLUDED.input_tokens,
                   output_tokens = EXCLUDED.output_tokens, updated_at = EXCLUDED.updated_at
             WHERE (u.requests, u.input_tokens, u.output_tokens)
                   IS DISTINCT FROM (EXCLUDED.requests, EXCLUDED.input_tokens, EXCLUDED.output_tokens)
            """,  # noqa: S608 (the table name is ours)
            [startup_id, now],
        )
        return cursor.rowcount


def _upsert_portable(startup_id: int, rows: Iterable[Row], now: datetime.datetime) -> int:
    objects = [
        UsageRecord(
            startup_id=startup_id,
            model_id=model_id,
            date=day,
            requests=requests,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            updated_at=now,
        )
        for model_id, day, requests, input_tokens, output_tokens in rows
    ]
    UsageRecord.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["startup", "model", "date"],
        update_fields=["requests", "input_tokens", "output_tokens", "updated_at"],
    )
    return len(objects)


def upsert_rows(*, startup_id: int, rows: list[Row]) -> int:
    """Write rows for one startup, last values winning. Returns the rows
    inserted or changed (PostgreSQL) or written (elsewhere)."""
    if not rows:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _upsert_postgresql(startup_id, rows, now)
    return _upsert_portable(startup_id, rows, now)


def ingest(
    *,
    startup: Startup,
    records: object,
    atomic: bool = False,
    today: datetime.date | None = None,
    models: Mapping[str, int] | None = None,
) -> IngestResult:
    if not isinstance(records, list):
        raise UsageBatchError("Send a JSON list of records (or an object with a `records` list).", field="records")
    if len(records) > MAX_BATCH:
        raise UsageBatchError(
            f"At most {MAX_BATCH:,} records per batch; this one has {len(records):,}. Split it.", field="records"
        )
    today = today or timezone.now().date()
    good, errors = validate_records(records, models=models or model_ids_by_key(), today=today)
    result = IngestResult(received=len(records), accepted=len(good), errors=errors, atomic=atomic)
    if (atomic and errors) or not good:
        return result
    rows = list(good.values())
    with transaction.atomic():
        lock_startups_usage([startup.pk])
        result.written = upsert_rows(startup_id=startup.pk, rows=rows)
        rollups_refresh(startup_id=startup.pk, touched={(row[0], month_start(row[1])) for row in rows})
    return result


def records_from_csv(text_stream: Iterable[str]) -> Iterator[dict[str, str]]:
    """Records from CSV with a header naming at least the record fields.
    Values stay text; validation turns them into numbers and dates."""
    reader = csv.DictReader(text_stream)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise UsageBatchError(f"The first line cannot be read as CSV: {error}.", field="file") from None
    header = [name.strip() for name in fieldnames]
    missing = [name for name in RECORD_FIELDS if name not in header]
    if missing:
        raise UsageBatchError(
            f"The first line must name the columns {', '.join(RECORD_FIELDS)}; missing: {', '.join(missing)}.",
            field="file",
        )
    reader.fieldnames = header
    try:
        for row in reader:
            yield {name: (row.get(name) or "").strip() for name in RECORD_FIELDS}
    except csv.Error as error:
        raise UsageBatchError(f"Line {reader.line_num} cannot be read as CSV: {error}.", field="file") from None


def decode_upload(data: bytes) -> io.StringIO:
    try:
        return io.StringIO(data.decode("utf-8-sig"), newline="")
    except UnicodeDecodeError:
        raise UsageBatchError("The file must be CSV text in UTF-8.", field="file") from None
