"""What the API answers to input built to break it: text PostgreSQL cannot
store, JSON nested without end, numbers no double can hold, bodies over the
limit, and a bug. Always a JSON error naming the field where there is one,
never a 500 page, and nothing stored."""

import json

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from applicants.models import Application, Startup
from common.text import UNSTORABLE_MESSAGE
from programs.enums import QuestionKind
from tests.authz.world import build_world
from tests.factories import QuestionFactory
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

LONE_SURROGATE = "\ud800"
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def world():
    world = build_world()
    QuestionFactory(cohort=world.draft.cohort, key="product_summary", kind=QuestionKind.LONG_TEXT)
    QuestionFactory(
        cohort=world.draft.cohort, key="llama_models", kind=QuestionKind.MULTI_CHOICE, choices=["Llama 3.1 8B"]
    )
    return world


def send(world, role: str, method: str, url: str, body: str):
    client = client_for(world.users[role])
    client.raise_request_exception = False
    return getattr(client, method)(url, body, content_type="application/json")


def as_json(payload: object) -> str:
    # json.dumps escapes a lone surrogate as \ud800, as a hostile client would send it.
    return json.dumps(payload)


def application_url(world) -> str:
    return f"/api/v1/applications/{world.draft.pk}/"


@pytest.mark.parametrize("text", ["a\x00b", f"a{LONE_SURROGATE}b"])
def test_answer_with_unstorable_text_is_400_naming_the_question(world, text):
    body = as_json({"answers": {"product_summary": text}})

    response = send(world, "owner", "patch", application_url(world), body)

    assert (response.status_code, response.json()) == (400, {"answers.product_summary": [UNSTORABLE_MESSAGE]})
    assert Application.objects.get(pk=world.draft.pk).answers == world.draft.answers


def startup_url(world) -> str:
    return f"/api/v1/startups/{world.owner_membership.startup_id}/"


# field named in the error: (role, method, url, body with a lone surrogate in that field)
CHOICES = {
    "country": ("owner", "post", lambda w: "/api/v1/startups/", lambda w: {"name": "Acme", "country": LONE_SURROGATE}),
    "incorporation_country": (
        "owner",
        "patch",
        startup_url,
        lambda w: {"incorporation_country": LONE_SURROGATE},
    ),
    "role": (
        "owner",
        "post",
        lambda w: f"{startup_url(w)}invitations/",
        lambda w: {"email": "new@acme.example", "role": LONE_SURROGATE},
    ),
    "recommendation": (
        "reviewer",
        "post",
        lambda w: f"/api/v1/reviews/assignments/{w.assignment.pk}/review/",
        lambda w: {"recommendation": LONE_SURROGATE},
    ),
    "decision": (
        "manager",
        "post",
        lambda w: f"/api/v1/reviews/rounds/{w.cohort.pk}/decisions/",
        lambda w: {"application": w.in_review.pk, "decision": LONE_SURROGATE},
    ),
    "decision (bulk)": (
        "manager",
        "post",
        lambda w: f"/api/v1/reviews/rounds/{w.cohort.pk}/decisions/bulk/",
        lambda w: {"applications": [w.in_review.pk], "decision": LONE_SURROGATE},
    ),
    "answers.llama_models.0": (
        "owner",
        "patch",
        application_url,
        lambda w: {"answers": {"llama_models": [LONE_SURROGATE]}},
    ),
}


@pytest.mark.parametrize("field", CHOICES)
def test_choice_with_a_lone_surrogate_is_400_naming_the_field(world, field):
    role, method, url, payload = CHOICES[field]

    response = send(world, role, method, url(world), as_json(payload(world)))

    assert (response.status_code, response.json()) == (400, {field.removesuffix(" (bulk)"): [UNSTORABLE_MESSAGE]})


# (role, method, url) of endpoints that read a JSON body, anonymous ones included
BODIES = {
    "token": ("anonymous", "post", lambda w: "/api/v1/auth/token/"),
    "startups": ("owner", "post", lambda w: "/api/v1/startups/"),
    "applications": ("owner", "post", lambda w: "/api/v1/applications/"),
    "answers": ("owner", "patch", application_url),
    "reviews": ("reviewer", "post", lambda w: f"/api/v1/reviews/assignments/{w.assignment.pk}/review/"),
    "decisions": ("manager", "post", lambda w: f"/api/v1/reviews/rounds/{w.cohort.pk}/decisions/"),
}


@pytest.mark.parametrize("endpoint", BODIES)
def test_json_nested_100000_deep_is_400(world, endpoint):
    role, method, url = BODIES[endpoint]

    response = send(world, role, method, url(world), DEEP)

    assert response.status_code == 400
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 400], ids=["1e400", "-1e400", "10**400"])
def test_number_too_large_for_a_double_in_a_key_is_400_naming_the_field(world, number):
    before = Application.objects.count()
    body = f'{{"startup": {number}, "round": {world.draft.cohort_id}}}'

    response = send(world, "owner", "post", "/api/v1/applications/", body)

    assert (response.status_code, response.json()) == (400, {"startup": ["Enter a number of reasonable size."]})
    assert Application.objects.count() == before


def test_body_over_the_size_limit_is_413_in_json(world, settings):
    before = Startup.objects.count()
    body = as_json({"name": "Acme", "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = send(world, "owner", "post", "/api/v1/startups/", body)

    assert (response.status_code, response["Content-Type"]) == (413, "application/json")
    assert list(response.json()) == ["detail"]
    assert Startup.objects.count() == before


def test_request_django_refuses_under_the_api_is_a_json_400(world, settings):
    client = client_for(world.users["reviewer"])
    client.raise_request_exception = False
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = client.post(f"/api/v1/reviews/assignments/{world.assignment.pk}/review/", fields)

    assert (response.status_code, response.json()) == (400, {"detail": "Bad request."})


@pytest.fixture
def failing_client(settings):
    """A client of the project with one page and one endpoint that fail."""
    settings.ROOT_URLCONF = "tests.api.failing_urls"
    client = APIClient()
    client.raise_request_exception = False
    return client


def test_server_error_under_the_api_is_json(failing_client):
    response = failing_client.get("/api/v1/fail/")

    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert response.json() == {"detail": "Server error."}


def test_server_error_outside_the_api_is_still_a_page(failing_client):
    response = failing_client.get("/fail/")

    assert (response.status_code, response["Content-Type"]) == (500, "text/html; charset=utf-8")


def test_json_renderer_escapes_a_lone_surrogate_echoed_in_an_error():
    renderer = api_settings.DEFAULT_RENDERER_CLASSES[0]()
    error = {"country": [f'"{LONE_SURROGATE}" is not a valid choice.']}

    rendered = renderer.render(error, "application/json")

    assert json.loads(rendered) == error
