import re

import pytest
from django.core.management import call_command


def test_api_schema_builds_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (an untyped field, a clashing enum) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert "/api/v1/applications/{id}/submit/" in (tmp_path / "schema.yaml").read_text()


@pytest.mark.django_db
def test_api_docs_load_nothing_from_another_site(client):
    response = client.get("/api/docs/")
    # The split (CSP-friendly) view serves its settings from ?script; the plain
    # view answers the same page there.
    script = client.get("/api/docs/", {"script": ""})

    served = response.content.decode() + script.content.decode()
    assert (response.status_code, script.status_code) == (200, 200)
    assert re.findall(r"https?://", served) == []
    assert '"validatorUrl": null' in served
