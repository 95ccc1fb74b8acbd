import io
import re

import pytest
from django.core.management import call_command

from outbox.models import OutboxMessage
from tests.support.broker import notifications_queue_to_ourselves

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_bench_outbox_prints_both_rates_and_their_ratio(celery_not_eager):
    out = io.StringIO()

    with notifications_queue_to_ourselves():
        call_command("bench_outbox", messages=20, workers=1, timeout=60, verbosity=0, stdout=out)

    output = out.getvalue()
    assert re.search(r"^outbox via workers: +[\d,]+ msgs/s", output, re.MULTILINE)
    assert re.search(r"^bare smtplib loop: +[\d,]+ msgs/s", output, re.MULTILINE)
    assert re.search(r"^ratio: +\d+\.\d\d$", output, re.MULTILINE)
    assert OutboxMessage.objects.count() == 0
