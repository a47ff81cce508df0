"""Keeps the daily summaries fresh in a running node.

``tangkal serve`` starts one refresher process beside uvicorn (``python -m
tangkal.measure.refresher --parent PID``) when ``TANGKAL_MEASURE_REFRESH_SECONDS`` is above
zero: one process however many workers serve, so the workers never race each other to
fold the same reports. It folds the reports filed since the last refresh every that many
seconds, and exits when the serving process is gone.

Every refresh goes through ``refresh_if_due``, which is also safe when several refreshers
meet (two nodes on one database, cron as well as serve, a dashboard folding a long tail):
it does nothing while the tail is short, skips on PostgreSQL when another session holds
the refresh lock (an advisory lock), and relies on SQLite's single writer otherwise; it
folds at most ``summaries.CHUNK`` report ids per transaction, so a first build of a large
store never holds filings back for long.
``refresh`` itself locks the state row, so a fold is never counted twice.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from tangkal.config import Settings
from tangkal.measure.summaries import CHUNK, refresh, tail_size
from tangkal.store import Store

__all__ = ["REFRESH_LOCK", "Refresher", "main", "refresh_if_due", "spawn"]

log = logging.getLogger(__name__)

# pg_try_advisory_xact_lock key of a summary refresh ("tangkal measure", as a number).
REFRESH_LOCK = 0x7461_6E67_6D65_6173


def refresh_if_due(store: Store, *, min_tail: int = 1, chunk: int = CHUNK) -> dict[str, Any] | None:
    """Refresh when at least ``min_tail`` report ids lie beyond the summaries and no other
    session is refreshing, ``chunk`` ids per transaction (filings wait seconds, not the
    whole first build); return what was folded, or None when it was skipped."""
    with store.read() as session:
        if tail_size(session) < min_tail:
            return None
    done: dict[str, Any] | None = None
    while done is None or done["remaining"]:
        with store.begin() as session:
            if store.dialect == "postgresql":
                if not session.scalar(select(func.pg_try_advisory_xact_lock(REFRESH_LOCK))):
                    return done  # another refresher is at it: its fold covers these reports
            elif tail_size(session) < (min_tail if done is None else 1):
                return done  # SQLite: another writer folded while we waited for the lock
            step = refresh(session, limit=chunk)
        if done is None:
            done = step
        else:
            done.update(to_report_id=step["to_report_id"], remaining=step["remaining"],
                        refreshed_at=step["refreshed_at"])  # fmt: skip
    return done


class Refresher:
    """Runs ``refresh_if_due`` every ``interval`` seconds until stopped (or ``alive`` says
    the serving process is gone); a failed refresh is logged and tried again next time."""

    def __init__(
        self,
        store: Store,
        interval: float,
        *,
        alive: Callable[[], bool] = lambda: True,
        poll: float = 1.0,
    ) -> None:
        self.store = store
        self.interval = interval
        self.alive = alive
        self.poll = min(poll, interval)
        self.runs = 0
        self.last: dict[str, Any] | None = None
        self._stop = threading.Event()

    def tick(self) -> dict[str, Any] | None:
        result = refresh_if_due(self.store)
        self.runs += 1
        if result is not None:
            self.last = result
            log.info("measure summaries refreshed: %s", result)
        return result

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        # A first refresh right away catches up after a restart; then one every interval.
        while not self._stop.is_set() and self.alive():
            try:
                self.tick()
            except Exception:  # the loop must outlive any one bad run (a locked store, …)
                log.exception("measure summary refresh failed")
            waited = 0.0
            while waited < self.interval:
                if self._stop.wait(self.poll) or not self.alive():
                    return
                waited += self.poll


def spawn(settings: Settings) -> subprocess.Popen[bytes] | None:
    """Start the refresher process of ``tangkal serve`` (None when the setting is 0); it
    watches this process id, which ``serve`` hands on to uvicorn through ``exec``."""
    if settings.measure_refresh_seconds <= 0:
        return None
    return subprocess.Popen(  # our own interpreter and module, no shell
        [sys.executable, "-m", "tangkal.measure.refresher", "--parent", str(os.getpid())],
        stdin=subprocess.DEVNULL,
        close_fds=True,
    )


def _parent_alive(pid: int) -> Callable[[], bool]:
    # Once the serving process is gone this one is re-parented (to init or a subreaper).
    return lambda: os.getppid() == pid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tangkal.measure.refresher",
        description="Refresh Measure's daily summaries every TANGKAL_MEASURE_REFRESH_SECONDS.",
    )
    parser.add_argument("--parent", type=int, default=None, help="Exit when this pid is gone.")
    parser.add_argument("--interval", type=float, default=None, help="Seconds (default: setting).")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s %(message)s")
    settings = Settings.from_env()
    interval = args.interval if args.interval is not None else settings.measure_refresh_seconds
    if interval <= 0:
        return 0
    alive = _parent_alive(args.parent) if args.parent else (lambda: True)
    store = Store(settings.database_url)
    try:
        Refresher(store, interval, alive=alive).run()
    except KeyboardInterrupt:  # Ctrl-C reaches the whole foreground process group
        pass
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
