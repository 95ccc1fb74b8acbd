"""The API's rate limits: anonymous clients per address, people per user,
API keys per key, all counted in the default cache."""

from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from common.clients import client_address


class RunwayThrottleMixin:
    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        # DRF copies the rates at import; reading them per request lets a changed setting apply.
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request: Request) -> str:
        return client_address(request)


class AnonRateThrottle(RunwayThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RunwayThrottleMixin, throttling.UserRateThrottle):
    """Per user for people. A principal that is not a person (an API key acts
    for its startup and has no user id) counts on its credential, the model
    instance in ``request.auth``: each key gets a bucket of its own instead of
    every key sharing the one of user ``None``."""

    def get_cache_key(self, request: Request, view: object) -> str | None:
        user = request.user
        if user and user.is_authenticated and user.pk is None:
            credential = request.auth
            ident = f"{credential._meta.label_lower}-{credential.pk}"
            return self.cache_format % {"scope": self.scope, "ident": ident}
        return super().get_cache_key(request, view)


class ScopedRateThrottle(RunwayThrottleMixin, throttling.ScopedRateThrottle):
    pass
