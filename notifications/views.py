"""A program's webhook endpoints, for its managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.errors import DomainError
from notifications.forms import WebhookEndpointForm
from notifications.selectors import webhook_endpoint_get_managed
from outbox import selectors, services
from outbox.models import WebhookEndpoint
from programs.models import Program
from programs.selectors import program_get_managed

DELIVERIES_SHOWN = 50


def show_secret(request: HttpRequest, program: Program, endpoint: WebhookEndpoint, secret: str) -> HttpResponse:
    # Rendered in the answer to the POST, never stored for a later page: shown once.
    response = render(
        request, "notifications/webhook_secret.html", {"program": program, "endpoint": endpoint, "secret": secret}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def webhook_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = program_get_managed(user=request.user, slug=slug)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(
                program_id=program.pk,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error("url", error.message)
        else:
            if not form.cleaned_data["is_active"]:
                services.endpoint_update(endpoint=endpoint, is_active=False)
            return show_secret(request, program, endpoint, secret)
    context = {"program": program, "endpoints": selectors.webhook_endpoint_list(program_id=program.pk), "form": form}
    return render(request, "notifications/webhook_list.html", context)


@login_required
def webhook_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
    program = endpoint.program
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "is_active": endpoint.is_active,
    }
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        except DomainError as error:
            form.add_error("url", error.message)
        else:
            messages.success(request, "Endpoint saved.")
            return redirect("notifications:webhook-detail", slug=program.slug, pk=endpoint.pk)
    context = {
        "program": program,
        "endpoint": endpoint,
        "form": form,
        "deliveries": selectors.webhook_delivery_list(endpoint=endpoint)[:DELIVERIES_SHOWN],
    }
    return render(request, "notifications/webhook_detail.html", context)


@login_required
@require_POST
def webhook_rotate_secret(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
    program = endpoint.program
    secret = services.endpoint_rotate_secret(endpoint=endpoint)
    return show_secret(request, program, endpoint, secret)


@login_required
@require_POST
def webhook_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
    program = endpoint.program
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, "Endpoint deleted.")
    return redirect("notifications:webhook-list", slug=program.slug)


@login_required
@require_POST
def webhook_delivery_replay(request: HttpRequest, slug: str, pk: int, delivery_pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
    program = endpoint.program
    if services.deliveries_replay(endpoint=endpoint, ids=[delivery_pk]):
        messages.success(request, "Delivery queued again.")
    else:
        messages.error(request, "That delivery is being made right now, or is not this endpoint's.")
    return redirect("notifications:webhook-detail", slug=program.slug, pk=endpoint.pk)
