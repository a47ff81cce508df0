"""Register the peers this node federates with, and keep the tokens we hold for them sealed.

A peer's token lets whoever holds it read that peer's shared data, so it is stored sealed
(AES-256-GCM) under a node key that lives outside the database: the ``secret_key`` setting
when given, else a key file generated once into ``data_dir``. It is never printed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.tokens import add_organisation
from tangkal.audit.log import record
from tangkal.config import Secret, Settings
from tangkal.errors import Conflict, IntegrityFailure, InvalidInput, NotFound
from tangkal.share.peer_models import Peer, SyncCheckpoint
from tangkal.vocabulary import check_country

__all__ = ["PeerInfo", "add_peer", "get_peer", "list_peers", "node_key", "peer_token", "seal"]

_KEY_FILE = "peers.key"
_AAD = b"tangkal-peer-token-v1"


def node_key(settings: Settings) -> bytes:
    """The 256-bit key that seals peer tokens: derived from ``secret_key`` or kept in a file."""
    if settings.secret_key:
        return hashlib.sha256(b"tangkal/peers|" + settings.secret_key.encode("utf-8")).digest()
    path = Path(settings.data_dir) / _KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once cannot each write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
    key = path.read_bytes()
    if len(key) != 32:
        raise IntegrityFailure(f"{path} is not a 32-byte key")
    return key


def seal(key: bytes, token: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, token.encode("utf-8"), _AAD)
    return base64.b64encode(nonce + sealed).decode("ascii")


def peer_token(key: bytes, peer: Peer) -> Secret:
    """The peer's token in clear, as a Secret so that it never reaches a log."""
    raw = base64.b64decode(peer.token_sealed)
    try:
        clear = AESGCM(key).decrypt(raw[:12], raw[12:], _AAD)
    except InvalidTag:
        raise IntegrityFailure(
            f"the token of peer {peer.name!r} cannot be opened with this node's key "
            "(secret_key or data_dir changed?); add the peer again"
        ) from None
    return Secret(clear.decode("utf-8"))


def _check_root(url: str) -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")) or len(url) > 480:
        raise InvalidInput("must be an http(s) URL of a TAXII 2.1 API root", field="url")
    return url if url.endswith("/") else url + "/"


def add_peer(
    session: Session,
    name: str,
    api_root: str,
    token: str,
    *,
    key: bytes,
    country: str,
    collections: list[str] | None = None,
    our_org: str | None = None,
    org_name: str | None = None,
    push: bool = True,
    push_collection: str | None = None,
    actor: str = "cli",
) -> Peer:
    """Register a peer; the local organisation that stands for it is created when missing.

    >>> add_peer(session, "MY", "https://my.example/taxii2/api/", "tgk_…", key=k, country="MY")
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("must be 1–100 characters", field="name")
    if not token or len(token) > 1000:
        raise InvalidInput("must be 1–1000 characters", field="token")
    country = check_country(country)
    root = _check_root(api_root)
    wanted = [c.strip() for c in collections or [] if c.strip()]
    if session.scalar(select(Peer.id).where(Peer.name == name)):
        raise Conflict(f"peer {name!r} already exists", field="name")
    org_label = org_name or name
    org = session.scalar(select(Organisation).where(Organisation.name == org_label))
    if org is None:
        org = add_organisation(
            session, org_label, country, "partner", trusted=False, node=name, actor=actor
        )
    peer = Peer(
        name=name,
        api_root=root,
        collections=wanted,
        token_sealed=seal(key, token),
        our_org=our_org,
        country=country,
        org_id=org.id,
        push=push,
        push_collection=push_collection,
    )
    session.add(peer)
    session.flush()
    record(
        session, actor, "peer.add", "peer", peer.id,
        details={"name": name, "api_root": root, "country": country, "collections": wanted},
    )  # fmt: skip
    return peer


def get_peer(session: Session, name: str) -> Peer:
    peer = session.scalar(select(Peer).where(Peer.name == name))
    if peer is None:
        raise NotFound(f"no peer named {name!r}", field="name")
    return peer


@dataclass(frozen=True, slots=True)
class PeerInfo:
    """What ``peers list`` shows: everything but the token."""

    name: str
    api_root: str
    country: str
    collections: tuple[str, ...]
    push: bool
    enabled: bool
    checkpoints: tuple[dict[str, object], ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "api_root": self.api_root,
            "country": self.country,
            "collections": list(self.collections),
            "push": self.push,
            "enabled": self.enabled,
            "checkpoints": list(self.checkpoints),
        }


def list_peers(session: Session) -> list[PeerInfo]:
    peers = session.scalars(select(Peer).order_by(Peer.name)).all()
    marks: dict[int, list[dict[str, object]]] = {}
    for cp in session.scalars(select(SyncCheckpoint).order_by(SyncCheckpoint.collection)):
        marks.setdefault(cp.peer_id, []).append(
            {
                "collection": cp.collection,
                "added_after": cp.added_after,
                "last_run": cp.last_run.isoformat() if cp.last_run else None,
                "status": cp.status,
                "objects": cp.objects_total,
                "error": cp.last_error,
            }
        )
    return [
        PeerInfo(
            p.name,
            p.api_root,
            p.country,
            tuple(p.collections),
            p.push,
            p.enabled,
            tuple(marks.get(p.id, ())),
        )
        for p in peers
    ]
