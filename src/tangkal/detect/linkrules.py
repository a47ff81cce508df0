"""Hand-written link rules: brand imitation, homoglyphs, raw IPs, abused TLDs, shorteners.

Each rule returns a :class:`RuleHit` with a strength (the least risk it implies on its own;
0 for rules that only explain) and a reason. ``safe`` hits (official brand domain, popular
domain) cap the risk instead: a popular legitimate domain must not be flagged because it
appears in a scam list, but file- and site-hosting platforms (docs.google.com, web.app) and
shorteners never count as popular, because scammers publish on them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from tangkal.detect.domains import (
    Brand,
    ParsedUrl,
    brands,
    domain_list,
    on_list,
    parse_url,
    popular_rank,
)
from tangkal.detect.result import Reason

__all__ = ["POPULAR_CAP", "RuleHit", "is_strong", "is_weak", "link_rules", "rule_flags", "skeleton"]

POPULAR_CAP = 0.1  # most risk a popular, non-hosting domain can get
OFFICIAL_CAP = 0.02
# A popular registrable domain vouches for its own main site, not for where an open
# redirect (google.com/url?q=http..., vk.com/away.php?to=http...) leads. Such links are
# capped below the link threshold, and below the check layer's "suspicious" line
# (45 x 0.4 = 18 < 20, docs/verdicts.md), but ranked above the main sites.
LOOSE_CAP = 0.4
# Any other host under a popular registrable domain (customer sites of hosting and dynamic-
# DNS companies: *.at.ua, *.free.fr, *.netsolhost.com) is left to the URL model, whose tree
# stage sees the domain's rank and whether the host is the main site. Capping them at 0.4
# hid 18 of 669 validation phishing URLs (Hannousse, random split): legitimate URLs
# flagged at 90% recall 3.0% -> 2.2% without it (host-disjoint 3.1% -> 1.7%). The cap of
# 1.0 changes no risk; it keeps the hit "safe" evidence, not a weak sign, for messages.
SUBHOST_CAP = 1.0
# Rule strengths sit at or above the link threshold (0.90 with the tree stage): over the
# training part's 77k URLs the brand, script and raw-IP rules fired on 1,700 phishing and
# 12 legitimate URLs, so a rule alone still flags a link.
_MAIN_HOSTS = frozenset(["", "www", "m"])
_REDIRECT = re.compile(
    r"[?&;](?:url|q|to|u|redirect|redirect_uri|next|dest|continue|target)=(?:https?|www)", re.I
)

_LOGIN_WORDS = re.compile(
    r"log-?in|signin|sign-in|verif|secure|account|update|confirm|banking|wallet|"
    r"otp|kyc|unlock|suspend|recover|validate|webscr|auth|password|reward|claim|bonus|refund"
)
# Brand names that are ordinary words: inside another domain they prove nothing
# (smart-wiki.net, policearrests.com); look-alike and brand-in-subdomain rules still apply.
_WORDS = frozenset(
    [
        "smart",
        "police",
        "office",
        "true",
        "boost",
        "globe",
        "line",
        "grab",
        "maya",
        "dana",
        "apple",
        "atom",
        "wing",
        "mudah",
        "jenius",
        "tiki",
        "dito",
        "customs",
        "unifi",
        "set",
        "sec",
        "cake",
        "flip",
        # Session 12: the start of other names ("singaporeairshow", "singaporeairport").
        "singaporeair",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+")
# Characters that look like Latin letters (Cyrillic, Greek, digits, look-alike pairs).
_CONFUSABLE = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ⅼ": "l", "ո": "n", "ս": "u",
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "μ": "m",
        "0": "o", "1": "l", "3": "e", "5": "s", "ı": "i", "ł": "l",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule that fired: how much risk it implies, whether it caps risk, and why."""

    strength: float
    reason: Reason
    cap: float | None = None


def skeleton(label: str) -> str:
    """Fold look-alike characters to Latin letters: ``"bс0a"`` (Cyrillic с) -> ``"bcoa"``."""
    folded = unicodedata.normalize("NFKD", label.lower().translate(_CONFUSABLE))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded.replace("rn", "m").replace("vv", "w")


def _deletes(word: str) -> list[str]:
    """One-deletion neighbours in position order: a set's order changes with the hash seed,
    and which brand a look-alike is said to imitate (tmbbank: ttbbank or mbbank) did too."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


@cache
def _brand_index() -> tuple[dict[str, Brand], dict[str, tuple[Brand, ...]], dict[str, Brand]]:
    """Brands by exact label, by one-deletion neighbours (fuzzy), and by official domain.

    A fuzzy key keeps every brand it came from (labels before deletions, then list order):
    ``mbbank`` is both MB Bank's label and a deletion of ``tmbbank``, and "mbbank2" imitates
    the first, which :func:`_lookalike` finds by ranking the candidates by edit distance.
    """
    by_label: dict[str, Brand] = {}
    fuzzy: dict[str, list[Brand]] = {}
    by_domain: dict[str, Brand] = {}
    for brand in brands():
        by_domain[brand.domain] = brand
        if len(brand.label) >= 3:
            by_label.setdefault(brand.label, brand)
    long = [brand for brand in brands() if len(brand.label) >= 5]  # shorter: too many neighbours
    for brand in long:
        fuzzy.setdefault(brand.label, []).append(brand)
    for brand in long:
        for key in _deletes(brand.label):
            if brand not in fuzzy.setdefault(key, []):
                fuzzy[key].append(brand)
    by_delete = {key: tuple(found) for key, found in fuzzy.items()}
    return by_label, by_delete, by_domain


@cache
def _inside_gate() -> ahocorasick.Automaton:
    """Brand labels of 6+ letters that are not ordinary words, valued by their index order."""
    gate = ahocorasick.Automaton()
    labels = [label for label in _brand_index()[0] if len(label) >= 6 and label not in _WORDS]
    for order, label in enumerate(labels):
        gate.add_word(label, (order, label))
    gate.make_automaton()
    return gate


def _brand_inside(label: str) -> Brand | None:
    """The first brand (in index order) whose 6+ letter label occurs inside ``label``.

    One Aho-Corasick pass instead of ~280 substring tests per link. A short name ending in
    a generic word (``mbbank``, ``abbank``) with one or two letters glued to its front
    (``cimbbank``, ``tmbbank``, ``mabbank``: other banks) is not that brand; three or more
    letters are a word put before it (``apphdbank``, ``vaytienvietcombank``) and count, and
    so does ``my`` (``mymaybank``).

    >>> _brand_inside("promo-maybank-klikbca").domain  # maybank.co.id comes later
    'klikbca.com'
    >>> _brand_inside("ncbbank") is None, _brand_inside("mbbank-vn").domain
    (True, 'mbbank.com.vn')
    """
    found = min(
        (
            value
            for end, value in _inside_gate().iter(label)
            if _inside_counts(label, end, value[1])
        ),
        default=None,
    )
    return None if found is None else _brand_index()[0][found[1]]


def _inside_counts(label: str, end: int, brand_label: str) -> bool:
    start = end - len(brand_label) + 1
    glued = 0  # letters glued to the front of the match
    while glued < 3 and start - glued > 0 and label[start - glued - 1].isalpha():
        glued += 1
    if glued in (0, 3) or label[start - glued : start] == "my":
        return True  # "my" is a portal's prefix ("mymaybank"), not another bank's letters
    split = _split_generic(brand_label)
    return split is None or split[0][0] != "-" or len(split[1]) >= _DISTINCT_MIN


@cache
def _registrable(domain: str) -> str:
    """The registrable domain of a brand's listed domain (``nt.ntplc.co.th``: ntplc.co.th)."""
    return parse_url(domain).registrable or domain


def _official(url: ParsedUrl, by_domain: dict[str, Brand]) -> Brand | None:
    host = url.host
    while host:
        if host in by_domain:
            return by_domain[host]
        host = host.partition(".")[2]
    return None


def _lookalike(
    label: str, by_label: dict[str, Brand], by_delete: dict[str, tuple[Brand, ...]]
) -> Brand | None:
    """The brand ``label`` imitates: equal after folding look-alike characters, or one
    deletion from each side apart, the nearest by edit distance (ties: the first found, in
    the fixed order of the label, then its deletions by position, then the index's order).
    A 5-letter name is imitated only by adding a letter (``vnipay``): one changed letter
    turns it into too many other names (cisco for tisco, email for gmail, kmart for smart).

    Labels sharing a generic word (``psbank`` and ``vpbank``) are compared by the rest of
    the name (:func:`_imitates`): PSBank is not VPBank, but ``vpbbank`` still imitates it.
    """
    if len(label) < 5:
        return None
    shape = skeleton(label)
    if shape in by_label and shape != label:
        return by_label[shape]
    best: Brand | None = None
    best_distance = 3  # one deletion from each side: at most 2 edits
    for candidate in (label, shape) if shape != label else (label,):
        for key in (candidate, *_deletes(candidate)):
            for brand in by_delete.get(key, ()):
                if brand.label in (label, shape):
                    continue
                if len(brand.label) < _FUZZY_ANY_EDIT and key != brand.label:
                    continue  # a 5-letter name: only one letter added ("vnipay") counts
                distance = _distance(candidate, brand.label)
                if distance < best_distance and _imitates(candidate, brand.label):
                    best, best_distance = brand, distance
    return best


# Brand labels shorter than this are matched by one added letter only (and by look-alike
# characters); on the URL sets, a changed or dropped letter of a 5-letter name found far
# more legitimate names (avnet, tapas, panix, unimi, globo) than true look-alikes, and the
# phishing it found named the wrong brand (tesco as tisco.co.th, email as gmail.com).
_FUZZY_ANY_EDIT = 6

# Words many brands' names share: two names that differ only outside such a word are two
# brands (Agrobank and Agribank, PSBank and VPBank, uMoney and M-Money), not a look-alike,
# unless the rest differs by a look-alike letter or a doubled one, or is long enough
# (5+ letters: "vietconbank") for one edit to be a trick rather than another name.
# Measured on the URL sets (docs/detection.md, Session 10, brands): "bank" and "money"
# stop real banks and wallets being called each other's imitations, "post" stops nypost.com
# and inpost.pl being called vnpost.vn; "pay" lost true look-alikes (vnipay, ivpay for vnpay,
# paysal for paypal) and "express" changed nothing.
GENERIC_WORDS: tuple[str, ...] = ("bank", "money", "post")
_DISTINCT_MIN = 5


def _split_generic(label: str) -> tuple[str, str] | None:
    """``(generic word with its side, the rest)`` of a label starting or ending with one."""
    for word in GENERIC_WORDS:
        if label.endswith(word) and len(label) > len(word):
            return f"-{word}", label[: -len(word)].strip("-")
        if label.startswith(word) and len(label) > len(word):
            return f"{word}-", label[len(word) :].strip("-")
    return None


def _imitates(candidate: str, brand_label: str) -> bool:
    """Whether a fuzzy match of ``candidate`` to ``brand_label`` is more than a shared word.

    >>> _imitates("psbank", "vpbank"), _imitates("vpbbank", "vpbank")
    (False, True)
    >>> _imitates("agr1bank", "agribank"), _imitates("vietconbank", "vietcombank")
    (True, True)
    """
    mine, theirs = _split_generic(candidate), _split_generic(brand_label)
    if mine is None or theirs is None or mine[0] != theirs[0]:
        return True
    rest, brand_rest = mine[1], theirs[1]
    if not rest or not brand_rest:
        return True
    if _loose(rest) == _loose(brand_rest) or _doubled(candidate, brand_label):
        return True
    return min(len(rest), len(brand_rest)) >= _DISTINCT_MIN and _distance(rest, brand_rest) <= 1


def _loose(text: str) -> str:
    """Skeleton with i and l (and j) taken as one letter: "agr1" and "agri" are one name."""
    return skeleton(text).replace("i", "l").replace("j", "l")


def _doubled(one: str, other: str) -> bool:
    """Whether one label is the other with one letter doubled ("vpbbank", "vpbank")."""
    short, long = sorted((one, other), key=len)
    if len(long) != len(short) + 1:
        return False
    return any(
        long[i] == long[i - 1] and long[:i] + long[i + 1 :] == short for i in range(1, len(long))
    )


def _distance(one: str, other: str) -> int:
    """Edit distance with adjacent swaps (optimal string alignment); short labels only."""
    before: list[int] = []
    row = list(range(len(other) + 1))
    for i, a in enumerate(one, start=1):
        current = [i]
        for j, b in enumerate(other, start=1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a != b))
            if i > 1 and j > 1 and a == other[j - 2] and one[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return row[-1]


def _mixed_scripts(host: str) -> bool:
    for label in host.split("."):
        scripts = {
            unicodedata.name(c, "?").split(" ")[0] for c in label if c.isalpha() and ord(c) > 127
        }
        scripts.discard("LATIN")  # accented Latin (möhringen.de) is one script, not a trick
        if scripts and (any(c.isascii() and c.isalpha() for c in label) or len(scripts) > 1):
            return True
    return False


def _is_platform(host: str) -> bool:
    return on_list(host, "free_hosts.txt")


# Links seen lately: a message's link is scored by the link model and again, through the
# message model's link flags, by message scoring; a URL and its bare domain share most of
# their parts; popular hosts (wa.me, bit.ly) come back in message after message.
_RECENT = 16_384


def link_rules(url: ParsedUrl) -> list[RuleHit]:
    """Run every link rule on a parsed URL; strongest first."""
    return list(_link_rules(url))


@lru_cache(maxsize=_RECENT)
def _link_rules(url: ParsedUrl) -> tuple[RuleHit, ...]:
    return tuple(_run_rules(url))


def is_strong(hit: RuleHit) -> bool:
    """A rule that names the trick (brand imitation, raw IP, mixed scripts)."""
    return hit.strength >= 0.7


def is_weak(hit: RuleHit) -> bool:
    """A rule that only adds suspicion (abused TLD, shortener, free host, login words)."""
    return hit.strength == 0.0 and hit.cap is None


def rule_flags(url: ParsedUrl) -> tuple[bool, bool]:
    """Whether :func:`link_rules` holds a strong hit, and a weak one, without its reasons.

    Every rule but the login words reads the host alone (the path only picks the cap of an
    official or popular domain, and a capped hit is neither strong nor weak), so the host's
    flags are kept per host: a host comes back with new paths (wa.me, tiktok.com, a scam
    site's pages), and its brand and look-alike tests, most of a fresh link's cost, run
    once. Equal to ``any(map(is_strong, hits)), any(map(is_weak, hits))`` (a test checks).

    >>> from tangkal.detect.domains import parse_url
    >>> rule_flags(parse_url("https://bca.co.id.verify-login.top/x"))
    (True, True)
    """
    official, strong, weak = _host_flags(
        url.host, url.registrable, url.label, url.subdomain, url.suffix, url.is_ip
    )
    if official is not None:
        return False, False
    return strong, weak or _LOGIN_WORDS.search(url.host + url.path) is not None


def official_brand(url: ParsedUrl) -> str | None:
    """The brand domain whose own site ``url`` is on (the ``official_brand_domain`` hit of
    :func:`link_rules`), or None; read per host like :func:`rule_flags` (a test checks).
    """
    return _host_flags(url.host, url.registrable, url.label, url.subdomain, url.suffix, url.is_ip)[
        0
    ]


@lru_cache(maxsize=_RECENT)
def _host_flags(
    host: str, registrable: str, label: str, subdomain: str, suffix: str, is_ip: bool
) -> tuple[str | None, bool, bool]:
    """(official brand domain, strong, weak) of the rules on the host with an empty path."""
    bare = ParsedUrl(host, host, registrable, label, subdomain, suffix, path="", is_ip=is_ip)
    hits = _run_rules(bare)
    official = next(
        (h.reason.params["brand"] for h in hits if h.reason.code == "official_brand_domain"),
        None,
    )
    return official, any(map(is_strong, hits)), any(map(is_weak, hits))


def _run_rules(url: ParsedUrl) -> list[RuleHit]:
    by_label, by_delete, by_domain = _brand_index()
    hits: list[RuleHit] = []
    platform = _is_platform(url.host)
    official = None if platform else _official(url, by_domain)
    redirect = _REDIRECT.search(url.path) is not None
    if official is not None:
        cap = LOOSE_CAP if redirect else OFFICIAL_CAP
        return [RuleHit(0.0, Reason.of("official_brand_domain", brand=official.domain), cap)]
    if url.is_ip:
        hits.append(RuleHit(0.9, Reason.of("raw_ip_host", host=url.host)))
    shortener = url.host in domain_list("shorteners.txt") or url.registrable in domain_list(
        "shorteners.txt"
    )
    rank = None if url.is_ip else popular_rank(url.registrable)
    sub_tokens = set(_TOKEN.findall(url.subdomain))
    main_tokens = set(_TOKEN.findall(url.label))
    if not url.is_ip and not url.host.isascii() and _mixed_scripts(url.host):
        hits.append(RuleHit(0.92, Reason.of("idn_mixed_scripts", host=url.host)))
    if not url.is_ip and (rank is None or platform):
        brand_hit: RuleHit | None = None
        parts = url.subdomain.split(".")[:12]
        labels = sub_tokens | {
            ".".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)
        }
        in_front = next((by_domain[x] for x in sorted(labels) if x in by_domain), None)
        in_front = in_front or next(
            (by_label[t] for t in sorted(sub_tokens) if t in by_label), None
        )
        if in_front is not None:
            brand_hit = RuleHit(0.94, Reason.of("brand_in_subdomain", brand=in_front.domain))
        # On a hosting platform's own domain (googleusercontent.com, firebaseapp.com) the
        # label is the platform's name, not the customer's: "google" inside it says nothing
        # (lh3.googleusercontent.com was "a brand inside an unrelated domain", 0.91).
        own = () if platform and url.registrable in domain_list("free_hosts.txt") else (url.label,)
        lookalike = None
        if brand_hit is None:
            for candidate in (*own, *sorted(sub_tokens)):
                lookalike = _lookalike(candidate, by_label, by_delete)
                if lookalike is not None:
                    break
        if lookalike is not None:
            reason = Reason.of("imitates_brand", brand=lookalike.domain, domain=url.registrable)
            brand_hit = RuleHit(0.95, reason)
        if brand_hit is None:
            inside = next(
                (by_label[t] for t in sorted(main_tokens) if t in by_label and t not in _WORDS),
                None,
            )
            inside = inside or _brand_inside(url.label)
            # A brand listed by a subdomain (nt.ntplc.co.th) owns its registrable domain:
            # ntplc.co.th is its own site, not "an unrelated domain" (session 12).
            if inside is not None and own and url.registrable != _registrable(inside.domain):
                brand_hit = RuleHit(0.91, Reason.of("brand_in_domain", brand=inside.domain))
        if brand_hit is not None:
            hits.append(brand_hit)
    if url.suffix and url.suffix.rsplit(".", 1)[-1] in domain_list("suspicious_tlds.txt"):
        hits.append(RuleHit(0.0, Reason.of("abused_tld", tld=url.suffix)))
    if shortener:
        hits.append(RuleHit(0.0, Reason.of("url_shortener", host=url.host)))
    if platform:
        reason = Reason.of("free_hosting", host=url.host, domain=url.registrable)
        hits.append(RuleHit(0.0, reason))
    words = _LOGIN_WORDS.search(url.host + url.path)
    if words is not None:
        hits.append(RuleHit(0.0, Reason.of("login_keywords", word=words.group(0))))
    if rank is not None and not platform and not shortener:
        reason = Reason.of("popular_domain", domain=url.registrable, rank=str(rank))
        main_site = url.subdomain in _MAIN_HOSTS
        cap = LOOSE_CAP if redirect else POPULAR_CAP if main_site else SUBHOST_CAP
        hits.append(RuleHit(0.0, reason, cap))
    return sorted(hits, key=lambda hit: -hit.strength)
