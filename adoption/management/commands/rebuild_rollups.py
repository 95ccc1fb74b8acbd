"""Rebuild the monthly usage roll-ups from raw usage, with a progress bar."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from adoption.rollups import REBUILD_CHUNK_SIZE, rollups_rebuild
from applicants.models import Startup


class Command(BaseCommand):
    help = "Rebuild monthly usage roll-ups from raw usage (all startups, or some; all months, or from one on)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--startup", type=int, action="append", dest="startups", help="Only this startup (repeatable)."
        )
        parser.add_argument("--since", help="Only months from this one on, as YYYY-MM.")
        parser.add_argument("--chunk-size", type=int, default=REBUILD_CHUNK_SIZE, help="Startups per transaction.")

    def handle(self, *args, **options) -> None:
        since = None
        if options["since"]:
            try:
                since = datetime.date.fromisoformat(options["since"] + "-01")
            except ValueError:
                raise CommandError("--since takes a month as YYYY-MM.") from None
        ids = options["startups"] or list(Startup.objects.order_by("id").values_list("id", flat=True))
        with tqdm(total=len(ids), unit="startup", desc="Rebuilding roll-ups", disable=options["verbosity"] == 0) as bar:
            written = rollups_rebuild(
                startup_ids=ids, since=since, chunk_size=options["chunk_size"], progress=bar.update
            )
        self.stdout.write(f"{written:,} monthly roll-up rows rebuilt for {len(ids):,} startups.")
