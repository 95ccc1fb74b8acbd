"""OpenAPI pieces every app's API shares: the shape of an error body and the
error responses an endpoint declares, so the schema documents every status
code the API can answer with."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """An error body: ``{"detail": "..."}`` or ``{"<field>": ["...", ...]}``."""


class ErrorSerializerExtension(OpenApiSerializerExtension):
    target_class = ErrorSerializer

    def get_name(self, auto_schema, direction) -> str:
        return "Error"

    def map_serializer(self, auto_schema, direction) -> dict:
        return {
            "type": "object",
            "description": (
                'Either {"detail": "<message>"}, or the name of each field (or question key) '
                "that failed with its messages."
            ),
            "additionalProperties": {
                "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
        }


ERROR_DESCRIPTIONS = {
    400: "Invalid input: the body names each field that failed.",
    401: "Not authenticated: no credentials, wrong ones, or a revoked token.",
    403: "Authenticated, but not allowed (or the CSRF check of a session request failed).",
    404: "Not found, or not yours to see (or the page number is out of range).",
    409: "Conflicts with the current state.",
    413: "The request body is over the size limit.",
    415: "Unsupported media type.",
    429: "Too many requests: retry later.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in codes}


def document_body_limit(result: dict, generator, request, public) -> dict:
    """Declare 413 on every operation that reads a body: Django refuses one
    over DATA_UPLOAD_MAX_MEMORY_SIZE whichever view it was for."""
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in result["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation and "413" not in operation["responses"]:
                responses = {**operation["responses"], "413": {**error, "description": ERROR_DESCRIPTIONS[413]}}
                operation["responses"] = dict(sorted(responses.items()))
    return result
