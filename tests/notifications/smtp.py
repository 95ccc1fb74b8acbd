"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the tests, with scripted misbehaviour."""

import asyncio
import contextlib
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    # aiosmtpd's Controller cannot take port 0 (its start-up self-check
    # connects to the port it was given), so pick a free one first.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """Keeps every message it accepts. ``refusals`` answers the next N
    messages with 451; ``hold_next`` keeps the next message waiting (no reply)
    until ``release`` is set, then drops it with 421 — a server that never
    accepted it."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []
        self.refusals = 0
        self.refused = 0
        self.hold_next = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.hold_next:
            self.hold_next = False
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.2 Service shutting down"
        with self._lock:
            if self.refusals > 0:
                self.refusals -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 2.0.0 OK"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.received)


@contextlib.contextmanager
def smtp_server(sink: Sink | None = None):
    """Yield ``(sink, port)`` for a server running in a background thread."""
    sink = sink or Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        sink.release.set()
        controller.stop()
