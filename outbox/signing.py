"""Webhook secrets and signatures, the Standard Webhooks way.

A secret is ``whsec_`` and base64 of random bytes; a signature is ``v1,`` and
base64 of HMAC-SHA256, keyed by those bytes, over ``{id}.{timestamp}.{body}``.
"""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def secret_generate() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_header(*, secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    """One signature per secret, space separated: a receiver accepts any."""
    return " ".join(
        sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body) for secret in secrets_in_use
    )
