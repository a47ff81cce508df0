"""Languages of the public pages: gettext catalogues read from ``.po`` files, one per request.

Adding a language is adding a file: ``<locale dir>/<lang>/LC_MESSAGES/tangkal.po``, in the
package (``tangkal/locale``) or in the node's own ``<data_dir>/locale``. Catalogues are
compiled in memory at start-up (Babel), so there is no build step and no ``.mo`` file to
forget. See docs/translations.md.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

__all__ = [
    "COOKIE",
    "DOMAIN",
    "N_",
    "PACKAGE_LOCALE_DIR",
    "Catalogues",
    "Formatter",
    "babel_locale",
    "extract_reasons",
    "load_po",
    "parse_accept_language",
    "reason_text",
]

DOMAIN = "tangkal"
COOKIE = "tangkal_lang"
PACKAGE_LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"

# CLDR calls Indonesian and Malay by one word ("Indonesia", "Melayu"); people say more.
_NATIVE_NAMES = {"id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "tl": "Filipino"}
# Browsers send "fil" for Filipino, and old ones the retired "in" for Indonesian.
_ALIASES = {"fil": "tl", "in": "id", "zsm": "ms"}
_LANG_RE = re.compile(r"[a-z]{2,3}")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated at render)."""
    return message


def load_po(path: Path, lang: str) -> Translations:
    """Compile one ``.po`` file into gettext translations, in memory."""
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=babel_locale(lang), domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@cache
def babel_locale(lang: str) -> Locale:
    """The CLDR locale used for dates, numbers and country names in ``lang``."""
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def parse_accept_language(header: str) -> list[str]:
    """Primary language codes of an Accept-Language header, most preferred first.

    >>> parse_accept_language("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7")
    ['id', 'en']
    """
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        code = tag.strip().lower().split("-")[0]
        if q > 0 and _LANG_RE.fullmatch(code):
            weighted.append((-q, position, _ALIASES.get(code, code)))
    seen: dict[str, None] = {}
    for _q, _pos, code in sorted(weighted):
        seen.setdefault(code, None)
    return list(seen)


class Catalogues:
    """Every language found in the locale folders; later folders override earlier ones."""

    def __init__(self, dirs: Sequence[Path], default: str = SOURCE_LANGUAGE) -> None:
        found: dict[str, Path] = {}
        for base in dirs:
            for po in sorted(base.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
                lang = po.parent.parent.name
                if _LANG_RE.fullmatch(lang):
                    found[lang] = po
        self._translations: dict[str, NullTranslations] = {
            lang: load_po(path, lang) for lang, path in found.items()
        }
        # English is the source language: it works even without its catalogue.
        self._translations.setdefault(SOURCE_LANGUAGE, NullTranslations())
        self.default = default if default in self._translations else SOURCE_LANGUAGE

    @classmethod
    def for_node(cls, data_dir: str, default: str) -> Catalogues:
        """The shipped catalogues plus the node's own ``<data_dir>/locale`` folder."""
        return cls([PACKAGE_LOCALE_DIR, Path(data_dir) / "locale"], default)

    def __contains__(self, lang: object) -> bool:
        return lang in self._translations

    def __iter__(self) -> Iterator[str]:
        return iter(self.languages)

    @property
    def languages(self) -> list[str]:
        """Language codes, English first, then alphabetical."""
        return sorted(self._translations, key=lambda c: (c != SOURCE_LANGUAGE, c))

    def get(self, lang: str) -> NullTranslations:
        return self._translations.get(lang) or self._translations[self.default]

    def native_name(self, lang: str) -> str:
        """The language's name in itself, as a switcher shows it."""
        if lang in _NATIVE_NAMES:
            return _NATIVE_NAMES[lang]
        try:
            name = Locale.parse(lang).language_name
        except (UnknownLocaleError, ValueError):
            name = None
        return (name or lang).capitalize() if name and name.islower() else (name or lang)

    def choose(self, asked: str | None, cookie: str | None, accept_language: str) -> str:
        """``?lang=``, else the cookie, else Accept-Language, else the node's default."""
        for candidate in (asked, cookie):
            code = _ALIASES.get(candidate or "", candidate or "")
            if code in self._translations:
                return code
        for code in parse_accept_language(accept_language):
            if code in self._translations:
                return code
        return self.default


class _Params(dict[str, str]):
    """Format parameters that leave an unknown ``{name}`` as it is instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reason_text(translations: NullTranslations, reason: Mapping[str, Any]) -> str:
    """A detector's reason in the reader's language: by ``code``, else its English ``text``."""
    code = str(reason.get("code", ""))
    english = str(reason.get("text", code))
    translated = str(translations.pgettext("reason", code)) if code else code
    if not code or translated == code:
        return english
    params = reason.get("params") or {}
    try:
        return translated.format_map(_Params({str(k): str(v) for k, v in params.items()}))
    except (ValueError, IndexError):
        # A translator's stray brace must not break the page; English is still right.
        return english


def extract_reasons(
    fileobj: Any, keywords: Iterable[str], comment_tags: Iterable[str], options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor for the detectors' reasons: each reason code becomes a message.

    Used from babel.cfg for ``cues.json`` (message cues) and ``reasons.json`` (link rules and
    the model's own reasons); the English sentence becomes the translator's comment and the
    source of the msgstr. ``{name}`` in it is a param, kept as it is in a translation.
    """
    import json

    data = json.loads(fileobj.read().decode("utf-8"))
    for item in [*data.get("cues", []), *data.get("reasons", [])]:
        if item.get("reason", True) and item.get("code"):
            yield 0, "pgettext", ("reason", item["code"]), [item.get("text", "")]


class Formatter:
    """Dates, money and country names in the reader's language, from CLDR (Babel)."""

    def __init__(self, lang: str) -> None:
        self.locale = babel_locale(lang)

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code, code))

    def date(self, value: dt.datetime | str | None) -> str:
        if value is None:
            return ""
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return format_date(when.date(), format="medium", locale=self.locale)

    def money(self, amount: float | Decimal | str, currency: str) -> str:
        # "1,234.50 USD": the ISO code, since "$" means five currencies in the region.
        pattern = "#,##0.00\u00a0¤¤"
        return format_currency(Decimal(str(amount)), currency, pattern, locale=self.locale)

    def currency_name(self, code: str) -> str:
        return f"{code} – {self.locale.currencies.get(code, code)}"

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.locale)
