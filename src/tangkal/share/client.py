"""A TAXII 2.1 client that trusts nothing a peer says about itself.

Pages are read as a stream and cut off at ``max_page_bytes``; the media type, the envelope
and every object's shape are checked before a page is handed on; ``next`` is followed but
never believed blindly: a page that repeats objects already read in this run (a loop), a
page larger than asked for, or a ``more`` that makes no progress stops the read with an
error naming what the peer did. Objects are checked with cheap structural rules, not
with the ``stix2`` library, which parses about 3,000 objects/s.

>>> client = TaxiiClient("https://my.example/taxii2/api/", Secret("tgk_…"), user="ID-node")
>>> for page in client.pages("asean", added_after=None):
...     store(page.objects)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from tangkal.config import Secret
from tangkal.errors import TangkalError

__all__ = [
    "TAXII_MEDIA_TYPE",
    "Page",
    "PeerError",
    "TaxiiClient",
    "check_objects",
    "timestamp_key",
]

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# SCOs carry no created/modified; every other object must.
_SCO = frozenset(
    {
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr",
        "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
        "network-traffic", "process", "software", "url", "user-account",
        "windows-registry-key", "x509-certificate", "phone-number", "bank-account",
        "cryptocurrency-wallet", "payment-card",
    }
)  # fmt: skip


class PeerError(TangkalError):
    """A peer could not be reached, or answered something a TAXII 2.1 server must not."""

    status = 502
    title = "Peer failed"
    type_slug = "peer-error"


@dataclass(frozen=True, slots=True)
class Page:
    """One checked envelope, with the peer's date_added range for checkpoints."""

    objects: list[dict[str, Any]]
    more: bool
    next: str | None
    date_added_first: str | None
    date_added_last: str | None
    size: int


def timestamp_key(ts: str) -> str:
    """A key that orders STIX timestamps of any precision ("…00Z" < "…00.5Z")."""
    head, _, frac = ts.rstrip("Z").partition(".")
    return f"{head}.{frac.ljust(9, '0')[:9]}"


def _check_media_type(value: str, what: str) -> None:
    parts = [p.strip().lower() for p in value.split(";")]
    params = dict(p.partition("=")[::2] for p in parts[1:])
    if parts[0] != "application/taxii+json" or params.get("version", "2.1") != "2.1":
        raise PeerError(f"{what}: expected {TAXII_MEDIA_TYPE}, got {value or 'no Content-Type'}")


def check_objects(objects: Sequence[Any], where: str = "objects") -> None:
    """Structural STIX 2.1 checks, cheap enough for 100,000 objects a second."""
    for i, obj in enumerate(objects):
        if not isinstance(obj, dict):
            raise PeerError(f"{where}[{i}] is not a JSON object")
        kind, oid = obj.get("type"), obj.get("id")
        if not isinstance(kind, str) or not _TYPE.match(kind):
            raise PeerError(f"{where}[{i}]: missing or malformed type")
        if (
            not isinstance(oid, str)
            or not oid.startswith(kind + "--")
            or not _UUID.match(oid[len(kind) + 2 :])
        ):
            raise PeerError(f"{where}[{i}]: id {oid!r} is not {kind}--<uuid>")
        if kind in _SCO:
            continue
        if obj.get("spec_version") != "2.1":
            raise PeerError(f"{where}[{i}] ({oid}): spec_version must be 2.1")
        created, modified = obj.get("created"), obj.get("modified", obj.get("created"))
        if kind == "marking-definition" and modified is None:
            continue
        for name, ts in (("created", created), ("modified", modified)):
            if not isinstance(ts, str) or not _TIMESTAMP.match(ts):
                raise PeerError(f"{where}[{i}] ({oid}): {name} is not a STIX timestamp")
        if timestamp_key(modified) < timestamp_key(created):  # type: ignore[arg-type]
            raise PeerError(f"{where}[{i}] ({oid}): modified is before created")
        if kind == "indicator" and not isinstance(obj.get("pattern"), str):
            raise PeerError(f"{where}[{i}] ({oid}): indicator without a pattern")


class TaxiiClient:
    """Read and write one peer's TAXII 2.1 API root over HTTP (Bearer or Basic auth)."""

    def __init__(
        self,
        api_root: str,
        token: Secret,
        *,
        user: str | None = None,
        page_limit: int = 10_000,
        max_page_bytes: int = 64_000_000,
        max_pages: int = 100_000,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_root = api_root if api_root.endswith("/") else api_root + "/"
        self.page_limit = page_limit
        self.max_page_bytes = max_page_bytes
        self.max_pages = max_pages
        # TAXII recommends Basic (user = organisation); Bearer when no user name is known.
        auth: httpx.Auth | None = httpx.BasicAuth(user, str(token)) if user else None
        headers = {"Accept": TAXII_MEDIA_TYPE}
        if auth is None:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            auth=auth, headers=headers, timeout=timeout, transport=transport,
            follow_redirects=False,
        )  # fmt: skip

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TaxiiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, response: httpx.Response, what: str) -> tuple[Any, int]:
        if response.status_code >= 400:
            body = response.read()[:300].decode("utf-8", "replace")
            raise PeerError(f"{what}: HTTP {response.status_code} {body}")
        _check_media_type(response.headers.get("content-type", ""), what)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_page_bytes:
            raise PeerError(f"{what}: page of {declared} bytes over {self.max_page_bytes}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(1 << 20):
            size += len(chunk)
            if size > self.max_page_bytes:
                raise PeerError(f"{what}: page over the {self.max_page_bytes}-byte limit")
            chunks.append(chunk)
        try:
            return orjson.loads(b"".join(chunks)), size
        except orjson.JSONDecodeError as exc:
            raise PeerError(f"{what}: invalid JSON ({exc})") from None

    def _get(
        self, url: str, params: dict[str, str] | None = None
    ) -> tuple[Any, int, httpx.Headers]:
        try:
            with self._http.stream("GET", url, params=params) as response:
                body, size = self._read(response, f"GET {url}")
                return body, size, response.headers
        except httpx.HTTPError as exc:
            raise PeerError(f"GET {url}: {type(exc).__name__}: {exc}") from None

    def collections(self) -> list[dict[str, Any]]:
        body, _, _ = self._get(self.api_root + "collections/")
        found = body.get("collections", []) if isinstance(body, dict) else None
        if not isinstance(found, list) or not all(
            isinstance(c, dict) and isinstance(c.get("id"), str) for c in found
        ):
            raise PeerError("collections: malformed collections resource")
        return found

    def pages(self, collection: str, added_after: str | None) -> Iterator[Page]:
        """Every page added after ``added_after``, oldest first, each one checked."""
        url = f"{self.api_root}collections/{collection}/objects/"
        params: dict[str, str] = {"limit": str(self.page_limit)}
        if added_after:
            params["added_after"] = added_after
        seen_versions: set[tuple[str, str]] = set()
        for number in range(self.max_pages):
            body, size, headers = self._get(url, params)
            page = self._page(body, size, headers, f"page {number + 1} of {collection}")
            fresh = 0
            for obj in page.objects:
                version = (obj["id"], str(obj.get("modified", obj.get("created", ""))))
                if version in seen_versions:
                    raise PeerError(
                        f"page {number + 1} of {collection} repeats {version[0]} "
                        "already read in this run: the peer's `next` is not trustworthy"
                    )
                seen_versions.add(version)
                fresh += 1
            yield page
            if not page.more:
                return
            if page.next is not None:
                # The token itself may repeat (medallion reuses one per paging session):
                # a loop shows as objects read twice, which is checked above.
                params = {"limit": str(self.page_limit), "next": page.next}
                if added_after:
                    params["added_after"] = added_after
            else:
                last = page.date_added_last
                if not last or not fresh or last == params.get("added_after"):
                    raise PeerError(f"page {number + 1} of {collection}: more=true but no way on")
                params = {"limit": str(self.page_limit), "added_after": last}
        raise PeerError(f"{collection}: more than {self.max_pages} pages in one run")

    def _page(self, body: Any, size: int, headers: httpx.Headers, what: str) -> Page:
        if not isinstance(body, dict):
            raise PeerError(f"{what}: the envelope is not a JSON object")
        objects = body.get("objects", [])
        more = body.get("more", False)
        nxt = body.get("next")
        if not isinstance(objects, list) or not isinstance(more, bool):
            raise PeerError(f"{what}: malformed envelope (objects must be a list, more a bool)")
        if nxt is not None and (not isinstance(nxt, str) or not nxt or len(nxt) > 1000):
            raise PeerError(f"{what}: malformed `next`")
        if len(objects) > self.page_limit:
            raise PeerError(
                f"{what}: {len(objects)} objects, more than the {self.page_limit} asked"
            )
        if more and not objects:
            raise PeerError(f"{what}: more=true on an empty page")
        check_objects(objects, what)
        first = headers.get("x-taxii-date-added-first")
        last = headers.get("x-taxii-date-added-last")
        for name, ts in (("X-TAXII-Date-Added-First", first), ("X-TAXII-Date-Added-Last", last)):
            if ts is not None and not _TIMESTAMP.match(ts):
                raise PeerError(f"{what}: {name} {ts[:40]!r} is not a timestamp")
        return Page(objects, more, nxt if more else None, first, last, size)

    def add_objects(self, collection: str, objects: list[dict[str, Any]]) -> dict[str, Any]:
        """POST objects to a collection; returns the peer's status resource."""
        url = f"{self.api_root}collections/{collection}/objects/"
        content = orjson.dumps({"objects": objects})
        try:
            with self._http.stream(
                "POST", url, content=content, headers={"Content-Type": TAXII_MEDIA_TYPE}
            ) as response:
                status, _ = self._read(response, f"POST {url}")
        except httpx.HTTPError as exc:
            raise PeerError(f"POST {url}: {type(exc).__name__}: {exc}") from None
        if not isinstance(status, dict) or "status" not in status:
            raise PeerError(f"POST {url}: the answer is no status resource")
        return status
