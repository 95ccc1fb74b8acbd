"""Writes for accounts: API tokens."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from accounts.models import User
from config.errors import DomainError


def api_token_issue(*, request: HttpRequest, email: str, password: str) -> Token:
    """The user's API token, created on first use. Raises a DomainError when the
    e-mail and password do not match an active account (without saying which)."""
    # Passed as the username so that a login lockout counts API attempts too.
    user = authenticate(request, username=email, password=password)
    if user is None:
        raise DomainError("Unable to log in with this e-mail address and password.", code="invalid_credentials")
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user: User) -> None:
    """Delete the user's API token: every client using it gets 401 from now on."""
    Token.objects.filter(user=user).delete()
