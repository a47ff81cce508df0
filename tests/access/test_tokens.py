"""Tokens are stored hashed, resolve to their organisation and role, and can be revoked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tangkal.access.models import ApiToken
from tangkal.access.tokens import add_organisation, authenticate, create_token, revoke_token
from tangkal.errors import AuthenticationRequired, Conflict, InvalidInput
from tangkal.store import Store


def test_token_is_stored_hashed_and_authenticates(store: Store) -> None:
    with store.begin() as s:
        org = add_organisation(s, "Bank Satu", "ID", "bank")
        token = create_token(s, org, "reporter")
    with store.read() as s:
        stored = s.scalars(select(ApiToken)).one()
        assert token not in (stored.token_hash, stored.prefix)
        assert len(stored.token_hash) == 64
        who = authenticate(s, token)
    assert (who.org_name, who.role, who.org_country) == ("Bank Satu", "reporter", "ID")


def test_revoked_and_unknown_tokens_are_refused(store: Store) -> None:
    with store.begin() as s:
        org = add_organisation(s, "CERT X", "MY", "cert")
        token = create_token(s, org, "analyst")
        tid = s.scalars(select(ApiToken.id)).one()
        revoke_token(s, tid)
    with store.read() as s:
        with pytest.raises(AuthenticationRequired):
            authenticate(s, token)
        with pytest.raises(AuthenticationRequired):
            authenticate(s, "tgk_not-a-token")


@pytest.mark.parametrize(
    ("name", "country", "type_", "field"),
    [("", "ID", "bank", "name"), ("X", "XX", "bank", "country"), ("X", "ID", "casino", "type")],
)
def test_bad_organisation_input_names_the_field(
    store: Store, name: str, country: str, type_: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as info, store.begin() as s:
        add_organisation(s, name, country, type_)
    assert info.value.field == field


def test_duplicate_organisation_is_a_conflict(store: Store) -> None:
    with store.begin() as s:
        add_organisation(s, "Dup", "TH", "police")
    with pytest.raises(Conflict), store.begin() as s:
        add_organisation(s, "Dup", "TH", "police")


def test_trust_defaults_follow_organisation_type(store: Store) -> None:
    with store.begin() as s:
        assert add_organisation(s, "Polis", "MY", "police").trusted
        assert not add_organisation(s, "Some platform", "SG", "platform").trusted
