"""Secrets we hand out once (invitation tokens, API keys) are stored only as this digest.

A plain SHA-256 is enough: the secrets are long random strings, so there is
nothing for a slow hash to protect, and the lookup must stay an index hit.
"""

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
