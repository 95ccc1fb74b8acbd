"""The template language of e-mails: ``{placeholder}`` and nothing else.

Admins edit these templates, so they get no logic at all: a placeholder is a
name the event declares, replaced by a string the event computed (lists such
as eligibility reasons arrive already formatted). There is no attribute
access, indexing, filter, tag or include, so a template can reach nothing but
the values it is handed, and every mistake is found by parsing alone — before
the template is saved, not when the first e-mail goes out. ``{{`` and ``}}``
write literal braces.
"""

import re
import string
from collections.abc import Collection, Iterable, Mapping

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# What str.format's parser says, in words an admin editing an e-mail reads.
BRACE_ERRORS = {
    "Single '}' encountered in format string": "A } has no matching {",
    "Single '{' encountered in format string": "A { is never closed",
    "expected '}' before end of string": "A { is never closed",
    "unmatched '{' in format spec": "A { is never closed",
}


class TemplateSyntaxError(ValueError):
    """The text cannot be used as a template; the message says why, for an admin."""


def parse(text: str) -> list[tuple[str, str | None]]:
    """Split ``text`` into ``(literal, placeholder name or None)`` pairs."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        reason = BRACE_ERRORS.get(str(error), "Unbalanced braces")
        raise TemplateSyntaxError(f"{reason}. Write {{{{ or }}}} for a literal brace.") from None
    pieces: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parts:
        if field is None:
            pieces.append((literal, None))
            continue
        if field == "":
            raise TemplateSyntaxError("Empty placeholder {}: write a name between the braces.")
        if conversion or spec or not NAME.match(field):
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise TemplateSyntaxError(
                f"{{{shown}}} is not a placeholder: use a plain name such as {{startup}}, "
                "with no dots, brackets or formatting."
            )
        pieces.append((literal, field))
    return pieces


def placeholders_in(text: str) -> list[str]:
    return [name for _, name in parse(text) if name is not None]


def check(text: str, allowed: Iterable[str]) -> None:
    """Raise ``TemplateSyntaxError`` unless ``text`` parses and uses only ``allowed`` names."""
    allowed = set(allowed)
    unknown = sorted({name for name in placeholders_in(text) if name not in allowed})
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        offered = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
        raise TemplateSyntaxError(f"Unknown placeholder {names}. This event offers: {offered}.")


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill ``text`` with ``values``. A name missing from ``values`` is an error:
    callers pass every placeholder their event declares."""
    out: list[str] = []
    for literal, name in parse(text):
        out.append(literal)
        if name is not None:
            if name not in values:
                raise TemplateSyntaxError(f"Unknown placeholder {{{name}}}.")
            out.append(str(values[name]))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def render_except(text: str, values: Mapping[str, str], kept: Collection[str]) -> str:
    """Fill ``text`` with ``values`` but keep the ``kept`` placeholders: the
    result is a template again, which ``render`` finishes with their values.
    Every other brace, in the text or in a value, is doubled to stay literal."""
    out: list[str] = []
    for literal, name in parse(text):
        out.append(_escape(literal))
        if name is None:
            continue
        if name in kept:
            out.append(f"{{{name}}}")
        elif name in values:
            out.append(_escape(str(values[name])))
        else:
            raise TemplateSyntaxError(f"Unknown placeholder {{{name}}}.")
    return "".join(out)
