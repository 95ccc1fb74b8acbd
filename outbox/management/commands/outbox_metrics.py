"""Print the outbox's metrics as one JSON object, for a monitoring agent or a person."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from outbox import selectors


class Command(BaseCommand):
    help = "Messages by channel and status, the oldest due message's lateness, the last hour's webhooks."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(json.dumps(selectors.outbox_metrics(now=timezone.now()), default=str, sort_keys=True))
