"""Outgoing webhook requests: one POST, no redirects, checked addresses.

The host is resolved once, every address it resolves to is checked, and the
connection goes to the checked address: a name that resolves to a public
address when checked and a private one when connecting (DNS rebinding) gets
nowhere. Redirects are never followed (``http.client`` does not), so a public
receiver cannot bounce a request inward.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

# Enough to log what the receiver said; the rest of its answer is not read.
RESPONSE_BYTES = 1024


class AddressRefused(Exception):
    """The URL is not one the outbox may call."""


@dataclass(frozen=True)
class Reply:
    status: int
    latency_ms: int


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def url_parts(url: str) -> tuple[SplitResult, int]:
    """The URL's parts and port; raises ``AddressRefused`` unless it is an
    http or https URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefused("Only http and https URLs with a host can receive webhooks.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AddressRefused(f"Bad port: {error}") from error
    return parts, port


def resolve(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    """``(scheme, host, port, address)`` to connect to for ``url``; raises
    ``AddressRefused`` for a bad URL or, unless ``allow_private``, for a host
    with any address that is not public."""
    parts, port = url_parts(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"Cannot resolve {parts.hostname}: {error}") from error
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise OSError(f"{parts.hostname} resolves to no address")
    if not allow_private:
        refused = sorted({address for address in addresses if not address_allowed(address)})
        if refused:
            raise AddressRefused(f"{parts.hostname} resolves to a private address ({', '.join(refused)}).")
    return parts.scheme, str(parts.hostname), port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the name, the socket goes to the checked address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool) -> Reply:
    """POST ``body`` to ``url``. Raises ``AddressRefused`` or ``OSError``
    (network errors, timeouts); any HTTP answer, redirects included, is a ``Reply``."""
    scheme, host, port, address = resolve(url, allow_private=allow_private)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(RESPONSE_BYTES)
        return Reply(status=response.status, latency_ms=int((time.monotonic() - started) * 1000))
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()
