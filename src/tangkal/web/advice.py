"""What the public pages say: verdict words, next steps, national hotlines, page messages.

Every sentence is an English msgid, translated when a page is rendered; keeping them in one
place keeps the wording plain and consistent across pages and languages.
"""

from __future__ import annotations

from tangkal.web.i18n import N_

__all__ = [
    "FORM_EXPIRED",
    "FORM_TOO_LARGE",
    "FORM_UNREADABLE",
    "HOTLINES",
    "KIND_LABELS",
    "NOT_FOUND",
    "NOT_RECOGNISED",
    "TOO_LONG",
    "TOO_MANY",
    "TYPOLOGY_NAMES",
    "VERDICTS",
]

# verdict -> (headline, explanation). Colour alone never carries the meaning: the page
# shows the word and an icon too.
VERDICTS = {
    "scam": (
        N_("Scam"),
        N_("Several people, or a trusted organisation, reported this as a scam."),
    ),
    "suspicious": (
        N_("Suspicious"),
        N_("Someone reported this, or it shows warning signs. Be very careful."),
    ),
    "no_reports": (
        N_("No reports"),
        N_("Nobody has reported this yet. That does not prove it is safe."),
    ),
    "allowlisted": (
        N_("Known legitimate"),
        N_(
            "This is on the list of known legitimate contacts and sites. Scammers can still "
            "copy or misuse them: never share your PIN or OTP code."
        ),
    ),
}

KIND_LABELS = {
    "phone": N_("Phone number"),
    "url": N_("Link"),
    "domain": N_("Website"),
    "email": N_("E-mail address"),
    "bank_account": N_("Bank account"),
    "ewallet": N_("E-wallet"),
    "crypto_wallet": N_("Crypto wallet"),
    "social_handle": N_("Social media account"),
}

TYPOLOGY_NAMES = {
    "investment": N_("Investment scam"),
    "job_task": N_("Job or task scam"),
    "romance": N_("Romance scam"),
    "impersonation_official": N_("Fake police or officials"),
    "impersonation_business": N_("Fake bank or company"),
    "phishing_credentials": N_("Stealing passwords or OTP codes"),
    "ecommerce": N_("Online shopping scam"),
    "loan_app": N_("Loan app scam"),
    "lottery_prize": N_("Fake prize or lottery"),
    "sextortion": N_("Sextortion"),
    "malware_apk": N_("Harmful app or file"),
    "account_takeover": N_("Account takeover"),
    "other": N_("Other scam"),
}

# Only numbers we are sure of; elsewhere the page says "your national police".
HOTLINES = {
    "ID": N_("Police: 110. Bank or investment scams: OJK 157."),
    "MY": N_("National Scam Response Centre (NSRC): 997."),
    "SG": N_("ScamShield Helpline: 1799. Emergency: police 999."),
    "TH": N_("Anti Online Scam Operation Centre: 1441."),
    "PH": N_("CICC Inter-Agency Response Centre: 1326."),
    "VN": N_("Police: 113."),
    "BN": N_("Police: 993."),
    "KH": N_("Police: 117."),
    "LA": N_("Police: 1191."),
    "MM": N_("Police: 199."),
}

NOT_RECOGNISED = N_(
    "We could not read this as a phone number, account, link or wallet. "
    "Check it, or paste the whole message."
)
TOO_LONG = N_("This is too long. Paste only the message, up to 1,500 characters.")
TOO_MANY = N_("Too many requests from your connection. Please wait a minute and try again.")
NOT_FOUND = N_("This page does not exist. Try the links above.")
FORM_EXPIRED = N_(
    "This form has expired or was sent from another site. "
    "Go back, reload the page and send it again."
)
FORM_TOO_LARGE = N_("Your report is too long to send. Please shorten the story.")
FORM_UNREADABLE = N_("We could not read the form. Please reload the page and try again.")
