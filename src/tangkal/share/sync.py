"""Pull from peers: every collection from its checkpoint, one transaction per page.

Each page is checked by the client, stored through the importer and the checkpoint moved
past it *in the same transaction*, so a peer (or this node) dying mid-sync loses nothing
and doubles nothing: the next run starts where the last stored page ended, and anything
read twice is recognised by STIX id + ``modified`` (the importer keeps the newest version).

The cursor is the peer's ``X-TAXII-Date-Added-Last``. While ``more`` is true the page may
have cut a run of objects that share that date_added, so the checkpoint stops one
microsecond before it: the overlap is read again on resume and ignored as a replay.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.errors import NotFound, TangkalError
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.share.client import Page, PeerError, TaxiiClient, timestamp_key
from tangkal.share.importer import Source, import_objects
from tangkal.share.peer_models import Peer, SyncCheckpoint
from tangkal.share.peers import get_peer, peer_token
from tangkal.share.push import INGESTING
from tangkal.store import Store
from tangkal.store.base import utcnow

__all__ = [
    "CollectionRun",
    "Ingest",
    "Progress",
    "SyncRun",
    "advance",
    "import_ingest",
    "provenance",
    "pull",
    "pull_all",
    "read_ahead",
    "store_page",
]

Progress = Callable[[str, str, int], None]  # peer, collection, objects read so far


class Ingest(Protocol):
    """Stores a checked page of a peer's STIX objects: (objects stored, failure messages)."""

    def __call__(
        self, session: Session, peer: Peer, objects: Sequence[dict[str, Any]]
    ) -> tuple[int, list[str]]: ...


def import_ingest(
    session: Session, peer: Peer, objects: Sequence[dict[str, Any]]
) -> tuple[int, list[str]]:
    """The real ingestion: ``share.importer`` files the peer's indicators as its reports."""
    org = session.get(Organisation, peer.org_id) if peer.org_id else None
    if org is None:
        raise NotFound(f"peer {peer.name!r} has no local organisation", field="org")
    who = Principal(org.id, org.name, org.country, org.type, "peer")
    # A trusted peer organisation vouches for everything; otherwise each indicator the peer
    # says is corroborated at home (importer.vouched) is filed as from a trusted reporter.
    source = Source(who, org.name, org.country, trusted=org.trusted, vouching=True)
    result = import_objects(session, objects, source)
    stored = result.count("imported", "revoked")
    return stored, [f"{f['id']}: {f['message']}" for f in result.failures]


@dataclass
class CollectionRun:
    """What one pull of one collection did."""

    collection: str
    pages: int = 0
    objects: int = 0
    stored: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    cursor: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "pages": self.pages,
            "objects": self.objects,
            "stored": self.stored,
            "failed": self.failed,
            "failures": self.failures[:20],
            "cursor": self.cursor,
            "error": self.error,
        }


@dataclass
class SyncRun:
    peer: str
    collections: list[CollectionRun] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(c.error is None for c in self.collections)

    def as_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer,
            "ok": self.ok,
            "error": self.error,
            "collections": [c.as_dict() for c in self.collections],
        }


def _just_before(ts: str) -> str:
    head, _, frac = ts.rstrip("Z").partition(".")
    when = dt.datetime.fromisoformat(head).replace(
        microsecond=int((frac + "000000")[:6]), tzinfo=dt.UTC
    )
    return (when - dt.timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def advance(cursor: str | None, page: Page) -> str | None:
    """The checkpoint after storing ``page``: never backwards, never past a cut run."""
    last = page.date_added_last
    if not page.objects or last is None:
        return cursor
    candidate = _just_before(last) if page.more else last
    if cursor is None or timestamp_key(candidate) > timestamp_key(cursor):
        return candidate
    return cursor


def _checkpoint(session: Session, peer: Peer, collection: str) -> SyncCheckpoint:
    cp = session.scalar(
        select(SyncCheckpoint).where(
            SyncCheckpoint.peer_id == peer.id, SyncCheckpoint.collection == collection
        )
    )
    if cp is None:
        cp = SyncCheckpoint(peer_id=peer.id, collection=collection)
        session.add(cp)
        session.flush()
    return cp


def store_page(
    session: Session, peer: Peer, collection: str, page: Page, ingest: Ingest
) -> tuple[int, list[str], str | None]:
    """Store one page and move the checkpoint in the caller's transaction.

    Objects the importer refuses (an unknown type, an older version) are reported, not
    retried: the same page would be refused the same way on every run.
    """
    session.info[INGESTING] = True
    stored, failures = ingest(session, peer, page.objects) if page.objects else (0, [])
    cp = _checkpoint(session, peer, collection)
    cp.added_after = advance(cp.added_after, page)
    cp.objects_total += len(page.objects)
    cp.last_run = utcnow()
    cp.status = "running" if page.more else "ok"
    cp.last_error = None
    if page.objects:
        record(
            session, f"peer:{peer.name}", "sync.page", "peer", peer.id,
            details={"collection": collection, "objects": len(page.objects), "stored": stored,
                     "failed": len(failures), "cursor": cp.added_after},
        )  # fmt: skip
    return stored, failures, cp.added_after


_DONE = object()
_GC_LOCK = threading.Lock()
_GC_STATE: dict[str, Any] = {"depth": 0, "saved": None}


@contextlib.contextmanager
def fewer_collections(threshold0: int = 1_000_000) -> Iterator[None]:
    """Run the cyclic garbage collector ~1,000× less often while pages are imported.

    A page of 10,000 objects parses into some 300,000 dicts and lists, all alive until the
    page is stored; with the default threshold (700 allocations) the collector walks them
    again and again, which made storing 1.7× slower. At 100,000 it still walked each page
    once or twice as it was parsed, and moved it to an older generation to walk again:
    5–15 % of a pull's CPU; at 1,000,000 it is 1–3 %. What is garbage is freed by
    reference counting meanwhile (pages hold no cycles). The thresholds are process-wide,
    so they are restored when the last pull running in the process ends.
    """
    with _GC_LOCK:
        if _GC_STATE["depth"] == 0:
            _GC_STATE["saved"] = gc.get_threshold()
            gc.set_threshold(threshold0, *_GC_STATE["saved"][1:])
        _GC_STATE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0:
                gc.set_threshold(*_GC_STATE["saved"])


def read_ahead(pages: Iterator[Page], depth: int = 1) -> Iterator[Page]:
    """Fetch and check the next page in a thread while the caller stores this one.

    At most ``depth`` pages wait in memory; the peer's errors reach the caller in order,
    after the pages before them. Stopping early (an error while storing) stops the reader.
    """
    slots: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        """Hand an item on unless the caller stopped; never block past its stopping."""
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for page in pages:
                if not offer(page):
                    return
            offer(_DONE)
        except BaseException as exc:
            offer(exc)

    reader = threading.Thread(target=run, name="tangkal-pull-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = slots.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join(timeout=60)


def _fail(store: Store, peer_id: int, collection: str, message: str) -> None:
    with store.begin() as session:
        peer = session.get(Peer, peer_id)
        assert peer is not None
        cp = _checkpoint(session, peer, collection)
        cp.status, cp.last_error, cp.last_run = "error", message[:2000], utcnow()
        record(
            session, f"peer:{peer.name}", "sync.error", "peer", peer_id,
            details={"collection": collection, "error": message[:500]},
        )  # fmt: skip


def pull(
    store: Store,
    name: str,
    *,
    node_key: bytes,
    ingest: Ingest,
    progress: Progress | None = None,
    client_options: dict[str, Any] | None = None,
) -> SyncRun:
    """Pull every collection of one peer from its checkpoint; errors are reported, not raised."""
    with store.read() as session:
        peer = get_peer(session, name)
        secret = peer_token(node_key, peer)
        peer_id, wanted = peer.id, list(peer.collections)
        cursors = {
            cp.collection: cp.added_after
            for cp in session.scalars(
                select(SyncCheckpoint).where(SyncCheckpoint.peer_id == peer.id)
            )
        }
        api_root, user = peer.api_root, peer.our_org
    run = SyncRun(name)
    with (
        fewer_collections(),
        TaxiiClient(api_root, secret, user=user, **(client_options or {})) as client,
    ):
        try:
            collections = wanted or [
                str(c["id"]) for c in client.collections() if c.get("can_read", True)
            ]
        except PeerError as exc:
            run.error = exc.detail
            return run
        for collection in collections:
            result = CollectionRun(collection, cursor=cursors.get(collection))
            run.collections.append(result)
            try:
                for page in read_ahead(client.pages(collection, result.cursor)):
                    with store.begin() as session:
                        row = session.get(Peer, peer_id)
                        assert row is not None
                        stored, failures, result.cursor = store_page(
                            session, row, collection, page, ingest
                        )
                    result.failed += len(failures)
                    result.failures += failures[: max(0, 20 - len(result.failures))]
                    result.pages += 1
                    result.objects += len(page.objects)
                    result.stored += stored
                    if progress is not None:
                        progress(name, collection, result.objects)
            except TangkalError as exc:
                result.error = exc.detail
                _fail(store, peer_id, collection, exc.detail)
    return run


def pull_all(
    store: Store,
    *,
    node_key: bytes,
    ingest: Ingest,
    progress: Progress | None = None,
    client_options: dict[str, Any] | None = None,
) -> list[SyncRun]:
    """Pull every enabled peer in turn; one failing peer does not stop the others."""
    with store.read() as session:
        names = list(
            session.scalars(select(Peer.name).where(Peer.enabled.is_(True)).order_by(Peer.name))
        )
    return [
        pull(
            store,
            n,
            node_key=node_key,
            ingest=ingest,
            progress=progress,
            client_options=client_options,
        )
        for n in names
    ]


def provenance(session: Session, kind: str, value: str) -> list[dict[str, Any]]:
    """Who stands behind a value here: per node, organisation and country, how many reports.

    For staff (``report:read``): it names reporting organisations, which the public check
    answer never does. Citizens' reports appear as "public", never by person.
    """
    r, ri, i, o = Report, ReportIndicator, Indicator, Organisation
    q = (
        select(r.origin_node, o.name, r.victim_country, func.count(func.distinct(r.id)))
        .join(ri, ri.report_id == r.id)
        .join(i, i.id == ri.indicator_id)
        .outerjoin(o, o.id == r.org_id)
        .where(i.kind == kind, i.value == value)
        .group_by(r.origin_node, o.name, r.victim_country)
        .order_by(r.origin_node, o.name, r.victim_country)
    )
    return [
        {"node": node, "organisation": org or "public", "country": country, "reports": n}
        for node, org, country, n in session.execute(q)
    ]
