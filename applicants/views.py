from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from applicants import selectors, services
from config.errors import ConflictError, DomainError
from programs.selectors import cohort_get_open


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "startups": selectors.startup_list_for_user(user=request.user),
        "applications": selectors.application_list_for_user(user=request.user),
    }
    return render(request, "applicants/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = cohort_get_open(pk=cohort_pk)
    startups = list(selectors.startup_list_for_user(user=request.user))
    if not startups:
        messages.info(request, "First tell us about your startup.")
        return redirect("applicants:dashboard")
    error = ""
    if request.method == "POST":
        startup = next((s for s in startups if str(s.pk) == request.POST.get("startup")), None)
        if startup is None:
            error = "Choose one of your startups."
        else:
            existing = startup.applications.filter(cohort=cohort).first()
            if existing is not None:
                return redirect(existing.get_absolute_url())
            try:
                application = services.application_create(startup=startup, cohort=cohort, user=request.user)
            except ConflictError:
                return redirect(startup.applications.get(cohort=cohort).get_absolute_url())
            except DomainError as exc:
                error = exc.message
            else:
                return redirect(application.get_absolute_url())
    return render(
        request, "applicants/application_start.html", {"cohort": cohort, "startups": startups, "error": error}
    )
