"""Helpers for rate-limit tests: the test settings raise every rate out of reach."""

from django.core.cache import cache


def lower_rates(settings, **rates: str) -> None:
    """Set the API's rates named in ``rates`` (``auth="2/minute"``) for this
    test, and forget what earlier requests counted."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }
    cache.clear()
