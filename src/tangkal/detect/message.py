"""Scoring messages: probability of a scam, its typology and plain-language reasons."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import chain

import numpy as np
import numpy.typing as npt

from tangkal.detect.cues import Cue, load_cues
from tangkal.detect.domains import parse_url
from tangkal.detect.errors import DetectInputError
from tangkal.detect.features import LINK_FLAGS, message_extra_names, message_parts, message_signals
from tangkal.detect.link import MAX_LINKS, score_links
from tangkal.detect.result import MessageScore, Reason
from tangkal.detect.shipped import MessageModels, link_model, message_models
from tangkal.detect.text import (
    SCRIPTS_WITHOUT_TRAINING_DATA,
    dominant_scripts,
    is_unreadable,
    model_language,
)
from tangkal.detect.typology import typology_of

__all__ = [
    "LANGUAGES",
    "MAX_BATCH",
    "probabilities_with",
    "scam_probabilities",
    "score_message",
    "score_messages",
    "score_with",
]

LANGUAGES = frozenset({"id", "ms", "th", "vi", "tl", "km", "my", "lo", "en"})
_UNSEEN_LANGUAGES = frozenset({"km", "my", "lo"})
MAX_REASONS = 5
MAX_BATCH = 100_000  # bounded work per call; callers split larger imports
# Texts hashed at once: a few hundred keep numpy's arrays in the CPU cache (about twice as
# fast per text as hashing thousands at once); rows do not interact, so results are equal.
_CHUNK = 256


def _check(texts: Sequence[object]) -> None:
    if isinstance(texts, str):
        raise DetectInputError("pass a sequence of texts, not one string", field="texts")
    if len(texts) > MAX_BATCH:
        raise DetectInputError(f"at most {MAX_BATCH} texts per call", field="texts")
    for text in texts:
        if not isinstance(text, str):
            raise DetectInputError("every message must be a str", field="text")


RULE_BIAS = -3.5
STRONG_LINK_BONUS = 2.0
# Cues that name what a scam is about (a pretext), as opposed to what it asks you to do
# (transfer, personal account) or how it says it (urgency, money, chat apps). In Khmer,
# Burmese and Lao no model backs the rules, so one pretext cue plus one more cue is
# enough there, and a pretext cue of weight 2 or more (high returns, sextortion, an OTP
# request) is enough alone: ``RULE_BIAS + PRETEXT_BONUS`` is -2.0.
PRETEXT_CUES = frozenset(
    {
        "promises_high_returns",
        "prize_claim",
        "job_task_offer",
        "loan_offer",
        "account_threat",
        "asks_credentials",
        "official_threat",
        "sextortion",
        "parcel_problem",
        "family_emergency",
        "crypto_words",
        "gambling",
        "apk_file",
        "mistaken_transfer",
        "address_update",
        "upfront_fee",
        "service_cutoff",
        "prepaid_task",
        "investment_group",
        "secure_balance",
        "fund_recovery",
        "debt_shaming",
        "case_involvement",
        "soldier_romance",
        "overseas_job",
        "wallet_connect",
        "qr_receive",
        # Session 12, English smishing.
        "unpaid_toll",
        "persona_abroad",
    }
)
PRETEXT_BONUS = 1.5
# Cues that are a story's opening but weak evidence alone (session 9): a "wrong number"
# first contact (2.8), points expiring or an account upgrade (1.9), a marketplace deposit
# or "receive your payment" (2.2), an address to update (1.5). A link in the message that
# is not on an official domain (``official_link``) is their second sign and adds this much:
# "sorry, wrong number" alone stays at 2.8 - 3.5 (p 0.33), with a link or a move to
# WhatsApp/Telegram/LINE (0.8) or crypto talk (0.8) it reaches the threshold.
# Session 10 adds three openers of the same kind, each weak alone and common in genuine
# notices without a link: a page that broke the platform's rules and must be appealed, an
# identity (biometrics, digital ID) to update, a tax refund or government aid to claim.
LINK_PRETEXTS = frozenset(
    {
        "wrong_number_opener",
        "reward_points_lure",
        "marketplace_payment",
        "address_update",
        "page_violation",
        "identity_update",
        "benefit_lure",
        "unpaid_order",
        "traffic_fine",
        # Session 12: an unpaid road toll or traffic fine.
        "unpaid_toll",
    }
)
LINK_SIGN = 1.7
# Cue pairs that tell a story neither cue tells alone (session 10): a relative, or someone
# "on a new number", asking for a transfer. Each pair adds its bonus once: "Mum, I changed
# my number ... can you transfer 2 million" (1.3 + 1.5 + 0.3 for the sum) is 3.1 without it,
# under the threshold; a new number without a request for money stays at 1.3.
# Session 11: a power or water cut tonight with an "officer" on WhatsApp, Telegram or LINE
# (a utility's own notice names its app or hotline).
# Session 12: a soldier or engineer posted far away who asks you to go on WhatsApp or Telegram.
CUE_PAIRS: dict[tuple[str, str], float] = {
    ("family_emergency", "asks_transfer_money"): 0.8,
    ("service_cutoff", "chat_app_redirect"): 1.0,
    ("soldier_romance", "romance_lure"): 1.0,
    ("persona_abroad", "chat_app_redirect"): 1.0,
}
# Cues that cancel genuine-notice signs found with them (session 11). A fake central bank or
# police officer who tells you to move your savings to a "safe account" also says "tell no
# one, not even the bank's staff", which reads like the never-share advice of a genuine OTP,
# and names your balance, which reads like a receipt: with ``secure_balance`` those two signs
# are the scam's own words and count for nothing (rules and model damping alike).
# Session 12: a payee's "my old account is blocked, pay into my new one" voids the signs of a
# landlord's usual rent and of friends' bill split; a genuine warning counts once (with the
# never-share advice it is the same sign); an interview with a fee, tasks or a chat app is not
# an employer's.
# Session 12: a shop's or a platform's "order placed on your account, not you? call ..." is
# the call-back of a scam even on a toll-free number (1-888 ... reads as official), because
# shops and platforms do not ask you to call about an order: with ``purchase_callback`` the
# official call-back sign counts for nothing.
CANCELS: dict[str, frozenset[str]] = {
    "secure_balance": frozenset({"safety_advice", "transaction_receipt", "fraud_warning"}),
    "account_changed": frozenset({"rent_reminder", "bill_split"}),
    "safety_advice": frozenset({"fraud_warning"}),
    "job_task_offer": frozenset({"interview_invite"}),
    "chat_app_redirect": frozenset({"interview_invite"}),
    "upfront_fee": frozenset({"interview_invite"}),
    "asks_transfer_money": frozenset({"interview_invite"}),
    "purchase_callback": frozenset({"official_callback"}),
    # Two helpers wrote the same story twice in session 12 (merged by the lead): a fine or
    # toll to pay, a soldier or doctor abroad. Both fire on such a message; it counts once.
    "traffic_fine": frozenset({"unpaid_toll"}),
    "soldier_romance": frozenset({"persona_abroad"}),
}
# Genuine signs of messages that carry no link of their own (session 12): a landlord's rent, a
# bank's or police's warning, a courier's automatic redelivery, a driver on the way. With a link
# that is not on an official domain of ``brands.json`` they count for nothing ("we never ask
# for your OTP ... verify at bank-secure.top" is the scam's own wording).
NO_LINK_SIGNS = frozenset({"rent_reminder", "fraud_warning", "redelivery_notice", "ride_arriving"})
# And no genuine sign counts in a message whose link imitates a brand: a bank's own notice
# never links to a look-alike of a bank's domain ("BRI never asks for your OTP ... verify at
# bri-keamanan.site" had its never-share advice take 2.5 off).
IMITATION_VOIDS_SIGNS = True
# Until session 9 Filipino text had 1.5 (3.5 without a sign of its own) taken off the
# model logit, because every Filipino training text was a scam report. The joint model now
# also learns from generated Filipino notices (``notices.py``), and on the validation part
# the offsets then cost Philippine reports (111 -> 107 of 118 caught) without a notice
# gained: they were removed.
_HAS_LINK = len(message_extra_names()) - len(LINK_FLAGS)  # column of ``has_link``
_OFFICIAL_LINK = _HAS_LINK + LINK_FLAGS.index("official_link")


@cache
def _rule_tables() -> tuple[
    list[float],
    frozenset[int],
    frozenset[int],
    tuple[tuple[frozenset[int], float], ...],
    tuple[tuple[int, frozenset[int]], ...],
    frozenset[int],
]:
    """Per cue number: weights; the pretext and link-wanting cues; the pairs; the cancels; the
    genuine signs a link voids."""
    cues = load_cues()
    number = {cue.code: n for n, cue in enumerate(cues)}
    return (
        [cue.weight for cue in cues],
        frozenset(n for n, cue in enumerate(cues) if cue.code in PRETEXT_CUES),
        frozenset(n for n, cue in enumerate(cues) if cue.code in LINK_PRETEXTS),
        tuple((frozenset(number[c] for c in pair), bonus) for pair, bonus in CUE_PAIRS.items()),
        tuple(
            (number[code], frozenset(number[c] for c in cancelled))
            for code, cancelled in CANCELS.items()
        ),
        frozenset(n for n, cue in enumerate(cues) if cue.code in NO_LINK_SIGNS),
    )


@cache
def _cue_tables() -> tuple[dict[str, Cue], dict[str, int]]:
    """Cues by code and their numbers (built once, not per call)."""
    cues = {cue.code: cue for cue in load_cues()}
    return cues, {code: i for i, code in enumerate(cues)}


def phishing_links(url_lists: Sequence[Sequence[str]]) -> list[str | None]:
    """The first link of each message that the URL model itself calls phishing, or None.

    A message's reasons must not contradict its own link's: `POST /api/v1/analyze` said "no
    common scam signs" for a fine to pay at ``myjpj-saman.com.my-bayar.top`` while the same
    answer gave that link a risk of 0.99 (session 11, fifth fresh set). Such a link is named
    among the message's reasons. It does not raise the message's probability: counted like a
    brand imitation in the cue rules it caught six more fixture scams but cost Vietnamese
    F1 0.846 -> 0.620 and three validation notices, because the URL model also calls some
    genuine telco, bank and link-service domains phishing (docs/detection.md, "Session 11,
    lead"). Only a model opinion counts here (reason ``resembles_phishing_urls`` at the link
    threshold): brand imitations are shown by their own rule, and a shortener is not phishing.
    """
    fresh = [url for url in dict.fromkeys(chain.from_iterable(url_lists)) if url not in _FLAGGED]
    if fresh:
        if len(_FLAGGED) + len(fresh) > _FLAGGED_MAX:
            _FLAGGED.clear()
        _FLAGGED.update(zip(fresh, _model_flagged(fresh), strict=True))
    return [next((url for url in urls if _FLAGGED.get(url)), None) for urls in url_lists]


# Whether the URL model alone flags a link, kept per link as the link rules behind the
# message features are: a campaign sends one link to many people, and analyze scores each
# message's links again for its indicators (without it `POST /api/v1/analyze` served 20 %
# fewer requests). New links of a batch are scored together (one link alone costs ~260 µs).
_FLAGGED: dict[str, bool] = {}
_FLAGGED_MAX = 65_536


def _model_flagged(urls: Sequence[str]) -> list[bool]:
    """Whether the URL model alone flags each link; a link the parser refuses is not flagged.

    Refused links are set aside first and the rest scored in chunks of ``MAX_LINKS``, so one
    bad link or a very large batch does not fall back to scoring link by link.
    """
    flagged = dict.fromkeys(urls, False)
    valid = [url for url in flagged if _parses(url)]
    threshold = link_model().threshold
    for start in range(0, len(valid), MAX_LINKS):
        chunk = valid[start : start + MAX_LINKS]
        for url, score in zip(chunk, score_links(chunk), strict=True):
            flagged[url] = score.risk >= threshold and any(
                reason.code == "resembles_phishing_urls" for reason in score.reasons
            )
    return [flagged[url] for url in urls]


def _parses(url: str) -> bool:
    try:
        parse_url(url)
    except DetectInputError:
        return False
    return True


def _probabilities(
    models: MessageModels,
    texts: Sequence[str],
    languages: Sequence[str | None] | None,
    model_texts: list[str],
    extras: npt.NDArray[np.float32],
    cue_lists: Sequence[Sequence[int]],
    strong_link: Sequence[bool],
) -> list[float]:
    """Scam probability of every text, rounded to 4 places: the one formula of both paths.

    The probability is the larger of the character model and the hand-set cue rules, so a
    message must look like known scams *or* show several scam cues. For Khmer, Burmese and
    Lao (no training data) only the cue rules apply. An empty text scores 0.
    """
    n = len(texts)
    joint = np.empty(n, dtype=np.float64)
    # Texts of a language with its own model are hashed apart from the others, so both
    # models read one hashed batch; a row's features do not depend on its batch.
    routes: dict[str | None, list[int]] = {}
    for row, text in enumerate(model_texts):
        language = model_language(text) if models.by_language else None
        routes.setdefault(language if language in models.by_language else None, []).append(row)
    for language, routed in routes.items():
        own = models.by_language.get(language) if language is not None else None
        for start in range(0, len(routed), _CHUNK):
            rows = routed[start : start + _CHUNK]
            hashed = models.joint.hash([model_texts[row] for row in rows])
            values = models.joint.logits(hashed, extras[rows], len(rows))
            if own is not None:
                # The language's own model reads the same hashed features: average the two
                # logits (validation: Thai F1 0.854 -> 0.874, notices flagged 1.9 -> 1.7%).
                values = (values + own.logits(hashed, extras[rows], len(rows))) / 2.0
            joint[rows] = values
    weights, pretexts, linked, pairs, cancels, no_link = _rule_tables()
    sums: dict[tuple[int, ...], tuple[float, float, bool, bool, float]] = {}  # cue sets repeat
    logits: list[float] = []
    scripts = dominant_scripts(texts)
    for row, model_logit in enumerate(joint.tolist()):  # Python floats: the same values
        key = tuple(cue_lists[row])
        if key not in sums:
            present = set(key)
            for code, cancelled in cancels:
                if code in present:
                    present -= cancelled
            # Strongest cue first: the sums must add in one fixed order on every path.
            found = sorted((weights[number] for number in present), reverse=True)
            # Genuine-notice cues (receipts, "never share this code") also pull the
            # character model down: its n-grams cannot tell a real OTP from a phishing one.
            together = sum(bonus for pair, bonus in pairs if pair.issubset(key))
            sums[key] = (
                RULE_BIAS + sum(found) + together,
                sum(min(weight, 0.0) for weight in found),
                not pretexts.isdisjoint(key),
                not linked.isdisjoint(key),
                sum(sorted((weights[number] for number in present & no_link), reverse=True)),
            )
        rule_base, damping, pretext, wants_link, voidable = sums[key]
        rule = rule_base + (STRONG_LINK_BONUS if strong_link[row] else 0.0)
        if extras[row, _HAS_LINK] and not extras[row, _OFFICIAL_LINK]:
            if wants_link:
                rule += LINK_SIGN
            rule -= voidable
            damping -= voidable
        if strong_link[row] and IMITATION_VOIDS_SIGNS:
            rule -= damping
            damping = 0.0
        language = languages[row] if languages else None
        unseen = language in _UNSEEN_LANGUAGES or scripts[row] in SCRIPTS_WITHOUT_TRAINING_DATA
        if is_unreadable(texts[row]):
            # Binary data read as text: the character model never saw any, so only the cue
            # rules (which need words) may speak (session 10; it said 0.99 scam).
            logits.append(rule)
            continue
        if unseen:
            logits.append(rule + (PRETEXT_BONUS if pretext else 0.0))
            continue
        logits.append(max(model_logit + damping, rule))
    probabilities = 1.0 / (1.0 + np.exp(-np.array(logits, dtype=np.float64)))
    return [
        round(p, 4) if model_texts[row] else 0.0 for row, p in enumerate(probabilities.tolist())
    ]


def probabilities_with(models: MessageModels, texts: Sequence[str]) -> list[float]:
    """The ``scam_probability`` of :func:`score_with`, without typology or reasons."""
    _check(texts)
    if not texts:
        return []
    signals = message_signals(texts)
    return _probabilities(
        models,
        texts,
        None,
        signals.model_texts,
        signals.extras,
        signals.cues,
        signals.strong_link,
    )


def score_with(
    models: MessageModels, texts: Sequence[str], languages: Sequence[str | None] | None = None
) -> list[MessageScore]:
    """Score texts with the given models (the shipped ones or freshly trained ones)."""
    _check(texts)
    if not texts:
        return []
    parts = message_parts(texts)
    cues, number = _cue_tables()
    strong_links = [[h for h in links if h.strength >= 0.7] for links in parts.link_hits]
    phishing = phishing_links(parts.urls)
    probabilities = _probabilities(
        models,
        texts,
        languages,
        parts.model_texts,
        parts.extras,
        [[number[hit.code] for hit in hits] for hits in parts.cues],
        [bool(links) for links in strong_links],
    )
    threshold = models.threshold
    scores: list[MessageScore] = []
    for row, probability in enumerate(probabilities):
        if not parts.model_texts[row]:
            scores.append(MessageScore(0.0, None, [Reason.of("empty_message")]))
            continue
        hits = sorted(parts.cues[row], key=lambda hit: -cues[hit.code].weight)
        reasons = [hit.reason for hit in strong_links[row]]
        phishing_url = phishing[row]
        if not reasons and phishing_url is not None:
            reasons.append(Reason.of("phishing_link", url=phishing_url))
        for hit in hits:
            cue = cues[hit.code]
            if cue.is_reason and cue.weight > 0.0:
                reasons.append(Reason(cue.code, cue.text, {"match": hit.match}))
        flagged = probability >= threshold
        if flagged and parts.urls[row] and not strong_links[row] and phishing_url is None:
            url = parts.urls[row][0]
            reasons.append(Reason.of("contains_link", url=url))
        if flagged and not reasons:
            reasons.append(Reason.of("resembles_known_scams"))
        if not flagged and not reasons:
            reasons.append(Reason.of("no_scam_signs"))
        typology = None
        if flagged:
            link_codes = {h.reason.code for h in parts.link_hits[row]}
            typology = typology_of({h.code for h in hits}, link_codes)
        scores.append(MessageScore(probability, typology, reasons[:MAX_REASONS]))
    return scores


def scam_probabilities(texts: Sequence[str]) -> list[float]:
    """Only the ``scam_probability`` of :func:`score_messages`, for bulk import.

    Equal to ``[s.scam_probability for s in score_messages(texts)]``, at a fraction of the
    cost: no match texts, reasons or typology.

    >>> scam_probabilities(["Selamat! Anda menang hadiah Rp 50 juta", ""])[1]
    0.0
    """
    return probabilities_with(message_models(), texts)


def score_messages(texts: Sequence[str]) -> list[MessageScore]:
    """Score many messages at once (vectorised; the way to score imports).

    >>> [s.typology for s in score_messages(["Selamat! Anda menang hadiah Rp 50 juta"])]
    ['lottery_prize']
    """
    return score_with(message_models(), texts)


def score_message(text: str, language: str | None = None) -> MessageScore:
    """Score one message; ``language`` (ISO 639-1) is a hint, detected when omitted.

    >>> score_message("Your OTP is 123456. Do not share it with anyone.").typology is None
    True
    """
    if language is not None and language not in LANGUAGES:
        language = None  # an unknown hint is ignored rather than refused
    return score_with(message_models(), [text], [language])[0]
