"""Errors a user can cause. Pages turn them into form errors, the API into 4xx."""


class DomainError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str | dict[str, list[str]],
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        self.errors = message if isinstance(message, dict) else {field or "detail": [message]}
        self.code = code or self.default_code
        super().__init__(str(message))

    def as_dict(self) -> dict[str, list[str]]:
        return self.errors

    @property
    def message(self) -> str:
        return " ".join(text for messages in self.errors.values() for text in messages)


class ConflictError(DomainError):
    """The request is well formed but clashes with the current state."""

    status_code = 409
    default_code = "conflict"


class PermissionDeniedError(DomainError):
    status_code = 403
    default_code = "permission_denied"
