"""Load-once for expensive zero-argument loaders, safe when many threads ask at once.

``functools.cache`` does not stop two threads from both computing a missing entry. A
server's first burst of requests (64 at once over 40 threadpool threads) made every thread
decompress the language model and load the detection models for itself: each worker then
served ~100 requests/s instead of ~1,000 for the next ten seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

__all__ = ["once"]

T = TypeVar("T")


def once(load: Callable[[], T]) -> Callable[[], T]:
    """Run ``load`` on first use, in one thread; the others wait for its result."""
    lock = threading.Lock()
    done: list[T] = []

    @wraps(load)
    def get() -> T:
        if not done:
            with lock:
                if not done:
                    done.append(load())
        return done[0]

    return get
