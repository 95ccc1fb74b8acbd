"""Import a CSV file of daily usage for one startup, in batches, with a progress bar."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from adoption import services
from adoption.ingest import MAX_BATCH, UsageBatchError, records_from_csv
from applicants.models import Startup

ERRORS_SHOWN = 20


class Command(BaseCommand):
    help = "Import usage from a CSV file (model,date,requests,input_tokens,output_tokens) for one startup."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--startup", type=int, required=True, help="The startup's id.")
        parser.add_argument("--batch-size", type=int, default=MAX_BATCH)

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        startup = Startup.objects.filter(pk=options["startup"]).first()
        if startup is None:
            raise CommandError(f"No startup with id {options['startup']}.")
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        with path.open(encoding="utf-8-sig", newline="") as stream:
            total = max(sum(1 for _ in stream) - 1, 0)
        started = datetime.datetime.now(tz=datetime.UTC)
        with (
            path.open(encoding="utf-8-sig", newline="") as stream,
            tqdm(total=total, unit="rec", desc=f"Importing for {startup}", disable=options["verbosity"] == 0) as bar,
        ):
            try:
                result = services.usage_import(
                    startup=startup,
                    records=records_from_csv(stream),
                    chunk_size=options["batch_size"],
                    progress=bar.update,
                )
            except UsageBatchError as error:
                raise CommandError(error.message) from None
        seconds = (datetime.datetime.now(tz=datetime.UTC) - started).total_seconds()
        self.stdout.write(
            f"{result.received:,} records read, {result.stored:,} stored ({result.written:,} new or changed), "
            f"{len(result.errors):,} problems, in {seconds:.1f} s."
        )
        for error in result.errors[:ERRORS_SHOWN]:
            self.stderr.write(f"line {error.index + 2}, {error.field}: {error.reason}")
        if len(result.errors) > ERRORS_SHOWN:
            self.stderr.write(f"… and {len(result.errors) - ERRORS_SHOWN:,} more.")
