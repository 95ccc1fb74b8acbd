"""Hostile values in every field of every form of the portal, for every role.

The pages come from the authorization matrix: each page of the URL conf is
opened, in the matrix's world, by an anonymous visitor, the startup's owner,
its reviewer and the program's manager; every ``<form method="post">`` found
(and the ``hx-post`` it autosaves to) is sent back as a browser would, with
its CSRF token and the other fields' values, and one field at a time replaced
by a value a browser can send (``tests.support.hostile``). A JSON textarea
also gets JSON holding what PostgreSQL refuses; each form once gets a 10 MB
string. No answer may be a 5xx.

Every request runs in a savepoint rolled back afterwards, and the session
cookies are put back, so that one case starts from the world the next sees.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from tests.authz.test_matrix import RULES, is_api, route_names
from tests.authz.world import World, build_world
from tests.support.hostile import (
    FORM_VALUES,
    JSON_TEXT_VALUES,
    TEN_MB_NAME,
    Failures,
    described,
    in_savepoint,
    ten_megabytes,
    unlogged_server_errors,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.slow]

ROLES = ("anonymous", "owner", "reviewer", "manager")
CSRF_FIELD = "csrfmiddlewaretoken"
TEXT_KINDS = ("textarea", "text", "email", "url", "search", "password", "hidden")


@dataclass
class Field:
    kind: str
    values: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    hx_post: str | None
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def targets(self) -> list[str]:
        return [urljoin(self.page, url) for url in (self.action or self.page, self.hx_post) if url]


class PostForms(HTMLParser):
    """The page's forms that post, with what a browser would send for each field."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.open: Field | None = None
        self.buttons = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name")
        if tag == "form" and attributes.get("method", "").lower() == "post":
            self.form = Form(
                page=self.page,
                action=attributes.get("action", ""),
                hx_post=attributes.get("hx-post"),
                multipart="multipart" in attributes.get("enctype", ""),
            )
            self.buttons = 0
        elif self.form is None or (tag != "option" and not name):
            return
        elif tag == "input":
            kind = attributes.get("type", "text").lower()
            each = self.form.fields.setdefault(name, Field(kind))
            each.options.append(attributes.get("value", ""))
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                each.values.append(attributes.get("value", ""))
        elif tag == "textarea":
            self.open = self.form.fields.setdefault(name, Field("textarea", [""]))
        elif tag == "select":
            self.open = self.form.fields.setdefault(name, Field("select"))
        elif tag == "option" and self.open is not None:
            self.open.options.append(attributes.get("value", ""))
            if "selected" in attributes:
                self.open.values = [attributes.get("value", "")]
        elif tag == "button" and attributes.get("type", "submit") == "submit" and name not in self.form.fields:
            # A browser sends the button that was pressed: the first one here.
            self.form.fields[name] = Field("button", [attributes.get("value", "")] if not self.buttons else [])
            self.buttons += 1

    def handle_data(self, data: str) -> None:
        if self.open is not None and self.open.kind == "textarea":
            # A browser drops the newline that opens a textarea's content.
            text = self.open.values[0] + data
            self.open.values = [text.removeprefix("\n") if not self.open.values[0] else text]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag in ("textarea", "select"):
            self.open = None


def typed(each: Field) -> list[str]:
    """What a person fills in where the page leaves a field empty."""
    if any(each.values) or each.kind in ("checkbox", "button", "file", "hidden"):
        return each.values
    if each.kind in ("select", "radio"):
        return [next((option for option in each.options if option), "")]
    return [
        {
            "email": "fuzz@fuzz.example",
            "date": timezone.localdate().isoformat(),
            "number": "1",
            "url": "https://fuzz.example",
            "password": "Fuzz-pass-word-123",
            # A textarea may be read as JSON (a check-in's metrics): {} is text and JSON.
            "textarea": "{}",
        }.get(each.kind, "Fuzz")
    ]


def base_data(form: Form) -> dict[str, list[str]]:
    return {name: typed(each) for name, each in form.fields.items() if typed(each)}


def cases(form: Form):
    """(field, value name, data): each hostile value in each field, and 10 MB once."""
    base = base_data(form)
    fuzzed = [name for name in form.fields if name != CSRF_FIELD]
    for name in fuzzed:
        values = {**FORM_VALUES, **(JSON_TEXT_VALUES if form.fields[name].kind == "textarea" else {})}
        for value_name, value in values.items():
            yield name, value_name, {**base, name: [value]}
    texts = sorted(
        (name for name in fuzzed if form.fields[name].kind in TEXT_KINDS),
        key=lambda name: TEXT_KINDS.index(form.fields[name].kind),
    )
    longest = texts[0] if texts else next(iter(fuzzed), None)
    if longest is not None:
        yield longest, TEN_MB_NAME, {**base, longest: [ten_megabytes()]}


def encoded(form: Form, data: dict[str, list[str]]) -> dict:
    """The arguments of the test client's post for what the browser sends."""
    if not form.multipart:
        return {"data": urlencode(data, doseq=True), "content_type": "application/x-www-form-urlencoded"}
    files = {name for name, each in form.fields.items() if each.kind == "file"}
    return {
        "data": {
            name: SimpleUploadedFile("upload.csv", values[0].encode()) if name in files else values
            for name, values in data.items()
        }
    }


def posted(client: Client, url: str, **arguments):
    """The answer to a post, with the client's cookies as they were: logging in or
    out rotates them, and the next case must not lose its session or CSRF token."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    response = in_savepoint(client.post, url, **arguments)
    client.cookies = SimpleCookie(cookies)
    return response


def pages(world: World) -> list[str]:
    return [
        reverse(name, kwargs=RULES[name].kwargs(world))
        for name in sorted(route_names())
        if not is_api(name) and RULES[name].method == "get"
    ]


def forms_seen_by(client: Client, world: World) -> list[Form]:
    """Every post form on the pages this client may open, each once."""
    found: dict[tuple, Form] = {}
    for page in pages(world):
        response = in_savepoint(client.get, page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PostForms(page)
        parser.feed(response.content.decode())
        for form in parser.forms:
            # One per route: the rows of a table each have the same form.
            routes = tuple(resolve(urlsplit(target).path).view_name for target in form.targets)
            found.setdefault((routes, tuple(sorted(form.fields))), form)
    return list(found.values())


def fuzz_forms(client: Client, world: World, role: str, failures: Failures) -> int:
    """Sends every case of every form the client sees; returns how many posts it made."""
    sent = 0
    for form in forms_seen_by(client, world):
        for name, value_name, data in cases(form):
            for target in form.targets:
                response = posted(client, target, **encoded(form, data))
                sent += 1
                if response.status_code >= 500:
                    where = f"POST /{resolve(urlsplit(target).path).route}"
                    failures.add(where=where, field=name, value=value_name, problem=described(response), role=role)
    return sent


def signed_in(world: World, role: str) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def test_every_portal_form_takes_its_page_values():
    """The fuzz starts from posts that pass the CSRF check and reach the view."""
    world = build_world()
    refused = []
    for role in ROLES:
        client = signed_in(world, role)
        for form in forms_seen_by(client, world):
            for target in form.targets:
                status = posted(client, target, **encoded(form, base_data(form))).status_code
                if status not in (200, 302):
                    refused.append(f"{role} POST {target}: {status}")

    assert refused == []


def test_no_hostile_value_makes_a_portal_form_fail():
    world = build_world()
    failures = Failures()
    sent = 0
    with unlogged_server_errors():
        for role in ROLES:
            sent += fuzz_forms(signed_in(world, role), world, role, failures)

    assert sent > 500
    if failures:
        pytest.fail(failures.listing(), pytrace=False)
