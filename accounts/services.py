"""Writes for accounts: sign-up and API tokens."""

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from accounts import selectors
from accounts.models import PendingSignup, User
from accounts.signals import signup_attempted, signup_requested
from common.errors import ConflictError, DomainError


@transaction.atomic
def signup_request(*, email: str, full_name: str, timezone: str, password: str, next_url: str = "") -> None:
    """Start a sign-up for ``email``. Whether the address has an account must
    not show, so the caller answers the same either way and so does this: one
    password hashed, one e-mail queued.

    A new address gets a ``PendingSignup`` and, through ``signup_requested``,
    an e-mail with the link that creates the account (``signup_confirm``). An
    address with an account gets, through ``signup_attempted``, an e-mail
    telling its owner to log in or reset the password; the account is untouched.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    password_hash = make_password(password)
    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        signup_attempted.send(sender=User, user=owner)
        return
    # Sign-ups nobody confirmed in time hold a password hash for nothing.
    PendingSignup.objects.filter(created_at__lt=selectors.signup_expired_before()).delete()
    signup = PendingSignup.objects.create(
        email=email, full_name=full_name, timezone=timezone, password=password_hash, next_url=next_url
    )
    signup_requested.send(sender=PendingSignup, signup=signup)


@transaction.atomic
def signup_confirm(*, signup: PendingSignup) -> User:
    """Create the account ``signup`` asked for, its address now proven, and drop
    every pending sign-up for the address. Raises ``ConflictError`` when the
    address got an account in the meantime (another sign-up confirmed first)."""
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=signup.email, full_name=signup.full_name, timezone=signup.timezone, password=signup.password
            )
    except IntegrityError:
        raise ConflictError("This address already has an account: log in, or reset its password.") from None
    PendingSignup.objects.filter(email=signup.email).delete()
    return user


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
