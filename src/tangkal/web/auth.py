"""Who is calling: token authentication and the per-client limit on public endpoints."""

from __future__ import annotations

import base64
import binascii
import threading
import time
from collections import OrderedDict

from starlette.requests import Request

from tangkal.access.roles import Principal, require
from tangkal.access.tokens import authenticate
from tangkal.errors import AuthenticationRequired, RateLimited
from tangkal.store import Store

__all__ = ["RateLimiter", "client_ip", "principal", "require_permission"]


def _token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return credentials.strip()
    if scheme.lower() == "basic" and credentials:
        # TAXII 2.1 recommends HTTP Basic: user = organisation, password = its token.
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthenticationRequired("malformed Basic credentials") from None
        return decoded.partition(":")[2] or None
    return None


def principal(request: Request) -> Principal:
    """The authenticated caller, or AuthenticationRequired."""
    cached = request.scope.get("tangkal.principal")
    if isinstance(cached, Principal):
        return cached
    token = _token_from(request)
    if not token:
        raise AuthenticationRequired("this endpoint needs an API token (Authorization: Bearer …)")
    store: Store = request.app.state.store
    with store.read() as session:
        who = authenticate(session, token)
    request.scope["tangkal.principal"] = who
    return who


def require_permission(request: Request, permission: str) -> Principal:
    who = principal(request)
    require(who, permission)
    return who


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class RateLimiter:
    """A token bucket per client address, in memory (per worker process)."""

    def __init__(self, per_minute: int, max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, cost: float = 1.0) -> None:
        if self.capacity <= 0:
            return
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < cost:
                self._buckets[key] = (tokens, now)
                raise RateLimited("too many requests from this client; try again in a minute")
            self._buckets[key] = (tokens - cost, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
