"""The tokens of the links that confirm a sign-up.

Django's password-reset tokens, keyed apart and computed from the pending
sign-up instead of a user: made when the e-mail is sent, never stored, valid for
``PASSWORD_RESET_TIMEOUT``, and dead once the sign-up is confirmed (its row is
gone). SECRET_KEY_FALLBACKS are honoured.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accounts.models import PendingSignup


class SignupTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.PendingSignup"

    def _make_hash_value(self, user: PendingSignup, timestamp: int) -> str:  # type: ignore[override]
        return f"{user.pk}{user.password}{user.email}{timestamp}"


generator = SignupTokenGenerator()


def signup_token_make(signup: PendingSignup) -> str:
    return generator.make_token(signup)  # type: ignore[arg-type]


def signup_token_check(signup: PendingSignup, token: str) -> bool:
    return generator.check_token(signup, token)  # type: ignore[arg-type]
