"""API keys: how a startup's own programs authenticate to the usage API."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from adoption import selectors, services
from adoption.models import ApiKey

KEYWORDS = (b"api-key", b"bearer")


class ApiKeyPrincipal:
    """``request.user`` for a request made with an API key: the startup, not a
    person. It holds no permission of any kind; only views that check for an
    ``ApiKey`` in ``request.auth`` (the usage endpoints) let it in."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.startup = api_key.startup

    def __str__(self) -> str:
        return f"API key {self.api_key.prefix}… of {self.startup}"

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def has_perms(self, perm_list: object, obj: object = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` (or ``Bearer <key>``). An unknown or
    revoked key is a 401, never an anonymous request."""

    def authenticate(self, request: Request) -> tuple[ApiKeyPrincipal, ApiKey] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the key as `Authorization: Api-Key <key>`.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid API key.") from None
        api_key = selectors.api_key_get_active(key=key)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        services.api_key_touch(api_key=api_key)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        return 'Api-Key realm="usage"'


class HasStartupApiKey(permissions.BasePermission):
    """Only a request made with a key of a startup that is (still) accepted."""

    message = "This key's startup has no accepted application."

    def has_permission(self, request: Request, view: object) -> bool:
        return isinstance(request.auth, ApiKey) and bool(getattr(request.auth, "startup_accepted", False))


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "adoption.api.authentication.ApiKeyAuthentication"
    name = "startupApiKey"

    def get_security_definition(self, auto_schema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A startup's API key: `Api-Key <key>` (or `Bearer <key>`), created on its API keys page.",
        }
