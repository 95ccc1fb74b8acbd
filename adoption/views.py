"""Portal pages: a startup's adoption pages and a program manager's dashboard and payments.

Access is decided by the selectors each page starts with: a startup's pages
404 for anyone but the members of an accepted startup, a program's pages for
anyone but its managers.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from adoption import charts, selectors, services
from adoption.enums import DEPLOYMENT_TRANSITIONS, DeploymentStage, DisbursementStatus
from adoption.forms import (
    ApiKeyForm,
    CheckInForm,
    DeploymentForm,
    MilestoneForm,
    PaymentFilterForm,
    StageForm,
    UsageUploadForm,
    add_domain_errors,
)
from adoption.ingest import MAX_BATCH, decode_upload, records_from_csv
from common.csv import csv_response
from common.errors import DomainError
from common.menu import remember_menu
from common.redirects import safe_next_url
from programs.rules import programs_managed_by
from programs.selectors import program_get_managed

ERRORS_SHOWN = 50


def startup_page(view):
    """Load the startup named in the URL for a member of it, once accepted (else 404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, startup_pk: int, *args, **kwargs) -> HttpResponse:
        startup = selectors.startup_get_for_adoption(user=request.user, pk=startup_pk)
        return view(request, startup, *args, **kwargs)

    return wrapper


def program_page(view):
    """Load the program named in the URL for one of its managers (else 404)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        program = program_get_managed(user=request.user, slug=slug)
        return view(request, program, *args, **kwargs)

    return wrapper


def month_label(month) -> str:
    return month.strftime("%b %Y")


# --- Index -----------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # A startup accepted since log-in gets its menu link from here on.
    remember_menu(request.session, request.user)
    context = {
        "startups": selectors.startup_list_for_adoption(user=request.user),
        "programs": programs_managed_by(request.user).order_by("name"),
    }
    return render(request, "adoption/index.html", context)


# --- A startup's pages -------------------------------------------------------------


@startup_page
@require_GET
def startup_dashboard(request: HttpRequest, startup) -> HttpResponse:
    data = selectors.startup_dashboard(startup=startup)
    usage_chart = charts.line_chart(
        title=f"Tokens per model and month, {startup.name}",
        slug="usage-per-model",
        labels=[month_label(month) for month in data.months],
        series=data.tokens_by_model,
        unit="tokens",
    )
    context = {"startup": startup, "section": "dashboard", "data": data, "usage_chart": usage_chart}
    return render(request, "adoption/startup_dashboard.html", context)


@startup_page
@require_http_methods(["GET", "POST"])
def deployment_list(request: HttpRequest, startup) -> HttpResponse:
    form = DeploymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deployment_create(startup=startup, user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "Deployment recorded.")
            return redirect("adoption:deployment-list", startup_pk=startup.pk)
    deployments = list(selectors.deployment_list(startup=startup))
    for deployment in deployments:
        deployment.next_stages = [
            (stage, DeploymentStage(stage).label)
            for stage in DeploymentStage.values
            if stage in DEPLOYMENT_TRANSITIONS[deployment.stage]
        ]
    context = {"startup": startup, "section": "deployments", "deployments": deployments, "form": form}
    return render(request, "adoption/deployment_list.html", context)


@startup_page
@require_POST
def deployment_stage(request: HttpRequest, startup, pk: int) -> HttpResponse:
    deployment = selectors.deployment_get(startup=startup, pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a stage.")
    else:
        try:
            services.deployment_change_stage(
                deployment=deployment, to_stage=form.cleaned_data["stage"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{deployment.model} is now in {deployment.get_stage_display().lower()}.")
    return redirect("adoption:deployment-list", startup_pk=startup.pk)


@startup_page
@require_http_methods(["GET", "POST"])
def api_key_list(request: HttpRequest, startup) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.api_key_create(startup=startup, user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            form = ApiKeyForm()
    context = {
        "startup": startup,
        "section": "keys",
        "keys": selectors.api_key_list(startup=startup),
        "form": form,
        "new_key": new_key,
        "usage_url": request.build_absolute_uri(reverse("adoption-api:usage")),
    }
    # The page that shows a new key must not be cached anywhere.
    response = render(request, "adoption/api_key_list.html", context)
    response["Cache-Control"] = "no-store"
    return response


@startup_page
@require_POST
def api_key_revoke(request: HttpRequest, startup, pk: int) -> HttpResponse:
    api_key = selectors.api_key_get(startup=startup, pk=pk)
    services.api_key_revoke(api_key=api_key, user=request.user)
    messages.success(request, f"The key “{api_key.name}” is revoked: requests made with it now fail.")
    return redirect("adoption:apikey-list", startup_pk=startup.pk)


@startup_page
@require_http_methods(["GET", "POST"])
def usage_upload(request: HttpRequest, startup) -> HttpResponse:
    form = UsageUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            text = decode_upload(form.cleaned_data["file"].read())
            result = services.usage_import(startup=startup, records=records_from_csv(text), chunk_size=MAX_BATCH)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            if result.stored:
                messages.success(request, f"{result.stored:,} day(s) of usage stored.")
    context = {
        "startup": startup,
        "section": "usage",
        "form": form,
        "result": result,
        "errors": result.errors[:ERRORS_SHOWN] if result else [],
        "models": selectors.aimodel_list_active(),
    }
    return render(request, "adoption/usage_upload.html", context)


@startup_page
@require_http_methods(["GET", "POST"])
def checkin_list(request: HttpRequest, startup) -> HttpResponse:
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_create(startup=startup, user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, "Milestone added.")
            return redirect("adoption:checkin-list", startup_pk=startup.pk)
    context = {
        "startup": startup,
        "section": "checkins",
        "checkins": selectors.checkin_list(startup=startup),
        "milestones": selectors.milestone_list(startup=startup),
        "form": form,
    }
    return render(request, "adoption/checkin_list.html", context)


@startup_page
@require_http_methods(["GET", "POST"])
def checkin_edit(request: HttpRequest, startup, pk: int) -> HttpResponse:
    checkin = selectors.checkin_get(startup=startup, pk=pk)
    initial = {"progress": checkin.progress, "blockers": checkin.blockers, "metrics": checkin.metrics or None}
    form = CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_submit(checkin=checkin, user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, f"Check-in for {checkin.month:%B %Y} filed.")
            return redirect("adoption:checkin-list", startup_pk=startup.pk)
    context = {"startup": startup, "section": "checkins", "checkin": checkin, "form": form}
    return render(request, "adoption/checkin_edit.html", context)


@startup_page
@require_POST
def milestone_achieved(request: HttpRequest, startup, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(startup=startup, pk=pk)
    services.milestone_mark_achieved(milestone=milestone)
    messages.success(request, f"“{milestone.title}” marked achieved.")
    return redirect("adoption:checkin-list", startup_pk=startup.pk)


@startup_page
@require_GET
def payment_list(request: HttpRequest, startup) -> HttpResponse:
    payments = selectors.disbursement_list_for_startup(startup=startup)
    context = {
        "startup": startup,
        "section": "payments",
        "payments": payments,
        "totals": selectors.disbursement_totals(payments),
    }
    return render(request, "adoption/payment_list.html", context)


# --- A program manager's pages ---------------------------------------------------------


@program_page
@require_GET
def manager_dashboard(request: HttpRequest, program) -> HttpResponse:
    data = selectors.program_dashboard(program=program)
    funnel = charts.bar_chart(
        title="Accepted startups that deployed Llama and reached production",
        slug="funnel",
        items=[("Accepted", data.accepted), ("Deployed", data.deployed), ("In production", data.in_production)],
        unit="startups",
    )
    active = charts.column_chart(
        title="Startups reporting usage, per month",
        slug="active-startups",
        items=[(month_label(month), count) for month, count in data.active_by_month],
        unit="startups",
    )
    tokens = charts.bar_chart(
        title="Tokens per model, last 12 months", slug="tokens-per-model", items=data.tokens_by_model, unit="tokens"
    )
    scatter = charts.scatter_chart(
        title="Review score against tokens used in the last 12 months",
        slug="score-vs-adoption",
        points=[(s.score, s.tokens, s.startup_name) for s in data.startups if s.score is not None],
        x_label="score",
        y_label="tokens",
    )
    context = {
        "program": program,
        "section": "dashboard",
        "data": data,
        "funnel": funnel,
        "active": active,
        "tokens": tokens,
        "scatter": scatter,
    }
    return render(request, "adoption/manager_dashboard.html", context)


@program_page
@require_GET
def manager_payments(request: HttpRequest, program) -> HttpResponse:
    form = PaymentFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    payments = selectors.disbursement_list_for_program(program=program, status=status or None)
    context = {
        "program": program,
        "section": "payments",
        "form": form,
        "payments": payments,
        "totals": selectors.disbursement_totals(selectors.disbursement_list_for_program(program=program)),
        "by_startup": selectors.disbursement_totals_by_startup(program=program),
        "held_applies": program.hold_payments_without_usage,
        "statuses": DisbursementStatus,
    }
    return render(request, "adoption/manager_payments.html", context)


PAYMENT_ACTIONS = {"approve": services.disbursement_approve, "pay": services.disbursement_mark_paid}


@program_page
@require_POST
def manager_payment_action(request: HttpRequest, program, pk: int, action: str) -> HttpResponse:
    payment = selectors.disbursement_get_for_program(program=program, pk=pk)
    do = PAYMENT_ACTIONS.get(action)
    if do is None:
        messages.error(request, "Unknown action.")
    else:
        try:
            do(disbursement=payment, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{payment.startup} — {payment.month:%B %Y}: {payment.get_status_display()}.")
    back = safe_next_url(request, request.POST.get("next", ""))
    return redirect(back or reverse("adoption:manager-payments", kwargs={"slug": program.slug}))


@program_page
@require_GET
def manager_payments_csv(request: HttpRequest, program) -> StreamingHttpResponse:
    header = ["startup", "month", "benefit", "amount", "currency", "status", "due_on", "approved_at", "paid_at"]
    rows = (
        [
            p.startup.name,
            p.month.strftime("%Y-%m"),
            p.benefit.name,
            p.amount,
            p.currency,
            p.status,
            p.due_on.isoformat(),
            p.approved_at.isoformat() if p.approved_at else "",
            p.paid_at.isoformat() if p.paid_at else "",
        ]
        for p in selectors.disbursement_list_for_program(program=program).iterator(chunk_size=2000)
    )
    return csv_response(filename=f"{program.slug}-payments.csv", header=header, rows=rows)
