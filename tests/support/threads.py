"""Calls made at the same time from threads, each with a database connection of its own."""

import threading
from collections.abc import Callable

from django.db import connection


def run(call: Callable[[], object], outcomes: list[object], index: int) -> None:
    """Put what ``call`` returns, or the exception it raises, at ``index``.
    Meant as a thread's target: closes the thread's database connection."""
    try:
        outcomes[index] = call()
    except Exception as error:
        outcomes[index] = error
    finally:
        connection.close()


def all_at_once(calls: list[Callable[[], object]], *, timeout: float = 120.0) -> list[object]:
    """Run the calls in threads released together; what each returned or
    raised, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def released(call: Callable[[], object]) -> Callable[[], object]:
        def wait_then_call() -> object:
            barrier.wait(timeout=30)
            return call()

        return wait_then_call

    threads = [threading.Thread(target=run, args=(released(call), outcomes, index)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
