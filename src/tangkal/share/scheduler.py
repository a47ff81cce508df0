"""The background side of federation in ``tangkal serve``: push on publish and a pull loop.

Push carries news in seconds; the pull every ``sync_interval_seconds`` (0 disables it) is the
safety net for whatever a push missed — a peer that was down, a restart, a lost request.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select

from tangkal.config import Settings
from tangkal.share.peer_models import Peer
from tangkal.share.peers import node_key
from tangkal.share.push import Pusher
from tangkal.share.sync import Ingest, SyncRun, import_ingest, pull_all
from tangkal.store import Store

__all__ = ["Federation"]

log = logging.getLogger(__name__)


class Federation:
    """Starts and stops the pusher and the pull scheduler of one node."""

    def __init__(self, settings: Settings, store: Store, *, ingest: Ingest | None = None) -> None:
        self.settings = settings
        self.store = store
        self._key: bytes | None = None
        self.ingest: Ingest = ingest or import_ingest
        self.pusher = Pusher(store, node_key=lambda: self.key, home_country=settings.node_country)
        self.interval = settings.sync_interval_seconds
        self.runs = 0
        self.last: list[SyncRun] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tangkal-pull", daemon=True)

    @property
    def key(self) -> bytes:
        """The node key, made on first use: a node without peers never writes one."""
        if self._key is None:
            self._key = node_key(self.settings)
        return self._key

    def start(self) -> Federation:
        self.pusher.start()
        if self.interval > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self.pusher.stop()

    def pull_now(self) -> list[SyncRun]:
        with self.store.read() as session:
            if session.scalar(select(Peer.id).where(Peer.enabled.is_(True)).limit(1)) is None:
                return []
        self.last = pull_all(self.store, node_key=self.key, ingest=self.ingest)
        self.runs += 1
        for run in self.last:
            if not run.ok:
                log.warning("pull from %s: %s", run.peer, run.as_dict())
        return self.last

    def _loop(self) -> None:
        # A first pull right away catches up after a restart; then one every interval.
        while not self._stop.is_set():
            try:
                self.pull_now()
            except Exception:  # the loop must outlive any one bad run
                log.exception("scheduled pull failed")
            if self._stop.wait(self.interval):
                return
