"""Who may do what: one table from permission to the roles that hold it.

Every endpoint and command names the permission it needs; nothing checks roles by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from tangkal.errors import PermissionDenied

__all__ = ["PERMISSIONS", "Principal", "require"]

_STAFF = frozenset({"analyst", "investigator", "prosecutor", "admin"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "report:create": frozenset({"reporter", "analyst", "investigator", "admin"}),
    "report:read": _STAFF,
    "report:read_contact": frozenset({"investigator", "admin"}),
    "allowlist:manage": frozenset({"analyst", "admin"}),
    "org:manage": frozenset({"admin"}),
    "audit:read": frozenset({"admin"}),
    "network:read": _STAFF,
    "case:open": frozenset({"analyst", "investigator", "prosecutor", "admin"}),
    "case:read": _STAFF | {"reporter"},
    "request:legal": frozenset({"prosecutor", "admin"}),
    "case:write": frozenset({"analyst", "investigator", "prosecutor", "admin"}),
    "request:read": _STAFF,
    "request:create": frozenset({"analyst", "investigator", "prosecutor", "admin"}),
    "request:act": frozenset({"analyst", "investigator", "prosecutor", "admin"}),
    "request:federate": frozenset({"peer", "admin"}),
    "dispute:resolve": frozenset({"analyst", "admin"}),
    "stats:read": _STAFF,
    "taxii:read": frozenset({"peer", "analyst", "admin"}),
    "taxii:write": frozenset({"peer", "admin"}),
    "peer:manage": frozenset({"admin"}),
    "seen:query": frozenset({"peer", "admin"}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: an organisation acting through one token's role."""

    org_id: int
    org_name: str
    org_country: str
    org_type: str
    role: str
    token_id: int | None = None

    @property
    def actor(self) -> str:
        return f"{self.org_name}/{self.role}"

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]


def require(principal: Principal, permission: str) -> None:
    if not principal.can(permission):
        raise PermissionDenied(f"role {principal.role!r} may not {permission}")
