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
    pass


class ScopedRateThrottle(RunwayThrottleMixin, throttling.ScopedRateThrottle):
    pass
