"""Every route, for every role: who gets in and who is turned away.

The routes come from the URL conf and the OpenAPI schema, so a new endpoint
without a line in ``RULES`` fails ``test_every_route_has_a_rule``. For each
route the test plays every role against the same world, each request inside a
savepoint that is rolled back, and checks:

- an allowed role is let through (not 401, 403, 404, nor a bounce to log-in);
- any other signed-in role gets 403 or 404;
- an anonymous visitor is sent to log in (pages) or gets 401/403 (API);
- where ``hides`` is set, a role that is let through to a list sees none of
  the world's secret startup.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.authz.world import INVITATION_TOKEN, ROLES, SECRET_NAME, World, build_world

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
OWNER = frozenset({"owner"})
REVIEWER = frozenset({"reviewer"})
MANAGER = frozenset({"manager"})
DENIED = frozenset({403, 404})
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
# The admin has Django's own staff checks; /healthz exposes no object and says 503 when no worker runs.
NOT_IN_MATRIX = ("admin:", "healthz")


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    method: str = "get"
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    data: Callable[[World], dict] | None = None
    # For lists open to everyone signed in: those who are not allowed to see the
    # world's startup must not find it in what they get.
    hides: frozenset[str] = frozenset()
    denied: frozenset[int] = DENIED


def pk(attribute: str) -> Callable[[World], dict]:
    return lambda w: {"pk": getattr(w, attribute).pk}


def startup_pk(w: World) -> dict:
    return {"startup_pk": w.in_review.startup_id}


def program_slug(w: World) -> dict:
    return {"slug": w.cohort.program.slug}


def webhook(w: World) -> dict:
    return {**program_slug(w), "pk": w.webhook.pk}


def delivery(w: World) -> dict:
    return {**webhook(w), "delivery_pk": w.delivery.pk}


RULES: dict[str, Rule] = {
    # --- Public and account pages ---
    "api-schema": Rule(EVERYONE),
    "api-docs": Rule(EVERYONE),
    "accounts:signup": Rule(EVERYONE),
    "accounts:signup-sent": Rule(EVERYONE),
    "accounts:signup-confirm": Rule(EVERYONE, kwargs=lambda w: {"pk": 1, "token": "expired-token"}),
    "accounts:login": Rule(EVERYONE),
    "accounts:logout": Rule(EVERYONE, method="post"),
    "accounts:profile": Rule(SIGNED_IN),
    "accounts:password-reset": Rule(EVERYONE),
    "accounts:password-reset-done": Rule(EVERYONE),
    "accounts:password-reset-confirm": Rule(EVERYONE, kwargs=lambda w: {"uidb64": "MQ", "token": "expired-token"}),
    "accounts:password-reset-complete": Rule(EVERYONE),
    "accounts-api:token": Rule(SIGNED_IN, method="delete"),
    "programs:program-list": Rule(EVERYONE),
    "programs:program-detail": Rule(EVERYONE, kwargs=lambda w: {"slug": w.cohort.program.slug}),
    "programs-api:program-list": Rule(EVERYONE),
    "programs-api:program-detail": Rule(EVERYONE, kwargs=lambda w: {"slug": w.cohort.program.slug}),
    "programs-api:round-list": Rule(EVERYONE),
    "programs-api:round-detail": Rule(EVERYONE, kwargs=lambda w: {"pk": w.cohort.pk}),
    # --- The startup's pages ---
    "applicants:dashboard": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER),
    "applicants:startup-create": Rule(SIGNED_IN),
    "applicants:startup-detail": Rule(OWNER, kwargs=lambda w: {"pk": w.in_review.startup_id}),
    "applicants:startup-update": Rule(OWNER, kwargs=lambda w: {"pk": w.in_review.startup_id}),
    "applicants:member-list": Rule(OWNER, kwargs=lambda w: {"pk": w.in_review.startup_id}),
    "applicants:member-remove": Rule(
        OWNER,
        method="post",
        kwargs=lambda w: {"pk": w.in_review.startup_id, "member_pk": w.teammate_membership.pk},
    ),
    "applicants:invitation-revoke": Rule(
        OWNER, method="post", kwargs=lambda w: {"pk": w.in_review.startup_id, "invitation_pk": w.invitation.pk}
    ),
    # Only the invited address may open its invitation, and none of the roles is it.
    "applicants:invitation-accept": Rule(frozenset(), kwargs=lambda w: {"token": INVITATION_TOKEN}),
    "applicants:application-start": Rule(SIGNED_IN, kwargs=lambda w: {"cohort_pk": w.cohort.pk}),
    "applicants:application-detail": Rule(OWNER, kwargs=pk("in_review")),
    "applicants:application-edit": Rule(OWNER, kwargs=pk("draft")),
    "applicants:application-autosave": Rule(
        OWNER, method="post", kwargs=pk("draft"), data=lambda w: {"answer-summary": "Saved"}
    ),
    "applicants:application-eligibility": Rule(OWNER, kwargs=pk("draft")),
    "applicants:application-review": Rule(OWNER, kwargs=pk("draft")),
    "applicants:application-withdraw": Rule(OWNER, kwargs=pk("in_review")),
    "applicants:attachment-download": Rule(OWNER | MANAGER, kwargs=pk("attachment")),
    "applicants:attachment-delete": Rule(OWNER, method="post", kwargs=pk("draft_attachment")),
    # --- The startup's API ---
    "applicants-api:startup-list": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER),
    "applicants-api:startup-detail": Rule(OWNER, kwargs=lambda w: {"pk": w.in_review.startup_id}),
    "applicants-api:member-list": Rule(OWNER, kwargs=lambda w: {"startup_pk": w.in_review.startup_id}),
    "applicants-api:member-detail": Rule(
        OWNER, method="delete", kwargs=lambda w: {"startup_pk": w.in_review.startup_id, "pk": w.teammate_membership.pk}
    ),
    "applicants-api:invitation-list": Rule(OWNER, kwargs=lambda w: {"startup_pk": w.in_review.startup_id}),
    "applicants-api:invitation-detail": Rule(
        OWNER, method="delete", kwargs=lambda w: {"startup_pk": w.in_review.startup_id, "pk": w.invitation.pk}
    ),
    "applicants-api:application-list": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER),
    "applicants-api:application-detail": Rule(OWNER, kwargs=pk("in_review")),
    "applicants-api:application-submit": Rule(OWNER, method="post", kwargs=pk("draft")),
    "applicants-api:application-withdraw": Rule(OWNER, method="post", kwargs=pk("in_review")),
    "applicants-api:application-eligibility": Rule(OWNER, kwargs=pk("draft")),
    "applicants-api:application-history": Rule(OWNER, kwargs=lambda w: {"application_pk": w.in_review.pk}),
    "applicants-api:attachment-list": Rule(OWNER, kwargs=lambda w: {"application_pk": w.in_review.pk}),
    "applicants-api:attachment-detail": Rule(
        OWNER, method="delete", kwargs=lambda w: {"application_pk": w.draft.pk, "pk": w.draft_attachment.pk}
    ),
    "applicants-api:attachment-download": Rule(
        OWNER | MANAGER, kwargs=lambda w: {"application_pk": w.in_review.pk, "pk": w.attachment.pk}
    ),
    # --- Reviewers ---
    "reviews:queue": Rule(SIGNED_IN, hides=SIGNED_IN - REVIEWER),
    "reviews:assignment-detail": Rule(REVIEWER, kwargs=pk("assignment")),
    "reviews:assignment-conflict": Rule(REVIEWER, method="post", kwargs=pk("assignment")),
    "reviews:attachment-download": Rule(REVIEWER, kwargs=lambda w: {"pk": w.assignment.pk, "question_key": "deck"}),
    "reviews-api:assignment-list": Rule(SIGNED_IN, hides=SIGNED_IN - REVIEWER),
    "reviews-api:assignment-detail": Rule(REVIEWER, kwargs=pk("assignment")),
    "reviews-api:review": Rule(REVIEWER, method="post", kwargs=pk("assignment"), data=lambda w: {}),
    "reviews-api:review-submit": Rule(REVIEWER, method="post", kwargs=pk("assignment"), data=lambda w: {}),
    # --- Managers ---
    "reviews:round-list": Rule(SIGNED_IN, hides=SIGNED_IN - MANAGER),
    "reviews:round-overview": Rule(MANAGER, kwargs=pk("cohort")),
    "reviews:round-assignments": Rule(MANAGER, kwargs=pk("cohort")),
    "reviews:assignment-add": Rule(MANAGER, method="post", kwargs=pk("cohort"), data=lambda w: {}),
    "reviews:assignment-remove": Rule(
        MANAGER, method="post", kwargs=lambda w: {"pk": w.cohort.pk, "assignment_pk": w.assignment.pk}
    ),
    "reviews:round-ranking": Rule(MANAGER, kwargs=pk("cohort")),
    "reviews-api:ranking": Rule(MANAGER, kwargs=lambda w: {"cohort_pk": w.cohort.pk}),
    "reviews-api:round-applications": Rule(MANAGER, kwargs=lambda w: {"cohort_pk": w.cohort.pk}),
    "reviews-api:decisions": Rule(MANAGER, kwargs=lambda w: {"cohort_pk": w.cohort.pk}),
    "reviews-api:decisions-bulk": Rule(
        MANAGER,
        method="post",
        kwargs=lambda w: {"cohort_pk": w.cohort.pk},
        data=lambda w: {"applications": [w.in_review.pk], "decision": "reject"},
    ),
    # --- Offers, for the startup ---
    "reviews:offer-list": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER),
    "reviews:offer-detail": Rule(OWNER, kwargs=pk("offer")),
    "reviews-api:offer-list": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER),
    "reviews-api:offer-detail": Rule(OWNER, kwargs=pk("offer")),
    "reviews-api:offer-accept": Rule(OWNER, method="post", kwargs=pk("offer")),
    "reviews-api:offer-decline": Rule(OWNER, method="post", kwargs=pk("offer")),
    # --- Adoption, for the accepted startup and its program's managers ---
    "adoption:index": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER - MANAGER),
    "adoption:startup-dashboard": Rule(OWNER, kwargs=startup_pk),
    "adoption:deployment-list": Rule(OWNER, kwargs=startup_pk),
    "adoption:deployment-stage": Rule(
        OWNER, method="post", kwargs=lambda w: {**startup_pk(w), "pk": w.deployment.pk}, data=lambda w: {}
    ),
    "adoption:apikey-list": Rule(OWNER, kwargs=startup_pk),
    "adoption:apikey-revoke": Rule(OWNER, method="post", kwargs=lambda w: {**startup_pk(w), "pk": w.api_key.pk}),
    "adoption:usage-upload": Rule(OWNER, kwargs=startup_pk),
    "adoption:checkin-list": Rule(OWNER, kwargs=startup_pk),
    "adoption:checkin-edit": Rule(OWNER, kwargs=lambda w: {**startup_pk(w), "pk": w.checkin.pk}),
    "adoption:milestone-achieved": Rule(OWNER, method="post", kwargs=lambda w: {**startup_pk(w), "pk": w.milestone.pk}),
    "adoption:payment-list": Rule(OWNER, kwargs=startup_pk),
    "adoption:manager-dashboard": Rule(MANAGER, kwargs=program_slug),
    "adoption:manager-payments": Rule(MANAGER, kwargs=program_slug),
    "adoption:manager-payments-csv": Rule(MANAGER, kwargs=program_slug),
    "adoption:manager-payment-action": Rule(
        MANAGER, method="post", kwargs=lambda w: {**program_slug(w), "pk": w.payment.pk, "action": "approve"}
    ),
    "adoption-api:deployment-list": Rule(SIGNED_IN, hides=SIGNED_IN - OWNER),
    # Usage is reported with the startup's API key only: a signed-in session is
    # not a credential there (API keys are tested with the usage endpoint).
    "adoption-api:usage": Rule(frozenset(), denied=frozenset({401})),
    # --- Webhooks, for the program's managers ---
    "notifications:webhook-list": Rule(MANAGER, kwargs=program_slug),
    "notifications:webhook-detail": Rule(MANAGER, kwargs=webhook),
    "notifications:webhook-rotate-secret": Rule(MANAGER, method="post", kwargs=webhook),
    "notifications:webhook-delete": Rule(MANAGER, method="post", kwargs=webhook),
    "notifications:webhook-delivery-replay": Rule(MANAGER, method="post", kwargs=delivery),
    "notifications-api:webhook-list": Rule(MANAGER, kwargs=program_slug),
    "notifications-api:webhook-detail": Rule(MANAGER, kwargs=webhook),
    "notifications-api:webhook-rotate-secret": Rule(MANAGER, method="post", kwargs=webhook),
    "notifications-api:webhook-delivery-list": Rule(MANAGER, kwargs=webhook),
    "notifications-api:webhook-delivery-replay": Rule(MANAGER, method="post", kwargs=delivery),
}


def route_names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return {name for name in names if not name.startswith(NOT_IN_MATRIX)}


def is_api(name: str) -> bool:
    return "-api:" in name or name.startswith("api-")


def bounced_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_route_has_a_rule():
    assert sorted(route_names() - set(RULES)) == []
    assert sorted(set(RULES) - route_names()) == []


def test_every_schema_operation_is_a_route_with_a_rule():
    from django.urls import resolve

    schema = SchemaGenerator().get_schema(request=None, public=True)
    unruled = []
    for path in schema["paths"]:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(concrete if concrete.startswith("/api/") else f"/api/v1{concrete}")
        if match.view_name not in RULES:
            unruled.append((path, match.view_name))
    assert unruled == []


def play(rule: Rule, name: str, world: World, role: str):
    client = APIClient() if is_api(name) else APIClient(enforce_csrf_checks=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=rule.kwargs(world))
    data = rule.data(world) if rule.data else None
    if is_api(name):
        return getattr(client, rule.method)(url, data, format="json")
    return getattr(client, rule.method)(url, data)


def verdict(rule: Rule, name: str, role: str, response) -> str | None:
    """What is wrong with ``response`` for ``role``, or None."""
    status = response.status_code
    if status >= 500:
        return f"{role}: {status}"
    if role in rule.allowed:
        if status in {401, 403, 404, 405} or bounced_to_login(response):
            return f"{role} should get in, got {status}"
        if role in rule.hides and SECRET_NAME in response.content.decode(errors="replace"):
            return f"{role} sees the secret startup"
        if "text/html" in response.get("Content-Type", "") and INLINE_SCRIPT.search(response.content.decode()):
            return f"{role}: the page has an inline script"
        return None
    if role == "anonymous":
        ok = status in {401, 403} if is_api(name) else bounced_to_login(response)
        return None if ok else f"anonymous should be turned away, got {status}"
    return None if status in rule.denied else f"{role} should get {sorted(rule.denied)}, got {status}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_route_lets_in_exactly_its_roles(name):
    rule = RULES[name]
    world = build_world()
    problems = []
    for role in ROLES:
        with transaction.atomic():
            response = play(rule, name, world, role)
            problem = verdict(rule, name, role, response)
            transaction.set_rollback(True)
        if problem:
            problems.append(problem)

    assert problems == []
