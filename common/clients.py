"""Who is calling: the client's address, as far as the proxies in front of us vouch for it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the machine that made ``request``.

    ``X-Forwarded-For`` is written by the client first and by each proxy after:
    only its last ``TRUSTED_PROXY_COUNT`` entries were written by proxies we
    run, so the client is the entry those proxies appended, and anything left of
    it is whatever the client chose to send. With no trusted proxy the header is
    ignored and the socket's peer is the client. Rate limits and the log-in
    lock-out both count by this address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if trusted <= 0 or not forwarded:
        return remote
    return forwarded[-min(trusted, len(forwarded))]
