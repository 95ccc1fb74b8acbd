import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_metrics_command_prints_one_json_object():
    out = io.StringIO()

    call_command("outbox_metrics", stdout=out)

    assert sorted(json.loads(out.getvalue())) == [
        "endpoints_switched_off", "messages", "oldest_due_seconds", "webhooks_last_hour",
    ]  # fmt: skip
