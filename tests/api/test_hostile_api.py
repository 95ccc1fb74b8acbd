"""Hostile values in every field of every write operation, for every role.

schemathesis (``test_fuzz.py``) draws what a JSON encoder writes; this sends
what it does not: NUL, lone surrogates, 1e400, NaN, nesting past the recursion
limit, 10 MB strings, the largest bigint and the calendar's ends (see
``tests.support.hostile``). Each operation of the OpenAPI schema starts from a
body that its own role gets through with, then has each value spliced into
each top-level field, into each key of an object field (every question of the
form in ``answers``), into each field of every item of a list (so two usage
records carry the same number), and in place of the whole body.

Every request runs in a savepoint rolled back afterwards, so that one case
starts from the world the next one sees. The answer must be below 500, JSON
when it is an error, and not a success that shows a 10 MB string back (it
was stored). The failures are listed together, one line per operation,
value, roles and answer, naming the fields.
"""

import copy
import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import resolve, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from adoption import services as adoption_services
from adoption.models import AIModel
from applicants import services as applicants_services
from programs.models import Criterion, Question
from reviews import services as reviews_services
from tests.authz.test_matrix import RULES
from tests.authz.world import World, build_world, form, submitted
from tests.factories import CohortFactory, StartupFactory, StartupMemberFactory
from tests.factories.applicants import PDF_BYTES
from tests.support.hostile import (
    FORM_VALUES,
    JSON_VALUES,
    TEN_MB_NAME,
    TEN_MEGABYTES,
    Failures,
    described,
    in_savepoint,
    ten_megabytes,
    unlogged_server_errors,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.slow]

ROLES = ("anonymous", "owner", "reviewer", "manager")
API_KEY_ROLE = "api key"
WRITE_METHODS = ("post", "put", "patch")
# json.dumps writes it as one string token, which is then replaced by raw text.
SLOT = "\x01hostile\x01"
WHOLE_BODY = "(body)"


@dataclass
class Stage:
    """The matrix's world, plus what a write needs that the world does not hold:
    credentials, a round the startup has not applied to, a draft ready to
    submit and a review to change."""

    world: World
    headers: dict[str, dict[str, str]]
    open_round_pk: int
    reviewed_assignment_pk: int


# Where the object the matrix reads is not one the write can change.
TARGETS: dict[tuple[str, str], Callable[[Stage], dict]] = {
    ("patch", "applicants-api:application-detail"): lambda s: {"pk": s.world.draft.pk},
    ("post", "applicants-api:attachment-list"): lambda s: {"application_pk": s.world.draft.pk},
    ("patch", "reviews-api:review"): lambda s: {"pk": s.reviewed_assignment_pk},
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    route: str
    body_schema: dict | None
    multipart: bool
    takes_api_key: bool

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class Case:
    field: str
    value: str


def resolved(node: object, components: dict) -> object:
    if isinstance(node, dict):
        if "$ref" in node:
            return resolved(components[node["$ref"].rsplit("/", 1)[1]], components)
        return {key: resolved(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(value, components) for value in node]
    return node


def write_operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operations = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            if method not in WRITE_METHODS:
                continue
            content = spec.get("requestBody", {}).get("content", {})
            media_type = "application/json" if "application/json" in content else next(iter(content), None)
            body_schema = resolved(content[media_type]["schema"], components) if media_type else None
            schemes = {name for requirement in spec.get("security", []) for name in requirement}
            operations.append(
                Operation(
                    method=method,
                    path=path,
                    route=resolve(concrete(path)).view_name,
                    body_schema=body_schema,
                    multipart=media_type == "multipart/form-data",
                    takes_api_key="startupApiKey" in schemes,
                )
            )
    return sorted(operations, key=lambda operation: (operation.path, operation.method))


def concrete(path: str) -> str:
    return "/".join("1" if part.startswith("{") else part for part in path.split("/"))


def example(schema: dict) -> object:
    """A plain value of the schema's type; the world's own ids come from ``world_fields``."""
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            return example(schema[combinator][0])
    if "enum" in schema:
        return next((choice for choice in schema["enum"] if choice), schema["enum"][0])
    kind = schema.get("type")
    if kind == "object":
        return {name: example(field) for name, field in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema.get("items", {}))]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if schema.get("format") == "binary":
        return PDF_BYTES
    return {"date": "2020-01-15", "email": "fuzz@fuzz.example", "uri": "https://fuzz.example"}.get(
        schema.get("format", ""), "Fuzz"
    )


def usage_days() -> tuple[str, str]:
    """Two days of last month: their totals meet in one monthly roll-up."""
    first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return first.isoformat(), (first + datetime.timedelta(days=1)).isoformat()


def world_fields(operation: Operation, stage: Stage) -> dict:
    """The fields whose valid value is one of the world's rows."""
    w = stage.world
    review = {
        "scores": [{"criterion": c.pk, "value": 3} for c in Criterion.objects.filter(program=w.cohort.program)],
    }
    usage_record = {"model": AIModel.objects.first().slug, "requests": 10, "input_tokens": 100, "output_tokens": 50}
    fields = {
        "accounts-api:token": {"email": w.users["owner"].email, "password": "pass-word-123"},
        "applicants-api:application-list": {"startup": w.draft.startup_id, "round": stage.open_round_pk},
        "applicants-api:application-detail": {
            "answers": {
                question.key: "We build with Llama."
                for question in Question.objects.filter(cohort=w.draft.cohort).exclude(kind="file").order_by("order")
            }
        },
        "applicants-api:attachment-list": {"question_key": "deck"},
        "reviews-api:review": review,
        "reviews-api:review-submit": review,
        "reviews-api:decisions": {"application": w.in_review.pk},
        "reviews-api:decisions-bulk": {"applications": [w.in_review.pk]},
        "applicants-api:invitation-list": {"email": "newcomer@fuzz.example"},
        "adoption-api:usage": {"records": [{**usage_record, "date": day} for day in usage_days()]},
    }
    return fields.get(operation.route, {})


def valid_body(operation: Operation, stage: Stage) -> dict | None:
    if operation.body_schema is None:
        return None
    return {**example(operation.body_schema), **world_fields(operation, stage)}


def field_paths(operation: Operation, body: dict | None) -> list[tuple[str, ...]]:
    """Each top-level field, each key of an object field, each field of a list's items ("*": all of them)."""
    if body is None:
        return []
    names = list(dict.fromkeys([*operation.body_schema.get("properties", {}), *body]))
    paths: list[tuple[str, ...]] = []
    for name in names:
        paths.append((name,))
        value = body.get(name)
        if isinstance(value, dict):
            paths += [(name, key) for key in value]
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            keys = dict.fromkeys(key for item in value for key in item)
            paths += [(name, "*", key) for key in keys]
        elif isinstance(value, list) and value:
            paths.append((name, "*"))
    return paths


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(path).replace(".*", "[*]")


def put(body: object, path: tuple[str, ...], value: object) -> None:
    head, *rest = path
    if head == "*":
        for index in range(len(body)):
            if rest:
                put(body[index], tuple(rest), value)
            else:
                body[index] = value
    elif rest:
        put(body[head], tuple(rest), value)
    else:
        body[head] = value


def field_schema(schema: dict, path: tuple[str, ...]) -> dict:
    for step in path:
        if step == "*":
            schema = schema.get("items", {})
        else:
            schema = schema.get("properties", {}).get(step) or schema.get("additionalProperties") or {}
        for combinator in ("allOf", "oneOf", "anyOf"):
            if combinator in schema:
                schema = schema[combinator][0]
    return schema


def free_text_path(operation: Operation, paths: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """Where the 10 MB string goes: the first field the schema lets take any text, else the first field."""
    for path in paths:
        field = field_schema(operation.body_schema, path)
        if field.get("type", "string") == "string" and not {"maxLength", "enum", "format"} & set(field):
            return path
    return paths[0] if paths else None


def json_cases(operation: Operation, body: dict | None) -> Iterator[tuple[Case, bytes]]:
    paths = field_paths(operation, body)
    for path in paths:
        for name, raw in JSON_VALUES.items():
            spliced = copy.deepcopy(body)
            put(spliced, path, SLOT)
            text = json.dumps(spliced).replace(json.dumps(SLOT), raw)
            yield Case(dotted(path), name), text.encode()
    long_path = free_text_path(operation, paths)
    if long_path is not None:
        spliced = copy.deepcopy(body)
        put(spliced, long_path, ten_megabytes())
        yield Case(dotted(long_path), TEN_MB_NAME), json.dumps(spliced).encode()
    for name, raw in JSON_VALUES.items():
        yield Case(WHOLE_BODY, name), raw.encode()
    yield Case(WHOLE_BODY, TEN_MB_NAME), json.dumps(ten_megabytes()).encode()


def multipart(operation: Operation, data: dict) -> bytes:
    """A form upload; a binary field is a file whose content is the value."""
    properties = operation.body_schema.get("properties", {})
    fields = {}
    for name, value in data.items():
        if properties.get(name, {}).get("format") == "binary":
            value = SimpleUploadedFile("upload.pdf", value if isinstance(value, bytes) else value.encode())
        fields[name] = value
    return encode_multipart(BOUNDARY, fields)


def multipart_cases(operation: Operation, body: dict) -> Iterator[tuple[Case, bytes]]:
    paths = field_paths(operation, body)
    long_path = free_text_path(operation, paths)
    for path in paths:
        values = {**FORM_VALUES, TEN_MB_NAME: ten_megabytes()} if path == long_path else FORM_VALUES
        for name, value in values.items():
            yield Case(dotted(path), name), multipart(operation, {**body, path[0]: value})


def cases(operation: Operation, stage: Stage) -> Iterator[tuple[Case, bytes, str]]:
    body = valid_body(operation, stage)
    if operation.multipart:
        for case, payload in multipart_cases(operation, body):
            yield case, payload, MULTIPART_CONTENT
        body = None
    for case, payload in json_cases(operation, body):
        yield case, payload, "application/json"


def url_of(operation: Operation, stage: Stage) -> str:
    target = TARGETS.get((operation.method, operation.route))
    kwargs = target(stage) if target else RULES[operation.route].kwargs(stage.world)
    return reverse(operation.route, kwargs=kwargs)


def roles_for(operation: Operation) -> tuple[str, ...]:
    return (*ROLES, API_KEY_ROLE) if operation.takes_api_key else ROLES


def send(client: Client, method: str, url: str, payload: bytes, content_type: str, headers: dict):
    return in_savepoint(client.generic, method.upper(), url, payload, content_type=content_type, headers=headers)


def problem_with(response, case: Case) -> str | None:
    status = response.status_code
    if status >= 500 or (status >= 400 and "json" not in response.get("Content-Type", "")):
        return described(response)
    # A success that shows the 10 MB string back has stored it.
    if status < 300 and case.value == TEN_MB_NAME and len(response.content) > TEN_MEGABYTES:
        return f"{status}: stored it"
    return None


@pytest.fixture
def stage() -> Stage:
    world = build_world()
    owner, reviewer = world.users["owner"], world.users["reviewer"]
    open_round = CohortFactory(program=world.cohort.program)
    form(open_round)
    applicants_services.application_save_answers(application=world.draft, answers={"summary": "We build with Llama."})
    other = StartupMemberFactory(startup=StartupFactory(name="Reviewed Startup"))
    reviewed = reviews_services.assignment_create(
        application=submitted(other.startup, world.cohort, other.user), reviewer=reviewer, actor=world.users["manager"]
    )
    reviews_services.review_save(assignment=reviewed, reviewer=reviewer, comment="Promising.")
    _, api_key = adoption_services.api_key_create(startup=world.draft.startup, user=owner, name="Hostile")
    tokens = {role: Token.objects.create(user=world.users[role]).key for role in ROLES if role != "anonymous"}
    return Stage(
        world=world,
        headers={
            "anonymous": {},
            **{role: {"Authorization": f"Token {key}"} for role, key in tokens.items()},
            API_KEY_ROLE: {"Authorization": f"Api-Key {api_key}"},
        },
        open_round_pk=open_round.pk,
        reviewed_assignment_pk=reviewed.pk,
    )


def test_every_write_operation_takes_its_valid_body(stage):
    """The fuzz starts from bodies that get through: a 2xx for some role."""
    client = Client(raise_request_exception=False)
    refused = []
    for operation in write_operations():
        body = valid_body(operation, stage)
        if operation.multipart:
            payload, content_type = multipart(operation, body), MULTIPART_CONTENT
        else:
            payload, content_type = (b"" if body is None else json.dumps(body).encode()), "application/json"
        url = url_of(operation, stage)
        responses = {
            role: send(client, operation.method, url, payload, content_type, stage.headers[role])
            for role in roles_for(operation)
        }
        if not any(200 <= response.status_code < 300 for response in responses.values()):
            answers = ", ".join(f"{role} {r.status_code} {r.content[:200].decode()}" for role, r in responses.items())
            refused.append(f"{operation.label}: {answers}")

    assert not refused, "\n".join(refused)


def test_no_hostile_value_makes_a_write_operation_fail(stage):
    client = Client(raise_request_exception=False)
    failures = Failures()
    operations = write_operations()
    with unlogged_server_errors():
        for operation in operations:
            url = url_of(operation, stage)
            for case, payload, content_type in cases(operation, stage):
                for role in roles_for(operation):
                    response = send(client, operation.method, url, payload, content_type, stage.headers[role])
                    if problem := problem_with(response, case):
                        failures.add(
                            where=operation.label, field=case.field, value=case.value, problem=problem, role=role
                        )

    assert len(operations) >= 17
    if failures:
        pytest.fail(failures.listing(), pytrace=False)
