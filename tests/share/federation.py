"""Nodes and lying peers for the federation tests: real stores, real servers on loopback."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.access.tokens import add_organisation, create_token
from tangkal.check.lookup import CheckResult, check_one
from tangkal.config import Secret, Settings
from tangkal.report.intake import file_reports
from tangkal.report.models import Indicator, ReportIndicator
from tangkal.report.prepare import prepare
from tangkal.report.schema import parse_report
from tangkal.share.peers import add_peer, node_key
from tangkal.share.publish import NodeIdentity, materialise
from tangkal.share.stix import timestamp
from tangkal.store import Store, upgrade
from tangkal.store.base import utcnow
from tangkal.web.app import create_app
from tests.conftest import LiveServer, drop_store_url, new_store_url

TAXII = "application/taxii+json;version=2.1"


class Node:
    """One Tangkal node: its own store, settings and live server."""

    def __init__(
        self, name: str, country: str, backend: str, tmp: Path, *, interval: int = 0,
        store: Store | None = None,
    ) -> None:  # fmt: skip
        self.name, self.country = name, country
        self.owns_store = store is None
        self.store = store or Store(new_store_url(backend, tmp))
        if self.owns_store:
            upgrade(self.store.engine)
        self.settings = Settings(
            database_url=self.store.url, node_name=name, node_country=country,
            public_rate_limit=100_000, data_dir=str(tmp / f"var-{name}"),
            sync_interval_seconds=interval, regional_secret=Secret("regional-test-secret"),
        )  # fmt: skip
        self.key = node_key(self.settings)
        self.identity = NodeIdentity(name, country)
        self.server: LiveServer | None = None

    @property
    def api_root(self) -> str:
        assert self.server is not None
        return f"{self.server.url}/taxii2/api/"

    def start(self, port: int | None = None) -> Node:
        """Serve the node; ``port`` brings it back where its peers expect it after a stop."""
        server = LiveServer(create_app(self.settings, self.store))
        if port is not None:
            server.port, server.url = port, f"http://127.0.0.1:{port}"
            server.server.config.port = port
        self.server = server.__enter__()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.__exit__(None, None, None)
            self.server = None

    def close(self) -> None:
        self.stop()
        if self.owns_store:
            self.store.close()
            drop_store_url(self.store.url)

    def peer_token(self, org: str, country: str, *, trusted: bool = False) -> str:
        """Create the organisation that stands for another node here, and its peer token."""
        with self.store.begin() as session:
            o = add_organisation(session, org, country, "partner", trusted=trusted, node=org)
            return create_token(session, o, "peer")

    def add_peer(self, other: Node, token: str, **kwargs: Any) -> None:
        """Register ``other`` as a peer, presenting ``token`` (issued by ``other``)."""
        with self.store.begin() as session:
            add_peer(
                session, other.name, other.api_root, token, key=self.key, country=other.country,
                our_org=self.name, **kwargs,
            )  # fmt: skip

    def report(self, value: str, reporter: str, *, trusted: bool = False, **fields: Any) -> int:
        """File a report through intake and materialise it, as publishing a report does."""
        data = parse_report(
            {"victim_country": self.country, "indicators": [{"value": value}], **fields}
        )
        with self.store.begin() as session:
            filed = file_reports(
                session, [prepare(data, reporter)], reporter_key=reporter, trusted=trusted
            )[0]
            ids = list(
                session.scalars(
                    select(ReportIndicator.indicator_id).where(
                        ReportIndicator.report_id == filed.report_id
                    )
                )
            )
            materialise(session, ids, node=self.identity)
        return ids[0]

    def delist(self, value: str) -> None:
        with self.store.begin() as session:
            ind = session.scalars(select(Indicator).where(Indicator.value == value)).one()
            ind.delisted_at = utcnow()
            session.flush()
            materialise(session, [ind.id], node=self.identity)

    def check(self, value: str) -> CheckResult:
        with self.store.read() as session:
            return check_one(session, value)


def phone(n: int) -> str:
    return f"+62812123{n:05d}"


def indicator(n: int, *, modified: dt.datetime | None = None, **extra: Any) -> dict[str, Any]:
    """A foreign STIX indicator for a phone number, as another TAXII server would send."""
    when = timestamp(modified or dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    return {
        "type": "indicator", "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, f'fake/{n}')}",
        "created": "2026-11-01T00:00:00.000000Z", "modified": when,
        "pattern": f"[phone-number:value = '{phone(n)}']", "pattern_type": "stix",
        "valid_from": "2026-11-01T00:00:00Z", **extra,
    }  # fmt: skip


Handler = Callable[[Request, int], Response]


class FakePeer:
    """A TAXII server on loopback whose objects endpoint answers what a test scripts."""

    def __init__(self, handler: Handler) -> None:
        self.calls = 0
        self.handler = handler

        async def collections(request: Request) -> Response:
            body = b'{"collections":[{"id":"asean","title":"t","can_read":true,"can_write":true}]}'
            return Response(body, media_type=TAXII)

        async def objects(request: Request) -> Response:
            self.calls += 1
            return self.handler(request, self.calls)

        app = Starlette(
            routes=[
                Route("/taxii2/api/collections/", collections),
                Route("/taxii2/api/collections/asean/objects/", objects, methods=["GET", "POST"]),
            ]
        )
        self.server = LiveServer(app).__enter__()
        self.api_root = f"{self.server.url}/taxii2/api/"

    def close(self) -> None:
        self.server.__exit__(None, None, None)


def envelope(objects: list[dict[str, Any]], *, more: bool, nxt: str | None, first: str,
             last: str, media_type: str = TAXII) -> Response:  # fmt: skip
    import orjson

    body: dict[str, Any] = {"objects": objects, "more": more}
    if nxt:
        body["next"] = nxt
    return Response(
        orjson.dumps(body), media_type=media_type,
        headers={"X-TAXII-Date-Added-First": first, "X-TAXII-Date-Added-Last": last},
    )  # fmt: skip
