""" "Seen elsewhere?": ask peers whether they hold reports on a value without sending it.

Both sides turn ``kind:value`` into ``HMAC-SHA256(K_epoch, kind:value)`` where ``K_epoch`` is
derived (HKDF-SHA256) from a regional secret that the member nodes' operators share, one
key per calendar month. The asking node sends only these tokens; the answering node keeps
an index token → indicator for the epoch and says, for the tokens it recognises, how many
reports and reporters it holds and from which countries — subject to the same
distribution policy as every other exit. What this protects, and what it does not, is
written down in docs/federation.md ("Seen elsewhere").

>>> key = epoch_key(Secret("regional"), "2026-11")
>>> len(token(key, "phone", "+6281234567890"))
64
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx
import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.config import Secret
from tangkal.errors import InvalidInput, PermissionDenied
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.report.normalize import normalize
from tangkal.share.client import PeerError
from tangkal.share.models import ReportSharing
from tangkal.share.peer_models import Peer
from tangkal.share.peers import peer_token
from tangkal.share.policy import Recipient, may_share, recipient_for
from tangkal.store.base import utcnow

__all__ = [
    "MAX_TOKENS",
    "PeerSeen",
    "SeenAnswer",
    "answer",
    "ask_peers",
    "check_question",
    "current_epochs",
    "epoch_key",
    "epoch_of",
    "token",
]

MAX_TOKENS = 1000
_EPOCH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def epoch_of(when: dt.datetime) -> str:
    """The key epoch (a calendar month, UTC) a moment falls in."""
    return when.astimezone(dt.UTC).strftime("%Y-%m")


def current_epochs(now: dt.datetime | None = None) -> tuple[str, str]:
    """This month and the previous one: a question sent at midnight on the 1st still works."""
    now = now or utcnow()
    first = now.astimezone(dt.UTC).replace(day=1)
    return epoch_of(now), epoch_of(first - dt.timedelta(days=1))


def epoch_key(regional_secret: Secret, epoch: str) -> bytes:
    """The month's key: old keys stay useless for new months if one leaks."""
    if not regional_secret:
        raise PermissionDenied(
            "no regional secret configured (TANGKAL_REGIONAL_SECRET): 'seen elsewhere?' is off"
        )
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"tangkal/seen/v1", info=epoch.encode())
    return hkdf.derive(regional_secret.encode("utf-8"))


def token(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


class _Index:
    """token → indicator id for one epoch, kept current from ``Indicator.updated_at``."""

    def __init__(self) -> None:
        # Raw 32-byte digests: half the memory of hex keys for a million indicators.
        self.tokens: dict[bytes, int] = {}
        self.watermark: dt.datetime | None = None
        self.last_id = 0
        self.lock = threading.Lock()

    def refresh(self, session: Session, key: bytes) -> None:
        query = select(Indicator.id, Indicator.kind, Indicator.value, Indicator.updated_at)
        if self.watermark is not None:
            # ">=" with the same watermark re-hashes a few rows: cheap, and nothing is missed.
            query = query.where(Indicator.updated_at >= self.watermark)
        newest = self.watermark
        for iid, kind, value, updated in session.execute(query).yield_per(10_000):
            self.tokens[hmac.digest(key, f"{kind}:{value}".encode(), "sha256")] = iid
            if newest is None or updated > newest:
                newest = updated
        self.watermark = newest


_INDEXES: dict[tuple[str, str], _Index] = {}
_INDEXES_LOCK = threading.Lock()


def _index(store_key: str, epoch: str) -> _Index:
    with _INDEXES_LOCK:
        for stale in [k for k in _INDEXES if k[0] == store_key and k[1] < epoch]:
            if stale[1] not in current_epochs():
                del _INDEXES[stale]
        return _INDEXES.setdefault((store_key, epoch), _Index())


@dataclass(frozen=True, slots=True)
class SeenAnswer:
    """What a node says about one token it recognises: counts and countries, no identities."""

    token: str
    reports: int
    reporters: int
    trusted_reporters: int
    countries: tuple[str, ...]
    last_seen: str | None
    delisted: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "reports": self.reports,
            "reporters": self.reporters,
            "trusted_reporters": self.trusted_reporters,
            "countries": list(self.countries),
            "last_seen": self.last_seen,
            "delisted": self.delisted,
        }


def check_question(epoch: Any, tokens: Any) -> tuple[str, list[str]]:
    """Validate a question's epoch and tokens; InvalidInput names the bad field."""
    if not isinstance(epoch, str) or not _EPOCH.match(epoch):
        raise InvalidInput("must be a month, YYYY-MM", field="epoch")
    if epoch not in current_epochs():
        raise InvalidInput("only this month's and last month's keys are accepted", field="epoch")
    if not isinstance(tokens, list) or not tokens:
        raise InvalidInput("must be a non-empty list of hex tokens", field="tokens")
    if len(tokens) > MAX_TOKENS:
        raise InvalidInput(f"at most {MAX_TOKENS} tokens per question", field="tokens")
    for i, t in enumerate(tokens):
        if not isinstance(t, str) or not _TOKEN.match(t):
            raise InvalidInput("must be 64 lower-case hex digits", field=f"tokens.{i}")
    return epoch, list(dict.fromkeys(tokens))


def answer(
    session: Session,
    who: Principal,
    epoch: str,
    tokens: Sequence[str],
    *,
    regional_secret: Secret,
    home_country: str,
    store_key: str,
    remote: str | None = None,
) -> list[SeenAnswer]:
    """Answer a peer's question for the tokens we recognise and may share with it."""
    key = epoch_key(regional_secret, epoch)
    index = _index(store_key, epoch)
    with index.lock:
        index.refresh(session, key)
        found = ((t, index.tokens.get(bytes.fromhex(t))) for t in tokens)
        hits = {t: iid for t, iid in found if iid is not None}
    node = session.scalar(select(Organisation.node).where(Organisation.id == who.org_id))
    recipient = recipient_for(who.org_name, who.org_country, node=node, home_country=home_country)
    out: list[SeenAnswer] = []
    indicators = _rows(session, hits.values())
    reports = _shareable(session, hits.values(), recipient, home_country)
    for t, iid in hits.items():
        ind, mine = indicators.get(iid), reports.get(iid, [])
        if ind is None or not mine:
            continue
        out.append(
            SeenAnswer(
                t, len(mine), len({r[0] for r in mine}), len({r[0] for r in mine if r[1]}),
                tuple(sorted({r[2] for r in mine})), max(r[3] for r in mine).isoformat(),
                ind.delisted_at is not None,
            )
        )  # fmt: skip
    # The question is a sensitive read: who asked, how much, and how much was answered.
    record(
        session, who.actor, "seen.answer", "seen", epoch, remote=remote,
        details={"asked": len(tokens), "answered": len(out)},
    )  # fmt: skip
    return out


def _rows(session: Session, ids: Iterable[int]) -> dict[int, Indicator]:
    wanted = sorted(set(ids))
    out: dict[int, Indicator] = {}
    for i in range(0, len(wanted), 500):
        for ind in session.scalars(select(Indicator).where(Indicator.id.in_(wanted[i : i + 500]))):
            out[ind.id] = ind
    return out


@dataclass(frozen=True, slots=True)
class PeerSeen:
    """One peer's answer to "seen elsewhere?", or why it gave none."""

    peer: str
    country: str
    answers: tuple[SeenAnswer, ...] = ()
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"peer": self.peer, "country": self.country}
        if self.error is not None:
            out["error"] = self.error
        else:
            out["seen"] = bool(self.answers)
            out["answers"] = [a.as_dict() for a in self.answers]
        return out


def node_url(api_root: str) -> str:
    """A Tangkal peer's base URL from its TAXII API root (…/taxii2/api/ → …/)."""
    return urljoin(api_root, "../../") if api_root.rstrip("/").endswith("taxii2/api") else api_root


def ask_peers(
    session: Session,
    value: str,
    country: str | None,
    *,
    node_key: bytes,
    regional_secret: Secret,
    timeout: float = 10.0,
    actor: str = "cli",
) -> list[PeerSeen]:
    """Ask every enabled peer about ``value``; only its keyed hash leaves this node."""
    found = normalize(value, None, country)
    epoch = current_epochs()[0]
    asked = token(epoch_key(regional_secret, epoch), found.kind, found.value)
    results: list[PeerSeen] = []
    peers = session.scalars(select(Peer).where(Peer.enabled.is_(True)).order_by(Peer.name))
    with httpx.Client(timeout=timeout) as http:
        for peer in peers:
            secret = peer_token(node_key, peer)
            try:
                results.append(_ask_one(http, peer, secret, epoch, asked))
            except PeerError as exc:
                results.append(PeerSeen(peer.name, peer.country, error=exc.detail))
    record(
        session, actor, "seen.ask", "seen", epoch,
        details={"kind": found.kind, "peers": len(results)},
    )  # fmt: skip
    return results


def _ask_one(http: httpx.Client, peer: Peer, secret: Secret, epoch: str, asked: str) -> PeerSeen:
    url = node_url(peer.api_root) + "api/v1/seen"
    try:
        resp = http.post(
            url,
            content=orjson.dumps({"epoch": epoch, "tokens": [asked]}),
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        )
    except httpx.HTTPError as exc:
        raise PeerError(f"POST {url}: {type(exc).__name__}: {exc}") from None
    if resp.status_code != 200:
        raise PeerError(f"POST {url}: HTTP {resp.status_code} {resp.text[:200]}")
    try:
        body = orjson.loads(resp.content)
        answers = tuple(
            SeenAnswer(
                a["token"],
                int(a["reports"]),
                int(a["reporters"]),
                int(a["trusted_reporters"]),
                tuple(str(c) for c in a["countries"]),
                a.get("last_seen"),
                bool(a["delisted"]),
            )
            for a in body["answers"]
            if a.get("token") == asked
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise PeerError(f"POST {url}: malformed answer ({exc})") from None
    return PeerSeen(peer.name, peer.country, answers)


def _shareable(
    session: Session, ids: Iterable[int], recipient: Recipient, home_country: str
) -> dict[int, list[tuple[str, bool, str, dt.datetime]]]:
    """Per indicator, the reports the policy lets this recipient know of.

    Judged report by report, as the TAXII collections are: an indicator's own columns say
    nothing about who may learn of it.
    """
    wanted = sorted(set(ids))
    out: dict[int, list[tuple[str, bool, str, dt.datetime]]] = {}
    r, ri, rs = Report, ReportIndicator, ReportSharing
    for i in range(0, len(wanted), 500):
        q = (
            select(
                ri.indicator_id, r.distribution, r.tlp, rs.handling, r.reporter_key,
                r.reporter_trusted, r.victim_country, r.received_at,
            )
            .join(r, r.id == ri.report_id)
            .outerjoin(rs, rs.report_id == r.id)
            .where(ri.indicator_id.in_(wanted[i : i + 500]))
        )  # fmt: skip
        for iid, dist, tlp, handling, key, trusted, country, at in session.execute(q):
            codes = frozenset(h for h in (handling or "").split(",") if h)
            if may_share(dist, tlp, codes, recipient, home_country=home_country):
                out.setdefault(iid, []).append((key, bool(trusted), country, at))
    return out
