"""Organisations and API tokens: created here, stored hashed, resolved to a Principal."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.access.models import ApiToken, Organisation
from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.errors import AuthenticationRequired, Conflict, InvalidInput, NotFound
from tangkal.store.base import utcnow
from tangkal.vocabulary import ORG_TYPES, ROLES, check_choice, check_country

__all__ = [
    "add_organisation",
    "authenticate",
    "create_token",
    "get_organisation",
    "hash_token",
    "revoke_token",
]

TOKEN_PREFIX = "tgk_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_organisation(
    session: Session,
    name: str,
    country: str,
    type: str,
    *,
    trusted: bool | None = None,
    node: str | None = None,
    actor: str = "cli",
) -> Organisation:
    """Register an organisation; police, CERTs, regulators and banks count as trusted."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("must be 1–200 characters", field="name")
    country = check_country(country)
    check_choice(type, ORG_TYPES, "type")
    if session.scalar(select(Organisation.id).where(Organisation.name == name)):
        raise Conflict(f"organisation {name!r} already exists", field="name")
    if trusted is None:
        trusted = type in {"police", "cert", "regulator", "bank", "ewallet", "telco", "prosecutor"}
    org = Organisation(name=name, country=country, type=type, trusted=trusted, node=node)
    session.add(org)
    session.flush()
    record(session, actor, "org.add", "organisation", org.id, details={"name": name})
    return org


def get_organisation(session: Session, name: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        raise NotFound(f"no organisation named {name!r}", field="org")
    return org


def create_token(
    session: Session, org: Organisation, role: str, *, label: str | None = None, actor: str = "cli"
) -> str:
    """Create a token and return it in clear: the only time it is ever visible."""
    check_choice(role, ROLES, "role")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        org_id=org.id, role=role, token_hash=hash_token(token), prefix=token[:10], label=label
    )
    session.add(row)
    session.flush()
    record(
        session, actor, "token.create", "api_token", row.id, details={"org": org.name, "role": role}
    )
    return token


def revoke_token(session: Session, token_id: int, *, actor: str = "cli") -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token {token_id}", field="token_id")
    row.revoked_at = utcnow()
    record(session, actor, "token.revoke", "api_token", token_id)


def authenticate(session: Session, token: str) -> Principal:
    """Resolve a clear token to its Principal; unknown or revoked tokens are refused."""
    row = session.execute(
        select(ApiToken, Organisation)
        .join(Organisation, ApiToken.org_id == Organisation.id)
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None or row[0].revoked_at is not None:
        raise AuthenticationRequired("unknown or revoked token")
    tok, org = row
    return Principal(
        org_id=org.id,
        org_name=org.name,
        org_country=org.country,
        org_type=org.type,
        role=tok.role,
        token_id=tok.id,
    )
