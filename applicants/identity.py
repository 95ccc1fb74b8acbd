"""What names a startup, and finding it in text: blind review masks it in
everything a reviewer reads, and the application form warns a startup whose
answers name itself.

A term matches however it is spaced, punctuated or capitalised: "Zephyr Labs"
also finds "ZephyrLabs", "zephyr-labs" and "ZEPHYR_LABS". It matches whole
words only, where a word may end at a change of case ("ZephyrLabsAI"), so that
a founder called Ada leaves "Adam" and "adapt" alone.
"""

import re
from collections.abc import Iterable

from accounts.emails import email_domain, is_identifying_domain
from applicants.models import Startup

MASK = "[hidden in blind review]"
# Shorter names ("Li", "Wu", "An") are common words or syllables: masking them
# would garble answers more than it hides.
MIN_TERM_LETTERS = 3

_WORD = re.compile(r"[^\W_]+")
# Where a word splits in two: lower to upper case ("ZephyrLabs"), letters to digits and back.
_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_GAP = r"[\W_]*"
# Case-sensitive edges: no letter or digit just before or after, except across a
# change of case that starts or ends a word written in CamelCase.
_START = r"(?-i:(?<![^\W_])|(?<=[a-z])(?=[A-Z]))"
_END = r"(?-i:(?![^\W_])|(?<=[a-z])(?=[A-Z]))"


def _parts(term: str) -> list[str]:
    return [part for word in _WORD.findall(term) for part in _SPLIT.split(word) if part]


def _host(website: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", website.strip(), flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].lower()
    return host.removeprefix("www.")


def identity_terms(startup: Startup, *, people: Iterable[tuple[str, str]]) -> list[str]:
    """The words that name ``startup``: its name, its website's host and the
    host's name without the top-level domain, and for each of ``people``
    (``(full name, e-mail)`` of its members) the address, its domain unless
    it is webmail, and each part of the name on its own."""
    terms = [startup.name]
    hosts = [_host(startup.website)] if startup.website else []
    for full_name, email in people:
        terms += [email, *full_name.split()]
        # A webmail domain names the mail provider, not the startup: "gmail"
        # must stay readable in a blind review.
        if is_identifying_domain(domain := email_domain(email)):
            hosts.append(domain)
    for host in filter(None, hosts):
        terms += [host, host.rpartition(".")[0]]
    return sorted({term for term in terms if sum(map(str.isalnum, term)) >= MIN_TERM_LETTERS})


def identity_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern finding any of ``terms`` (longest first, so that an address
    is masked whole before its name), or None when there is none."""
    alternatives = {_GAP.join(re.escape(part) for part in _parts(term)) for term in terms}
    alternatives.discard("")
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(f"{_START}(?:{'|'.join(ordered)}){_END}", re.IGNORECASE)


def mask(text: str, pattern: re.Pattern[str] | None) -> str:
    return pattern.sub(MASK, text) if pattern is not None and text else text


def named_in(text: str, pattern: re.Pattern[str] | None) -> list[str]:
    """The identity terms found in ``text``, as written there, first seen first."""
    if pattern is None or not text:
        return []
    return list(dict.fromkeys(match.group(0) for match in pattern.finditer(text)))
