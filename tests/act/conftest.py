"""Organisations of several countries, each with a token, for the act tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tangkal.access.roles import Principal
from tangkal.access.tokens import add_organisation, authenticate, create_token
from tangkal.store import Store

# Headless Chromium for the act pages: the web tests' fixtures (fail, never skip).
from tests.web.conftest import browser as chromium  # noqa: F401
from tests.web.conftest import playwright_driver  # noqa: F401


@dataclass(frozen=True)
class Actor:
    org_id: int
    token: str
    who: Principal

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


# name → (country, organisation type, token role)
CAST = {
    "police_id": ("ID", "police", "investigator"),
    "police_th": ("TH", "police", "investigator"),
    "police_my": ("MY", "police", "investigator"),
    "bank_th": ("TH", "bank", "analyst"),
    "bank_id": ("ID", "bank", "analyst"),
    "telco_th": ("TH", "telco", "analyst"),
    "platform_sg": ("SG", "platform", "analyst"),
    "prosecutor_id": ("ID", "prosecutor", "prosecutor"),
    "prosecutor_th": ("TH", "prosecutor", "prosecutor"),
    "reporter_id": ("ID", "partner", "reporter"),
}


def make_actor(store: Store, name: str, country: str, type: str, role: str) -> Actor:
    with store.begin() as session:
        org = add_organisation(session, name, country, type)
        token = create_token(session, org, role)
        return Actor(org.id, token, authenticate(session, token))


@pytest.fixture
def cast(store: Store) -> dict[str, Actor]:
    """Every organisation of ``CAST``, made in one transaction."""
    out = {}
    with store.begin() as session:
        for name, (country, type, role) in CAST.items():
            org = add_organisation(session, name, country, type)
            token = create_token(session, org, role)
            out[name] = Actor(org.id, token, authenticate(session, token))
    return out
