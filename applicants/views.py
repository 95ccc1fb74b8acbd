"""The startup portal: profiles, members, applications and their files.

Views fetch through selectors (which 404 for strangers), ask ``rules`` who may
act, call services, and turn domain errors into messages beside the fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from applicants import rules, selectors, services
from applicants.enums import ApplicationStatus, MemberRole
from applicants.forms import (
    InvitationForm,
    StartupForm,
    WithdrawForm,
    add_domain_errors,
    answers_from_data,
    question_fields,
)
from applicants.models import Application
from common.errors import ConflictError, DomainError, PermissionDeniedError
from common.redirects import safe_next_url
from programs.enums import QuestionKind
from programs.selectors import cohort_get_open, cohort_list_open

INVITATION_LINK_SESSION_KEY = "applicants:invitation-link"


def _safe_next(request: HttpRequest) -> str:
    return safe_next_url(request, request.POST.get("next") or request.GET.get("next") or "")


# --- Dashboard -----------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "startups": selectors.startup_list_for_user(user=request.user),
        "applications": selectors.application_list_for_user(user=request.user),
        "open_cohorts": cohort_list_open().order_by("closes_at"),
    }
    return render(request, "applicants/dashboard.html", context)


# --- Startups ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def startup_create(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    form = StartupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        startup = services.startup_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"{startup.name} is set up. You are its owner.")
        return redirect(next_url or startup.get_absolute_url())
    return render(request, "applicants/startup_form.html", {"form": form, "next": next_url, "startup": None})


@login_required
@require_GET
def startup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    startup = selectors.startup_get_for_member(user=request.user, pk=pk)
    context = {
        "startup": startup,
        "membership": selectors.member_get(user=request.user, startup=startup),
        "members": selectors.member_list(startup=startup),
        "applications": selectors.application_list_for_startup(startup=startup),
    }
    return render(request, "applicants/startup_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def startup_update(request: HttpRequest, pk: int) -> HttpResponse:
    startup = selectors.startup_get_for_member(user=request.user, pk=pk)
    if not rules.is_startup_owner(request.user, startup):
        raise PermissionDenied("Only the startup's owners can change its profile.")
    form = StartupForm(request.POST or None, instance=startup)
    if request.method == "POST" and form.is_valid():
        services.startup_update(startup=startup, **form.cleaned_data)
        messages.success(request, "The profile is saved.")
        return redirect(startup.get_absolute_url())
    return render(request, "applicants/startup_form.html", {"form": form, "startup": startup, "next": ""})


# --- Members and invitations ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    startup = selectors.startup_get_for_member(user=request.user, pk=pk)
    membership = selectors.member_get(user=request.user, startup=startup)
    is_owner = membership is not None and membership.role == MemberRole.OWNER
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("Only owners invite people.")
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    startup=startup,
                    invited_by=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                # Shown once, on the next page; the e-mail carries the same link.
                link = request.build_absolute_uri(
                    reverse("applicants:invitation-accept", kwargs={"token": invitation.make_token()})
                )
                request.session[INVITATION_LINK_SESSION_KEY] = {"email": invitation.email, "link": link}
                messages.success(request, f"{invitation.email} is invited.")
                return redirect("applicants:member-list", pk=startup.pk)
    context = {
        "startup": startup,
        "membership": membership,
        "is_owner": is_owner,
        "members": selectors.member_list(startup=startup),
        "invitations": selectors.invitation_list_pending(startup=startup) if is_owner else [],
        "form": form,
        "new_invitation": request.session.pop(INVITATION_LINK_SESSION_KEY, None) if is_owner else None,
    }
    return render(request, "applicants/member_list.html", context)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    startup = selectors.startup_get_for_member(user=request.user, pk=pk)
    if not rules.is_startup_owner(request.user, startup):
        raise PermissionDenied("Only owners revoke invitations.")
    invitation = get_object_or_404(startup.invitations, pk=invitation_pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return redirect("applicants:member-list", pk=startup.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    startup = selectors.startup_get_for_member(user=request.user, pk=pk)
    member = get_object_or_404(startup.memberships.select_related("user"), pk=member_pk)
    leaving = member.user_id == request.user.pk
    if not leaving and not rules.is_startup_owner(request.user, startup):
        raise PermissionDenied("Only owners remove members.")
    try:
        services.member_remove(member=member)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("applicants:member-list", pk=startup.pk)
    if leaving:
        messages.success(request, f"You left {startup.name}.")
        return redirect("applicants:dashboard")
    messages.success(request, f"{member.user.get_full_name() or member.user.email} is no longer a member.")
    return redirect("applicants:member-list", pk=startup.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_get_by_token(token=token)
    if invitation is None:
        raise Http404("No such invitation.")
    error, status = "", 200
    if not invitation.is_pending:
        error, status = "This invitation has expired, was revoked or was already used. Ask for a new one.", 410
    elif invitation.email.lower() != request.user.email.lower():
        error, status = (
            f"This invitation was sent to {invitation.email}, but you are logged in as {request.user.email}. "
            f"Log out and log in (or sign up) with {invitation.email} to accept it.",
            403,
        )
    elif request.method == "POST":
        try:
            member = services.invitation_accept(token=token, user=request.user)
        except PermissionDeniedError as exc:
            error, status = exc.message, 403
        except DomainError as exc:
            error, status = exc.message, 400
        else:
            messages.success(request, f"Welcome to {member.startup.name}.")
            return redirect(member.startup.get_absolute_url())
    return render(
        request, "applicants/invitation_accept.html", {"invitation": invitation, "error": error}, status=status
    )


# --- Applications --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = cohort_get_open(pk=cohort_pk)
    startups = list(selectors.startup_list_for_user(user=request.user))
    if not startups:
        messages.info(request, "First tell us about your startup; then you can apply.")
        return redirect(f"{reverse('applicants:startup-create')}?{urlencode({'next': request.path})}")
    error = ""
    if request.method == "POST":
        startup = next((s for s in startups if str(s.pk) == request.POST.get("startup")), None)
        if startup is None:
            error = "Choose one of your startups."
        else:
            existing = startup.applications.filter(cohort=cohort).first()
            if existing is not None:
                return redirect(_application_home(existing))
            try:
                application = services.application_create(startup=startup, cohort=cohort, user=request.user)
            except ConflictError:
                return redirect(_application_home(startup.applications.get(cohort=cohort)))
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("applicants:application-edit", pk=application.pk)
    return render(
        request, "applicants/application_start.html", {"cohort": cohort, "startups": startups, "error": error}
    )


def _application_home(application: Application) -> str:
    """Where a member goes to carry on: the form for a draft, else the status page."""
    if application.is_editable:
        return reverse("applicants:application-edit", kwargs={"pk": application.pk})
    return application.get_absolute_url()


def _eligibility_rows(application: Application, outcomes: list[dict]) -> list[dict]:
    """Each rule's outcome with the sentence the startup reads: the failure
    sentence of a failed rule, the rule's own sentence for one that passed."""
    sentences = {rule.pk: rule.failure_message for rule in application.cohort.program.eligibility_rules.all()}
    return [
        {
            "passed": outcome["passed"],
            "severity": outcome["severity"],
            "missing": outcome.get("missing", False),
            "sentence": outcome["message"] or sentences.get(outcome["rule_id"], "Met."),
        }
        for outcome in outcomes
    ]


def _live_eligibility(application: Application) -> dict:
    result = services.application_check_eligibility(application)
    return {
        "eligible": result.is_eligible,
        "flagged": result.is_flagged,
        "rows": _eligibility_rows(application, [outcome.as_dict() for outcome in result.outcomes]),
        "self_naming": selectors.application_self_naming(application=application),
    }


def _form_context(application: Application, **kwargs) -> dict:
    questions = list(application.cohort.questions.all())
    return {
        "application": application,
        "fields": question_fields(
            questions, answers=application.answers, attachments=application.attachments.all(), **kwargs
        ),
        "file_keys": ",".join(q.key for q in questions if q.kind == QuestionKind.FILE),
        "eligibility": _live_eligibility(application),
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_form(user=request.user, pk=pk)
    if not application.is_editable:
        messages.info(request, "This application is no longer a draft, so it can't be changed.")
        return redirect(application.get_absolute_url())
    if request.method == "GET":
        return render(request, "applicants/application_form.html", _form_context(application))

    questions = list(application.cohort.questions.all())
    errors: dict[str, list[str]] = {}
    try:
        services.application_save_answers(application=application, answers=answers_from_data(questions, request.POST))
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect(application.get_absolute_url())
    except DomainError as exc:
        errors.update(exc.as_dict())
    # Files are kept even when an answer is wrong: a browser can't re-fill a
    # file input, so dropping the upload would lose it.
    for question in questions:
        uploaded = request.FILES.get(question.key)
        if question.kind != QuestionKind.FILE or uploaded is None:
            continue
        try:
            services.attachment_upload(
                application=application, question_key=question.key, uploaded=uploaded, user=request.user
            )
        except DomainError as exc:
            errors.update(exc.as_dict())
    if errors:
        application = selectors.application_get_for_form(user=request.user, pk=pk)
        context = _form_context(application, data=request.POST, errors=errors)
        context["form_error"] = "Some answers need fixing; nothing in them was saved. See the messages beside them."
        return render(request, "applicants/application_form.html", context)
    if request.POST.get("action") == "review":
        return redirect("applicants:application-review", pk=application.pk)
    messages.success(request, "Your draft is saved.")
    return redirect("applicants:application-edit", pk=application.pk)


@login_required
@require_POST
def application_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft as the user types (htmx); answers with the saved time, or
    the errors beside each field, and tells the eligibility preview to refresh."""
    application = selectors.application_get_for_form(user=request.user, pk=pk)
    questions = list(application.cohort.questions.all())
    errors: dict[str, list[str]] = {}
    blocked = ""
    try:
        services.application_save_answers(application=application, answers=answers_from_data(questions, request.POST))
    except ConflictError as exc:
        blocked = exc.message
    except DomainError as exc:
        errors = exc.as_dict()
    context = {
        "application": application,
        "saved": not errors and not blocked,
        "blocked": blocked,
        "fields": question_fields(questions, answers=application.answers, data=request.POST, errors=errors),
    }
    response = render(request, "applicants/includes/autosave.html", context)
    if context["saved"]:
        trigger_client_event(response, "answers-saved")
    return response


@login_required
@require_GET
def application_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_form(user=request.user, pk=pk)
    return render(
        request,
        "applicants/includes/eligibility.html",
        {"application": application, "eligibility": _live_eligibility(application), "live": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_form(user=request.user, pk=pk)
    if application.status != ApplicationStatus.DRAFT:
        return redirect(application.get_absolute_url())
    submit_error = ""
    if request.method == "POST":
        try:
            application = services.application_submit(application=application, user=request.user)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(application.get_absolute_url())
        except DomainError as exc:
            submit_error = (
                exc.message if exc.code != "incomplete" else "Some required questions are unanswered (marked below)."
            )
        else:
            if application.status == ApplicationStatus.INELIGIBLE:
                messages.warning(request, "Your application does not meet the program's rules; the reasons are below.")
            else:
                messages.success(request, "Your application is submitted. We'll write when there is news.")
            return redirect(application.get_absolute_url())
    missing = services.application_missing_answers(application)
    context = {
        "application": application,
        "fields": question_fields(
            list(application.cohort.questions.all()),
            answers=application.answers,
            attachments=application.attachments.all(),
            errors=missing,
        ),
        "missing": missing,
        "eligibility": _live_eligibility(application),
        "submit_error": submit_error,
    }
    return render(request, "applicants/application_review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_member(user=request.user, pk=pk)
    if not application.can_withdraw:
        messages.error(request, "This application can no longer be withdrawn.")
        return redirect(application.get_absolute_url())
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, user=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Your application is withdrawn.")
        return redirect(application.get_absolute_url())
    return render(request, "applicants/application_withdraw.html", {"application": application, "form": form})


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_form(user=request.user, pk=pk)
    recorded = application.eligibility or {}
    context = {
        "application": application,
        "history": selectors.application_history(application=application),
        "fields": question_fields(
            list(application.cohort.questions.all()),
            answers=application.answers,
            attachments=application.attachments.all(),
        ),
        "recorded_eligibility": {
            "eligible": recorded.get("eligible"),
            "flagged": recorded.get("flagged"),
            "rows": _eligibility_rows(application, recorded.get("outcomes", [])),
        }
        if recorded
        else None,
    }
    return render(request, "applicants/application_detail.html", context)


# --- Attachments ---------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get(pk=pk)
    # Strangers learn nothing, not even that the file exists.
    if not rules.can_view_application(request.user, attachment.application):
        raise Http404("No such file.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_member(user=request.user, pk=pk)
    try:
        services.attachment_delete(attachment=attachment)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(attachment.application.get_absolute_url())
    messages.success(request, f"{attachment.original_name} is removed.")
    return redirect("applicants:application-edit", pk=attachment.application_id)
