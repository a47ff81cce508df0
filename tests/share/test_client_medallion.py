"""Tangkal's TAXII client against the OASIS reference server, medallion, on loopback."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from tangkal.config import Secret
from tangkal.share.client import PeerError, TaxiiClient, timestamp_key

COLLECTION = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"


def stix_indicator(n: int, *, modified: str = "2026-11-01T00:00:00.000Z") -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, f'test/{n}')}",
        "created": "2026-11-01T00:00:00.000Z",
        "modified": modified,
        "pattern": f"[phone-number:value = '+6281234{n:05d}']",
        "pattern_type": "stix",
        "valid_from": "2026-11-01T00:00:00Z",
    }


class Medallion:
    """medallion's Flask app with the memory backend, served by werkzeug in a thread."""

    def __init__(self, tmp: Path) -> None:
        import medallion

        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, medallion.application_instance)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        data = {
            "/discovery": {
                "title": "medallion",
                "default": f"{self.url}/api1/",
                "api_roots": [f"{self.url}/api1/"],
            },
            "api1": {
                "information": {
                    "title": "api1",
                    "versions": ["application/taxii+json;version=2.1"],
                    "max_content_length": 100_000_000,
                },
                "status": [],
                "collections": [
                    {
                        "id": COLLECTION,
                        "title": "asean",
                        "can_read": True,
                        "can_write": True,
                        "media_types": ["application/stix+json;version=2.1"],
                        "objects": [],
                        "manifest": [],
                    }
                ],
            },
        }
        path = tmp / "medallion.json"
        path.write_text(json.dumps(data))
        config = {
            "users": {"ID-node": "s3cret"},
            "taxii": {"max_page_size": 500},
            "backend": {
                "module": "medallion.backends.memory_backend",
                "module_class": "MemoryBackend",
                "filename": str(path),
            },
        }
        app = medallion.application_instance
        for prop in ("users", "taxii", "backend"):
            medallion.set_config(app, prop, config)
        if "objects" not in app.blueprints:
            medallion.register_blueprints(app)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def api_root(self) -> str:
        return f"{self.url}/api1/"

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def medallion_server(tmp_path: Path) -> Iterator[Medallion]:
    server = Medallion(tmp_path)
    yield server
    server.close()


def client_for(server: Medallion, **kwargs: Any) -> TaxiiClient:
    return TaxiiClient(server.api_root, Secret("s3cret"), user="ID-node", **kwargs)


def test_push_then_page_through_everything_once(medallion_server: Medallion) -> None:
    # medallion pages in quadratic time (2.5 s for a first page of 1,000): keep it small.
    objects = [stix_indicator(n) for n in range(234)]
    with client_for(medallion_server, page_limit=20) as client:
        # One POST gives every object the same date_added: paging must still be exact.
        status = client.add_objects(COLLECTION, objects)
        assert status["status"] == "complete" and status["success_count"] == 234
        assert [c["id"] for c in client.collections()] == [COLLECTION]
        pages = list(client.pages(COLLECTION, added_after=None))
    got = [o["id"] for p in pages for o in p.objects]
    assert len(pages) == 12  # 234 objects at 20 a page
    assert sorted(got) == sorted(o["id"] for o in objects)
    assert all(p.date_added_last for p in pages)
    assert pages[-1].more is False and pages[0].more is True


def test_added_after_returns_only_newer_objects(medallion_server: Medallion) -> None:
    with client_for(medallion_server, page_limit=50) as client:
        client.add_objects(COLLECTION, [stix_indicator(n) for n in range(10)])
        first = list(client.pages(COLLECTION, added_after=None))
        cursor = first[-1].date_added_last
        assert cursor is not None
        assert [p.objects for p in client.pages(COLLECTION, added_after=cursor)] == [[]]
        client.add_objects(COLLECTION, [stix_indicator(n) for n in range(10, 15)])
        newer = [o for p in client.pages(COLLECTION, added_after=cursor) for o in p.objects]
    assert sorted(o["id"] for o in newer) == sorted(stix_indicator(n)["id"] for n in range(10, 15))


def test_newer_version_is_served(medallion_server: Medallion) -> None:
    v1 = stix_indicator(1)
    v2 = {**v1, "modified": "2026-11-02T00:00:00.000Z", "revoked": True}
    with client_for(medallion_server) as client:
        client.add_objects(COLLECTION, [v1])
        client.add_objects(COLLECTION, [v2])
        got = [o for p in client.pages(COLLECTION, added_after=None) for o in p.objects]
    # medallion serves the latest version only (match[version] defaults to "last").
    assert got == [v2]


def test_wrong_password_is_a_clear_error(medallion_server: Medallion) -> None:
    with (
        TaxiiClient(medallion_server.api_root, Secret("nope"), user="ID-node") as client,
        pytest.raises(PeerError, match="HTTP 401"),
    ):
        client.collections()


def test_unreachable_peer_is_a_clear_error() -> None:
    with (
        TaxiiClient("http://127.0.0.1:9/taxii2/api/", Secret("x"), timeout=2) as client,
        pytest.raises(PeerError, match="ConnectError"),
    ):
        list(client.pages("asean", None))


def test_timestamp_key_orders_any_precision() -> None:
    assert timestamp_key("2026-01-01T00:00:00Z") < timestamp_key("2026-01-01T00:00:00.5Z")
    assert timestamp_key("2026-01-01T00:00:00.100Z") == timestamp_key("2026-01-01T00:00:00.1Z")
