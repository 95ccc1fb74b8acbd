"""Production settings refuse webhook URLs that resolve to private addresses."""

import os
import subprocess
import sys

from django.conf import settings

from tests.config.test_settings import SERVICE_VARIABLES

# Delivers to a receiver on loopback, as an outbox worker would, under the
# settings module given in the environment.
PROBE = """
import django
django.setup()
from django.conf import settings
from outbox import http
try:
    http.post("http://localhost:{port}/hooks", body=b"{{}}", headers={{}}, timeout=2,
              allow_private=settings.RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES)
except http.AddressRefused as error:
    print("refused:", error)
else:
    print("delivered")
"""


def deliver_under(module: str, port: int, tmp_path) -> str:
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        RUNWAY_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="runway.example",
    )
    env.pop("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(port=port)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or result.stderr


def test_production_refuses_a_url_resolving_to_a_private_address(receiver, tmp_path):
    outcome = deliver_under("config.settings.production", receiver.port, tmp_path)

    assert outcome.startswith("refused: localhost resolves to a private address")
    assert receiver.ids() == []


def test_local_development_may_deliver_to_its_own_machine(receiver, tmp_path):
    outcome = deliver_under("config.settings.local", receiver.port, tmp_path)

    assert (outcome, len(receiver.requests)) == ("delivered", 1)
