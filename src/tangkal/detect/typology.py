"""Weak typology labels from cues: the first matching rule wins.

No set in ``../shared/data`` labels typologies for whole messages, so these documented
rules decide; their agreement with the Philippine report types and the Indonesian
``bopbi`` categories is measured by ``tangkal detect evaluate``.
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["TYPOLOGIES", "typology_of"]

TYPOLOGIES = (
    "investment",
    "job_task",
    "romance",
    "impersonation_official",
    "impersonation_business",
    "phishing_credentials",
    "ecommerce",
    "loan_app",
    "lottery_prize",
    "sextortion",
    "malware_apk",
    "account_takeover",
    "other",
)

# (typology, cues that must all be present); order matters: specific before generic.
# A loan offered through an app is a loan app scam (not "install an app"); a stranger's
# affection comes before the customs fee or frozen account of the story it tells; a
# relative's "new number" is impersonation of a person, which no typology names: "other".
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sextortion", ("sextortion",)),
    ("loan_app", ("loan_offer", "app_install")),
    ("malware_apk", ("apk_file",)),
    ("malware_apk", ("app_install",)),
    ("other", ("mistaken_transfer", "mentions_money")),
    # A fake buyer's "safe pay" page that asks for card details is a marketplace scam first
    # (session 11).
    ("ecommerce", ("marketplace_payment", "asks_credentials")),
    # A QR code to scan to "receive" a payment, then the bank PIN (session 12).
    ("ecommerce", ("qr_receive", "asks_credentials")),
    ("account_takeover", ("asks_credentials",)),
    # Session 11: a lender's threat to shame you over a debt; a "lawyer" who recovers lost
    # money (impersonation of a person or firm, which no typology names); a fake central bank's
    # "safe account".
    ("loan_app", ("debt_shaming",)),
    ("other", ("family_emergency",)),
    ("other", ("fund_recovery",)),
    ("impersonation_official", ("secure_balance",)),
    # Session 12: your ID "linked to a crime case" (a fake police video call); an unpaid
    # traffic fine; a soldier or peacekeeper abroad; a well-paid job abroad (the scam
    # compounds' recruiting); a crypto wallet to connect; a QR code to scan to receive money.
    ("impersonation_official", ("case_involvement",)),
    ("impersonation_official", ("traffic_fine",)),
    ("romance", ("soldier_romance",)),
    ("job_task", ("overseas_job",)),
    ("ecommerce", ("qr_receive",)),
    # A loan's "guarantee deposit" to pay first is no marketplace deposit (session 10).
    ("loan_app", ("upfront_fee", "loan_offer")),
    ("ecommerce", ("marketplace_payment",)),
    ("ecommerce", ("unpaid_order",)),
    ("other", ("mistaken_transfer",)),
    ("lottery_prize", ("upfront_fee", "prize_claim")),
    ("impersonation_business", ("card_charge_callback",)),
    ("impersonation_business", ("purchase_callback",)),
    # Session 12: an unpaid road toll or traffic fine.
    ("impersonation_official", ("unpaid_toll",)),
    ("impersonation_business", ("service_cutoff",)),
    # "Earn $300 a day" in a gold-signal group is investment talk, not a job (session 11).
    ("investment", ("investment_group", "job_task_offer")),
    ("job_task", ("job_task_offer",)),
    ("job_task", ("prepaid_task",)),
    ("investment", ("promises_high_returns",)),
    ("investment", ("investment_group",)),
    # A wallet to connect is the phishing page of an airdrop, unless returns are promised.
    ("phishing_credentials", ("wallet_connect",)),
    ("investment", ("wrong_number_opener", "crypto_words")),
    ("investment", ("wrong_number_opener", "investment_pitch")),
    ("romance", ("romance_lure",)),
    ("romance", ("persona_abroad",)),
    ("romance", ("wrong_number_opener",)),
    ("phishing_credentials", ("reward_points_lure",)),
    ("phishing_credentials", ("page_violation",)),
    ("phishing_credentials", ("identity_update",)),
    ("impersonation_official", ("benefit_lure",)),
    ("impersonation_business", ("parcel_problem",)),
    ("impersonation_business", ("address_update",)),
    ("impersonation_official", ("official_threat",)),
    ("investment", ("crypto_words",)),
    ("loan_app", ("upfront_fee",)),
    ("loan_app", ("loan_offer",)),
    ("lottery_prize", ("prize_claim",)),
    ("phishing_credentials", ("account_threat",)),
    ("ecommerce", ("refund_or_order",)),
    ("lottery_prize", ("gambling",)),
)

_NEEDED = tuple((typology, frozenset(needed)) for typology, needed in _RULES)

_LINK_TYPOLOGY = {
    "imitates_brand": "phishing_credentials",
    "brand_in_subdomain": "phishing_credentials",
    "brand_in_domain": "phishing_credentials",
    "idn_mixed_scripts": "phishing_credentials",
    "login_keywords": "phishing_credentials",
}


def typology_of(cues: Collection[str], link_reasons: Collection[str]) -> str:
    """Pick the typology of a message already judged a scam.

    >>> typology_of({"urgency", "promises_high_returns"}, set())
    'investment'
    """
    found = cues if isinstance(cues, (set, frozenset)) else frozenset(cues)
    for typology, needed in _NEEDED:
        if needed <= found:  # one C-level subset test per rule, no generator
            return typology
    for code in link_reasons:
        if code in _LINK_TYPOLOGY:
            return _LINK_TYPOLOGY[code]
    return "other"
