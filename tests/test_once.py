"""``once`` loads a resource a single time however many threads ask for it together."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tangkal.once import once


def test_forty_threads_asking_at_once_load_it_once_and_all_get_it() -> None:
    calls = []
    start = threading.Barrier(40)

    @once
    def load() -> object:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive while it loads
        return object()

    def ask() -> object:
        start.wait()
        return load()

    with ThreadPoolExecutor(40) as pool:
        got = list(pool.map(lambda _: ask(), range(40)))
    assert len(calls) == 1
    assert all(g is got[0] for g in got)
    assert load() is got[0] and len(calls) == 1
