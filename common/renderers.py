"""The API's JSON renderer."""

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's, in UTF-8, except that data holding a lone surrogate (which UTF-8
    cannot encode) is written with ``\\uXXXX`` escapes instead of failing: a
    choice field's error repeats the value it refused, and that error must
    reach the client rather than become a 500."""

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _EscapingJSONRenderer().render(data, accepted_media_type, renderer_context)


class _EscapingJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True
