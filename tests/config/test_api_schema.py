import re

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator


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


def build_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_api_schema_documents_413_wherever_a_body_is_read():
    operations = [operation for path in build_schema()["paths"].values() for operation in path.values()]

    undocumented = [
        operation["operationId"]
        for operation in operations
        if "requestBody" in operation and "413" not in operation["responses"]
    ]
    assert len([operation for operation in operations if "requestBody" in operation]) > 10
    assert undocumented == []


def test_api_schema_documents_usage_400_as_a_rejected_batch_or_an_error():
    schema = build_schema()
    response = schema["paths"]["/api/v1/usage/"]["post"]["responses"]["400"]

    reference = response["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["oneOf"] == [
        {"$ref": "#/components/schemas/UsageIngestOutput"},
        {"$ref": "#/components/schemas/Error"},
    ]


@pytest.mark.parametrize("path", ["/api/v1/reviews/rounds/{cohort_pk}/applications/", "/api/v1/reviews/assignments/"])
def test_api_schema_documents_cursor_pages_without_a_count(path):
    schema = build_schema()
    operation = schema["paths"][path]["get"]

    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert "cursor" in [parameter["name"] for parameter in operation["parameters"]]
    assert "page" not in [parameter["name"] for parameter in operation["parameters"]]
    assert "count" not in page["properties"]
