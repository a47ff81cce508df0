"""Read-ahead of TAXII pages: the page a ``next`` cursor names, built before it is asked for.

A TAXII client reads a collection one page at a time: it asks, waits while the server
reads and renders the page, then parses it while the server idles. Building the following
page during that parse overlaps the two (taxii2-client spends 100 ms and more parsing a
page of 10,000 objects, about what the server spends building one).

A prepared page is served only when it is exactly what a fresh read would return:

- its key holds everything the page depends on (the caller, the node's country, the
  collection and every filter, cursor included), so one peer is never served a page
  prepared for another, whatever cursor it sends;
- it was read after a ``change_mark`` of the store that still holds when it is served, so
  an object written or superseded in between sends the request to a fresh read;
- it is at most ``max_age`` seconds old, and at most ``slots`` pages wait at a time.

Coordination runs on the event loop (one per worker process); builds run in worker
threads. Anything unusual (a failed build, another event loop, an expired or evicted
page) is a miss, and the caller reads afresh, meeting any error itself.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import anyio.to_thread
from sqlalchemy.orm import Session

from tangkal.share.taxii_server import change_mark
from tangkal.store import Store

__all__ = ["Prepared", "ReadAhead"]

T = TypeVar("T")


@dataclass(frozen=True)
class Prepared(Generic[T]):
    """A value built ahead, with the store's mark read before it."""

    mark: tuple[Any, ...] | None
    value: T


def _retrieve(task: asyncio.Task[Any]) -> None:
    # A build nobody takes must not log "exception was never retrieved".
    if not task.cancelled():
        task.exception()


class ReadAhead(Generic[T]):
    """Values built in the background under a key, taken once, checked against the store.

    ``slots=0`` turns it off (every ``take`` misses).
    """

    def __init__(
        self,
        store: Store,
        *,
        slots: int = 4,
        max_age: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.slots = slots
        self.max_age = max_age
        self.clock = clock
        self._waiting: OrderedDict[Hashable, tuple[float, asyncio.Task[Prepared[T]]]] = (
            OrderedDict()
        )
        self.hits = 0
        self.stale = 0

    def _build(self, build: Callable[[Session], T]) -> Prepared[T]:
        with self.store.read() as session:
            mark = change_mark(session)  # before the read: a write in between changes it
            return Prepared(mark, build(session))

    def prepare(self, key: Hashable, build: Callable[[Session], T]) -> None:
        """Start building ``build(session)`` for ``key`` (call on the event loop)."""
        if key in self._waiting or self.slots < 1:
            return
        while len(self._waiting) >= self.slots:
            _, (_, oldest) = self._waiting.popitem(last=False)
            oldest.cancel()
        task = asyncio.get_running_loop().create_task(anyio.to_thread.run_sync(self._build, build))
        task.add_done_callback(_retrieve)
        self._waiting[key] = (self.clock(), task)

    async def take(self, key: Hashable) -> Prepared[T] | None:
        """The value prepared under ``key`` (waiting for it if still building), or None.

        The value still has to pass ``unchanged`` before it is served.
        """
        entry = self._waiting.pop(key, None)
        if entry is None:
            return None
        born, task = entry
        if self.clock() - born > self.max_age or task.get_loop() is not asyncio.get_running_loop():
            task.cancel()
            return None
        try:
            return await task
        except Exception:  # the caller's own fresh read meets the error, if it persists
            return None

    def idle(self) -> bool:
        """True when no build is running or queued (for tests and diagnostics)."""
        return all(task.done() for _, task in list(self._waiting.values()))

    def unchanged(self, session: Session, prepared: Prepared[T]) -> bool:
        """True when nothing was written since the value was read (counts hits and misses)."""
        if change_mark(session) == prepared.mark:
            self.hits += 1
            return True
        self.stale += 1
        return False
