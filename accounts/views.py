from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import ProfileForm, SignupForm
from common.errors import DomainError
from common.redirects import safe_next_url


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Sign-up answers alike for a new address and a registered one (the same
    redirect and page): the e-mail sent to the address says which it was."""
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next") or "")
    form = SignupForm(request.POST or None, initial={"timezone": "UTC"})
    if request.method == "POST" and form.is_valid():
        services.signup_request(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            timezone=form.cleaned_data["timezone"],
            password=form.cleaned_data["password1"],
            next_url=next_url,
        )
        return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The e-mailed link. Opening it shows a button and only the button creates
    the account: mail scanners that open links must not use them up."""
    signup = selectors.signup_get_by_token(pk=pk, token=token)
    if signup is not None and request.method == "POST":
        try:
            user = services.signup_confirm(signup=signup)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Runway.")
        return redirect(safe_next_url(request, signup.next_url) or "applicants:dashboard")
    return render(request, "accounts/signup_confirm.html", {"signup": signup})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
