"""A real HTTP receiver on 127.0.0.1 for the webhook tests, in a thread."""

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standardwebhooks


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int = 0


@dataclass
class Receiver:
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    # Answered in turn, one per request; 200 once they run out.
    statuses: list[int] = field(default_factory=list)
    # Faults played on the next requests, in turn: "500" or any status, or
    # "timeout" (answered only after slow_seconds, when the sender has gone).
    faults: list[str] = field(default_factory=list)
    # Seconds to wait before answering the next this many requests.
    slow_seconds: float = 0.0
    slow_requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def answer(self, request: Received) -> tuple[int, float]:
        with self.lock:
            self.requests.append(request)
            delay = 0.0
            if self.slow_requests:
                self.slow_requests -= 1
                delay = self.slow_seconds
            status = self.statuses.pop(0) if self.statuses else 200
            if self.faults:
                fault = self.faults.pop(0)
                if fault == "timeout":
                    delay, status = self.slow_seconds, 200
                    request.status = 0  # nobody is listening by the time it answers
                    return status, delay
                status = int(fault)
            request.status = status
        return status, delay

    def delivered(self, secret: str) -> list[dict]:
        """The payloads of the requests answered 2xx, in the order they came,
        each checked with the ``standardwebhooks`` package (it raises on a bad
        signature)."""
        verifier = standardwebhooks.Webhook(secret)
        with self.lock:
            requests = [request for request in self.requests if 200 <= request.status < 300]
        return [verifier.verify(request.body, request.headers) for request in requests]

    def ids(self) -> list[str]:
        """The ``webhook-id`` of every request, answered well or not."""
        with self.lock:
            return [request.headers["webhook-id"] for request in self.requests]


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, delay = receiver.answer(Received(headers=headers, body=body))
            if delay:
                time.sleep(delay)
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def running(receiver: Receiver) -> Iterator[Receiver]:
    """Serve ``receiver`` on its port (a free one the first time) until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), handler_for(receiver))
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
