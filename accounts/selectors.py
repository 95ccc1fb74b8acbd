"""Reads for accounts: pending sign-ups."""

import datetime

from django.conf import settings
from django.utils import timezone

from accounts import tokens
from accounts.models import PendingSignup


def signup_expired_before() -> datetime.datetime:
    """Pending sign-ups created before this can no longer be confirmed."""
    return timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def signup_get_pending(*, pk: int) -> PendingSignup | None:
    """The sign-up if it can still be confirmed, else None."""
    return PendingSignup.objects.filter(pk=pk, created_at__gte=signup_expired_before()).first()


def signup_get_by_token(*, pk: int, token: str) -> PendingSignup | None:
    """The sign-up whose e-mailed link this is, if the link still works, else None."""
    signup = signup_get_pending(pk=pk)
    return signup if signup is not None and tokens.signup_token_check(signup, token) else None
