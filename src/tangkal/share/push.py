"""Push on publish: new object versions travel to peers in seconds, not at the next poll.

``share.publish.materialise`` calls :func:`on_publish` inside the writer's transaction. The
hook only notes the indicator ids; once the transaction commits they are queued for the
:class:`Pusher` of that store, whose thread reads the served versions and POSTs them to
every peer that accepts pushes — so the request that filed a report never waits on a peer.
A failed POST is retried with exponential backoff; the pull scheduler is the safety net
for anything a peer still missed. Each peer receives only what ``may_share`` allows it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.config import Secret
from tangkal.share.client import PeerError, TaxiiClient
from tangkal.share.models import StixObject
from tangkal.share.peer_models import Peer
from tangkal.share.peers import peer_token
from tangkal.share.policy import Recipient, may_share, recipient_for
from tangkal.share.publish import ON_PUBLISH
from tangkal.store import Store

__all__ = ["INGESTING", "Pusher", "audience_for", "on_publish", "peer_recipient"]

log = logging.getLogger(__name__)

# Set in ``session.info`` by transactions that store what a peer sent: re-publishing it
# would bounce every object between two nodes forever.
INGESTING = "tangkal.share.ingesting"
_PENDING = "tangkal.share.push_pending"
# Database URL → its pusher. Keyed by URL, not by pool: ``engine.dispose()`` replaces the
# pool, and a pusher keyed by the old pool silently stopped receiving publishes.
_PUSHERS: dict[str, Pusher] = {}
_PUSHERS_LOCK = threading.Lock()


def _key_of(bind: Any) -> str:
    engine = bind if isinstance(bind, Engine) else bind.engine
    return str(engine.url.render_as_string(hide_password=False))


def peer_recipient(session: Session, peer: Peer, home_country: str) -> Recipient:
    org = session.get(Organisation, peer.org_id) if peer.org_id else None
    name = org.name if org else peer.name
    return recipient_for(name, peer.country, node=peer.name, home_country=home_country)


def audience_for(recipient: Recipient) -> str:
    """The served collection written for this kind of recipient."""
    if recipient.kind in ("asean_member", "same_node"):
        return "asean"
    return "partners" if recipient.kind in ("dialogue_partner", "international") else "public"


def on_publish(session: Session, indicator_ids: list[int]) -> None:
    """The ``ON_PUBLISH`` hook: queue the ids for push once (and only if) the data commits."""
    if session.info.get(INGESTING):
        return
    pusher = _PUSHERS.get(_key_of(session.get_bind()))
    if pusher is None:
        return
    pending: set[int] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = set()

        def committed(s: Session) -> None:
            ids = s.info.pop(_PENDING, set())
            if ids:
                pusher.enqueue(sorted(ids))

        def rolled_back(s: Session) -> None:
            s.info.pop(_PENDING, None)

        event.listen(session, "after_commit", committed, once=True)
        event.listen(session, "after_soft_rollback", rolled_back, once=True)
    pending.update(indicator_ids)


if on_publish not in ON_PUBLISH:
    ON_PUBLISH.append(on_publish)


class Pusher:
    """One background thread per store that POSTs published versions to peers."""

    def __init__(
        self,
        store: Store,
        *,
        node_key: bytes | Callable[[], bytes],
        home_country: str,
        retries: int = 6,
        backoff: float = 0.25,
        client_factory: Callable[..., TaxiiClient] = TaxiiClient,
    ) -> None:
        self.store = store
        # A callable defers creating the node key until a peer actually needs it.
        self._key = node_key if callable(node_key) else (lambda: node_key)
        self.home_country = home_country
        self.retries = retries
        self.backoff = backoff
        self.client_factory = client_factory
        self.queue: queue.Queue[list[int] | None] = queue.Queue()
        self.pushed = 0
        self.failures: list[str] = []
        self._thread = threading.Thread(target=self._run, name="tangkal-push", daemon=True)

    def start(self) -> Pusher:
        with _PUSHERS_LOCK:
            _PUSHERS[_key_of(self.store.engine)] = self
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        with _PUSHERS_LOCK:
            key = _key_of(self.store.engine)
            if _PUSHERS.get(key) is self:
                del _PUSHERS[key]
        self.queue.put(None)
        self._thread.join(timeout)

    def enqueue(self, indicator_ids: list[int]) -> None:
        self.queue.put(indicator_ids)

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            ids = set(item)
            # Coalesce what piled up while the last push ran: one POST per peer, not many.
            while True:
                try:
                    more = self.queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self.queue.put(None)
                    break
                ids.update(more)
            try:
                self.push(sorted(ids))
            except Exception:  # the thread must survive any one bad batch
                log.exception("push of %d indicators failed", len(ids))

    def push(self, indicator_ids: list[int]) -> int:
        """POST the served versions of these indicators to every push peer; objects sent."""
        sent = 0
        with self.store.read() as session:
            peers = session.scalars(
                select(Peer).where(Peer.enabled.is_(True), Peer.push.is_(True))
            ).all()
            batches = [
                (peer, peer_token(self._key(), peer), self._objects(session, peer, indicator_ids))
                for peer in peers
            ]
        todo = [b for b in batches if b[2]]
        if todo:
            # One thread per peer: a slow or failing peer (and its backoff) delays no other.
            with ThreadPoolExecutor(max_workers=min(len(todo), 16)) as pool:
                sent = sum(pool.map(lambda b: self._post(*b), todo))
        self.pushed += sent
        return sent

    def _objects(self, session: Session, peer: Peer, ids: list[int]) -> list[dict[str, Any]]:
        who = peer_recipient(session, peer, self.home_country)
        audience = audience_for(who)
        out: list[dict[str, Any]] = []
        for i in range(0, len(ids), 500):
            rows = session.execute(
                select(
                    StixObject.distribution, StixObject.tlp, StixObject.handling, StixObject.body
                )
                .where(
                    StixObject.indicator_id.in_(ids[i : i + 500]),
                    StixObject.collection == audience,
                    StixObject.latest.is_(True),
                )
                .order_by(StixObject.seq)
            )
            for dist, tlp, handling, body in rows:
                codes = frozenset(h for h in handling.split(",") if h)
                if may_share(dist, tlp, codes, who, home_country=self.home_country):
                    out.append(orjson.loads(body))
        return out

    def _post(self, peer: Peer, secret: Secret, objects: list[dict[str, Any]]) -> int:
        delay = self.backoff
        for attempt in range(1, self.retries + 1):
            try:
                with self.client_factory(peer.api_root, secret, user=peer.our_org) as client:
                    collection = peer.push_collection or _writable(client)
                    status = client.add_objects(collection, objects)
                return int(status.get("success_count", len(objects)))
            except PeerError as exc:
                if attempt == self.retries:
                    self.failures.append(f"{peer.name}: {exc.detail}")
                    log.warning("push to %s gave up after %d tries: %s", peer.name, attempt, exc)
                    return 0
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
        return 0


def _writable(client: TaxiiClient) -> str:
    for c in client.collections():
        if c.get("can_write"):
            return str(c["id"])
    raise PeerError("the peer offers no collection we may write to")
