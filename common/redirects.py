"""Where a form may send the user afterwards: only a path on this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from common.text import is_storable

MAX_NEXT_LENGTH = 2000


def safe_next_url(request: HttpRequest, url: str) -> str:
    """``url`` when it is a path on this site, else "".

    Only paths: ``redirect()`` reads a bare word such as ``NaN`` as a view name
    (NoReverseMatch, a 500), and what comes back may be stored (a pending
    sign-up keeps it), so it must be storable text of a sane length too.
    """
    if not url or len(url) > MAX_NEXT_LENGTH or not is_storable(url) or not url.startswith("/"):
        return ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""
