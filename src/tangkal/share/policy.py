"""Distribution policy: the one decision of whether a piece of data may leave this node.

Every exit point — the TAXII server, ``tangkal export``, push to peers — asks
:func:`may_share` and nothing else, so the rule can be read, documented and tested as one
matrix (``docs/federation.md``, ``tests/share/test_policy.py``).

>>> r = Recipient(country="MY", org_name="PDRM", node="my-node", kind="asean_member")
>>> may_share("asean", "GREEN", frozenset(), r, home_country="ID")
True
>>> may_share("national", "CLEAR", frozenset(), r, home_country="ID")
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tangkal.vocabulary import ASEAN

__all__ = [
    "ADDRESSEE_PREFIX",
    "AUDIENCES",
    "DIALOGUE_PARTNERS",
    "HANDLING_CODES",
    "INTERNATIONAL_BODIES",
    "LEVELS",
    "NO_COURT_USE",
    "NO_ONWARD_SHARING",
    "TLP",
    "Recipient",
    "RecipientKind",
    "audience_recipient",
    "may_share",
    "recipient_for",
]

# Ordered from the narrowest circle to the widest.
LEVELS = ("organisation", "national", "asean", "partners", "public")
# TLP 2.0, ordered from the most open to the most restricted.
TLP = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
# ASEAN dialogue partners that run (or may run) a node; the EU stands as one partner.
DIALOGUE_PARTNERS = frozenset({"CN", "JP", "KR", "US", "AU", "NZ", "IN", "RU", "CA", "EU", "GB"})
# International bodies are recognised by organisation name (their seat country says nothing).
INTERNATIONAL_BODIES = frozenset({"INTERPOL", "ITU", "UNODC"})

# Handling codes in the style of law-enforcement exchange. They travel with the data.
NO_COURT_USE = "no-court-use"  # not for use in court without the originator's permission
NO_ONWARD_SHARING = "no-onward-sharing"  # the recipient may not pass it on
# "to:<organisation name>" names an addressee; when any is present only they may receive.
ADDRESSEE_PREFIX = "to:"
HANDLING_CODES = (NO_COURT_USE, NO_ONWARD_SHARING)

# The audiences a TAXII collection or an export is made for, widest last.
AUDIENCES = ("asean", "partners", "public")

RecipientKind = Literal["asean_member", "dialogue_partner", "international", "same_node"]


@dataclass(frozen=True)
class Recipient:
    """Who would receive the data: a peer organisation, its node and what kind of member it is."""

    country: str
    org_name: str | None
    node: str | None
    kind: RecipientKind


def _recognised(recipient: Recipient, home_country: str) -> bool:
    """A recipient's claimed kind must match its country or name, or it earns no trust."""
    if recipient.kind == "same_node":
        return recipient.country == home_country
    if recipient.kind == "asean_member":
        return recipient.country in ASEAN
    if recipient.kind == "dialogue_partner":
        return recipient.country in DIALOGUE_PARTNERS
    name = (recipient.org_name or "").upper()
    return any(name == body or name.startswith(body + " ") for body in INTERNATIONAL_BODIES)


def _addressees(handling: frozenset[str]) -> frozenset[str]:
    return frozenset(
        code[len(ADDRESSEE_PREFIX) :].casefold()
        for code in handling
        if code.startswith(ADDRESSEE_PREFIX)
    )


def may_share(
    distribution: str,
    tlp: str,
    handling: frozenset[str],
    recipient: Recipient,
    *,
    home_country: str,
) -> bool:
    """Whether data at ``distribution``/``tlp``/``handling`` may be given to ``recipient``.

    Unknown levels or markings are refused: the policy fails closed.
    """
    if distribution not in LEVELS or tlp not in TLP or tlp == "RED":
        return False
    if distribution == "organisation":
        # Never leaves the owning organisation; its own staff read it through the API.
        return False
    addressees = _addressees(handling)
    named = recipient.org_name is not None and recipient.org_name.casefold() in addressees
    if addressees and not named:
        return False
    if tlp == "AMBER+STRICT" and not named:
        # Restricted to the organisation: only an organisation named as addressee.
        return False
    if not _recognised(recipient, home_country):
        # Unknown parties get only what anyone may read.
        return distribution == "public" and tlp == "CLEAR"
    if recipient.kind == "same_node":
        return True
    if distribution == "national":
        return False
    if recipient.kind == "asean_member":
        return True
    # Dialogue partners and international bodies: the "partners" circle and wider.
    return distribution in ("partners", "public")


def recipient_for(org_name: str, country: str, *, node: str | None, home_country: str) -> Recipient:
    """Classify an organisation (e.g. a peer's token holder) into a recipient."""
    upper = org_name.upper()
    kind: RecipientKind
    if any(upper == b or upper.startswith(b + " ") for b in INTERNATIONAL_BODIES):
        kind = "international"
    elif node is None and country == home_country:
        kind = "same_node"
    elif country in ASEAN:
        kind = "asean_member"
    elif country in DIALOGUE_PARTNERS:
        kind = "dialogue_partner"
    else:
        kind = "international"  # unrecognised below: sees only public data
    return Recipient(country=country, org_name=org_name, node=node, kind=kind)


def audience_recipient(audience: str) -> Recipient:
    """The least-trusted recipient an audience (collection or export) is made for.

    An object belongs to an audience when ``may_share`` allows it to this stand-in, so
    every member of the audience may read everything in it.
    """
    if audience == "asean":
        return Recipient(country="BN", org_name=None, node="asean", kind="asean_member")
    if audience == "partners":
        return Recipient(country="US", org_name=None, node="partners", kind="dialogue_partner")
    if audience == "public":
        return Recipient(country="ZZ", org_name=None, node=None, kind="international")
    raise ValueError(f"unknown audience {audience!r}")
