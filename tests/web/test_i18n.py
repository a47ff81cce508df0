"""Translations: catalogues load, languages are negotiated, a new .po file is a new language."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from tangkal.config import Settings
from tangkal.store import Store
from tangkal.web.app import create_app
from tangkal.web.i18n import (
    PACKAGE_LOCALE_DIR,
    Catalogues,
    extract_reasons,
    parse_accept_language,
    reason_text,
)
from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
ASEAN_LANGUAGES = {"en", "id", "ms", "th", "vi", "tl", "km", "my", "lo"}
# What every language must say, however partial its catalogue.
# The public pages' own files; other domains' pages join the catalogue on their own pace.
PUBLIC_PAGE_FILES = {
    "pages.py", "forms.py", "advice.py", "base.html", "check.html", "report.html",
    "report_done.html", "error.html", "_advice.html", "_form.html", "_result.html",
}  # fmt: skip
ESSENTIAL = ("Check", "Report a scam", "Scam", "Suspicious", "No reports", "Report received")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")  # gettext's and str.format's
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _catalog(lang: str) -> Catalog:
    with (PACKAGE_LOCALE_DIR / lang / "LC_MESSAGES" / "tangkal.po").open("rb") as fh:
        return read_po(fh)


def _public(message: Message) -> bool:
    """A message of the public pages, or a detector reason they show."""
    return message.context == "reason" or any(
        Path(path).name in PUBLIC_PAGE_FILES for path, _line in message.locations
    )


def test_accept_language_is_ordered_by_quality() -> None:
    assert parse_accept_language("en;q=0.5, id-ID, th;q=0.8") == ["id", "th", "en"]
    assert parse_accept_language("fil-PH,en;q=0.1") == ["tl", "en"]
    assert parse_accept_language("*, xx-;q=abc, en;q=0") == []
    assert parse_accept_language("") == []


def test_the_shipped_languages_all_load() -> None:
    catalogues = Catalogues([PACKAGE_LOCALE_DIR])
    assert set(catalogues.languages) == ASEAN_LANGUAGES
    assert catalogues.languages[0] == "en"
    assert catalogues.native_name("id") == "Bahasa Indonesia"
    assert catalogues.native_name("th") == "ไทย"
    assert catalogues.get("id").gettext("Report a scam") == "Laporkan penipuan"
    assert catalogues.get("xx").gettext("Report a scam") == "Report a scam"


@pytest.mark.parametrize("lang", sorted(ASEAN_LANGUAGES - {"en"}))
def test_the_public_pages_are_complete_in_every_language(lang: str) -> None:
    """A victim in Cambodia, Myanmar or Laos needs the whole page, not just its title."""
    missing = [m.id for m in _catalog(lang) if m.id and not m.string and _public(m)]
    assert not missing, f"{lang} lacks {len(missing)} messages, such as {missing[:5]}"


def test_the_victims_status_page_speaks_every_language() -> None:
    """Its milestones live in the act domain, not in the catalogues: they must keep up."""
    from tangkal.act import victim_status

    assert set(victim_status.LANGUAGES) == ASEAN_LANGUAGES


@pytest.mark.parametrize("lang", sorted(ASEAN_LANGUAGES - {"en"}))
def test_every_language_has_the_titles_and_verdict_words(lang: str) -> None:
    strings = {m.id: m.string for m in _catalog(lang) if m.id}
    for msgid in ESSENTIAL:
        assert strings.get(msgid), f"{lang} does not translate {msgid!r}"


@pytest.mark.parametrize("lang", ["ms", "th", "vi", "tl", "km", "my", "lo"])
def test_machine_drafted_catalogues_say_so(lang: str) -> None:
    head = (PACKAGE_LOCALE_DIR / lang / "LC_MESSAGES" / "tangkal.po").read_text("utf-8")[:400]
    assert "MACHINE-DRAFTED" in head


def test_the_message_template_is_current() -> None:
    """Every message the pages use is in tangkal.pot, so translators see all of them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    used = {
        (context, msgid if isinstance(msgid, str) else msgid[0])
        for filename, _line, msgid, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
        if Path(filename).name in PUBLIC_PAGE_FILES
    }
    with (PACKAGE_LOCALE_DIR / "tangkal.pot").open("rb") as fh:
        known = {(m.context, m.id) for m in read_po(fh) if m.id}
    # Detector reasons: test_every_detector_reason_is_translated_in_every_language.
    missing = sorted(m for c, m in used - known if c != "reason")
    assert not missing, f"run the extraction in docs/translations.md; missing: {missing[:5]}"


def _broken_placeholders(catalog: Catalog) -> list[str]:
    """Translations whose placeholders or HTML tags differ from their source's.

    A lost placeholder drops a value from the page, an invented one breaks the formatting, and a
    stray % breaks the %-formatting the pages do. A reason's source is its English sentence
    (the translator's comment), not its code.
    """
    problems = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        text = str(m.string)
        source = " ".join(m.auto_comments) if m.context == "reason" else str(m.id)
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
            problems.append(f"{m.id!r}: placeholders {PLACEHOLDER.findall(text)}")
        if sorted(TAG.findall(text)) != sorted(TAG.findall(source)):
            problems.append(f"{m.id!r}: tags {TAG.findall(text)}")
        if "%" in PLACEHOLDER.sub("", text):
            problems.append(f"{m.id!r}: stray %")
    return problems


@pytest.mark.parametrize("lang", sorted(ASEAN_LANGUAGES))
def test_every_translation_keeps_exactly_the_placeholders(lang: str) -> None:
    assert _broken_placeholders(_catalog(lang)) == []


def test_a_translation_that_changes_its_placeholders_is_caught() -> None:
    catalog = Catalog(locale="km")
    catalog.add("Counts below {n} are hidden", "ចំនួនក្រោម {n} ត្រូវបានលាក់")  # kept: fine
    catalog.add("Hello {name}", "សួស្ដី")  # lost
    catalog.add("Page {page}", "ទំព័រ {page} {extra}")  # invented
    catalog.add("Sent by %(who)s", "ផ្ញើដោយ %(whom)s")  # renamed
    catalog.add("<b>Stop</b> now", "ឈប់ឥឡូវ")  # markup lost
    catalog.add("Half", "50%")  # stray %
    catalog.add("x", "{brand}", auto_comments=["Link imitates {brand}"], context="reason")
    problems = _broken_placeholders(catalog)
    assert [p.split(":")[0] for p in problems] == [
        "'Hello {name}'", "'Page {page}'", "'Sent by %(who)s'", "'<b>Stop</b> now'", "'Half'",
    ]  # fmt: skip


def test_reasons_are_translated_by_code_with_params() -> None:
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgctxt "reason"\nmsgid "imitates_brand"\nmsgstr "Tautan meniru {brand}"\n\n'
        'msgctxt "reason"\nmsgid "broken"\nmsgstr "Rusak {brand"\n'
    )
    catalogues = _catalogues_from(po, "id")
    t = catalogues.get("id")
    reason = {
        "code": "imitates_brand",
        "text": "Link imitates bca.co.id",
        "params": {"brand": "bca.co.id"},
    }
    assert reason_text(t, reason) == "Tautan meniru bca.co.id"
    unknown = {"code": "new_cue", "text": "A brand-new cue", "params": {}}
    assert reason_text(t, unknown) == "A brand-new cue"
    broken = {"code": "broken", "text": "Broken in English", "params": {"brand": "x"}}
    assert reason_text(t, broken) == "Broken in English"
    shipped = Catalogues([PACKAGE_LOCALE_DIR]).get("id")
    urgent = {"code": "urgency", "text": "Pressures you to act immediately", "params": {}}
    assert reason_text(shipped, urgent) == "Mendesak Anda untuk segera bertindak"


def test_reason_codes_are_extracted_from_the_cue_file() -> None:
    cues = b'{"cues": [{"code": "urgency", "text": "Hurry", "reason": true},' \
        b' {"code": "feature_only", "text": "x", "reason": false}]}'  # fmt: skip
    found = list(extract_reasons(io.BytesIO(cues), [], [], {}))
    assert found == [(0, "pgettext", ("reason", "urgency"), ["Hurry"])]


def test_reason_codes_are_extracted_from_the_reasons_file() -> None:
    """Link rules' and the models' reasons are translated like cues (session 7)."""
    data = b'{"reasons": [{"code": "imitates_brand", "text": "Link imitates {brand}"}]}'
    found = list(extract_reasons(io.BytesIO(data), [], [], {}))
    assert found == [(0, "pgettext", ("reason", "imitates_brand"), ["Link imitates {brand}"])]


def _reason_codes() -> dict[str, str]:
    """Every reason code the detectors can show, with its English sentence, from the data files
    themselves (not from the catalogues, which only know what the last extraction saw)."""
    import json
    from importlib import resources

    data = resources.files("tangkal.detect").joinpath("data")
    codes = {}
    for name in ("cues.json", "reasons.json"):
        raw = json.loads(data.joinpath(name).read_text("utf-8"))
        for item in [*raw.get("cues", []), *raw.get("reasons", [])]:
            if item.get("reason", True):
                codes[item["code"]] = item["text"]
    return codes


def test_the_reason_files_are_read_whole() -> None:
    codes = _reason_codes()
    assert {"urgency", "imitates_brand", "no_scam_signs"} <= set(codes)  # from both files
    assert "phone_number" not in codes  # a model feature, never shown, needs no translation
    assert len(codes) > 40


@pytest.mark.parametrize("lang", sorted(ASEAN_LANGUAGES - {"en"}))
def test_every_detector_reason_is_translated_in_every_language(lang: str) -> None:
    """A victim must read why a message looks like a scam in their language: a cue added to
    cues.json or reasons.json without translations fails here (docs/translations.md)."""
    translated = {m.id: str(m.string) for m in _catalog(lang) if m.context == "reason"}
    missing = sorted(code for code in _reason_codes() if not translated.get(code, "").strip())
    assert not missing, f"{lang} lacks translations of the reasons {missing} (see the docs)"


@pytest.mark.parametrize("lang", sorted(ASEAN_LANGUAGES))
def test_no_catalogue_ships_a_fuzzy_guess(lang: str) -> None:
    """``pybabel update`` guesses a new message from a near one and marks it fuzzy: it gave
    the reason "Official domain of {brand}" the text of "Claims to be the police" once."""
    fuzzy = [m.id for m in _catalog(lang) if m.id and m.fuzzy]
    assert fuzzy == []


def _catalogues_from(po_text: str, lang: str) -> Catalogues:
    import tempfile

    base = Path(tempfile.mkdtemp())
    folder = base / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "tangkal.po").write_text(po_text, encoding="utf-8")
    return Catalogues([base])


@pytest.fixture
def node_with_javanese(store: Store, tmp_path: Path) -> Iterator[LiveServer]:
    """A node whose operator dropped a Javanese catalogue into <data_dir>/locale."""
    catalog = Catalog(locale="jv", domain="tangkal")
    catalog.add("Check", "Priksa")
    catalog.add("Report a scam", "Laporake penipuan")
    catalog.add("Is it a scam? Check before you pay or reply.", "Iki penipuan? Priksa dhisik.")
    folder = tmp_path / "var" / "locale" / "jv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "tangkal.po").open("wb") as fh:
        write_po(fh, catalog)
    settings = Settings(database_url=store.url, data_dir=str(tmp_path / "var"))
    with LiveServer(create_app(settings, store)) as server:
        yield server


def test_adding_a_language_is_adding_a_po_file(node_with_javanese: LiveServer) -> None:
    with httpx.Client(base_url=node_with_javanese.url, timeout=30) as client:
        page = client.get("/check", params={"lang": "jv"})
        assert '<html lang="jv">' in page.text
        assert "Iki penipuan? Priksa dhisik." in page.text
        assert 'hreflang="jv"' in page.text  # the switcher offers it
        # Untranslated messages fall back to English, never to an empty string.
        assert "Paste a number, account, link or a whole message" in page.text
        # And the shipped languages are still there.
        assert "Laporkan penipuan" in client.get("/report", params={"lang": "id"}).text


def test_language_comes_from_query_then_cookie_then_header(client: httpx.Client) -> None:
    header = client.get("/check", headers={"accept-language": "th-TH,th;q=0.9,en;q=0.5"})
    assert '<html lang="th">' in header.text and "set-cookie" not in header.headers
    chosen = client.get("/check", params={"lang": "vi"})
    assert '<html lang="vi">' in chosen.text
    assert "tangkal_lang=vi" in chosen.headers["set-cookie"]
    # The cookie now wins over the browser's header.
    again = client.get("/report", headers={"accept-language": "th"})
    assert '<html lang="vi">' in again.text and "Báo cáo lừa đảo" in again.text
    unknown = client.get("/check", params={"lang": "xx"})
    assert '<html lang="vi">' in unknown.text


def test_the_node_default_language_applies_without_a_preference(
    store: Store, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=store.url, data_dir=str(tmp_path / "var"), default_language="id"
    )
    with (
        LiveServer(create_app(settings, store)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        page = client.get("/check")
    assert '<html lang="id">' in page.text and "Cek dulu" in page.text


def test_dates_and_money_follow_the_language(client: httpx.Client, store: Store) -> None:
    from tests.factories import file_report

    for i in range(2):
        file_report(
            store, f"citizen:{i}", narrative=f"hubungi 0812-3456-7890 #{i}",
            loss_amount="1665000", loss_currency="IDR", received_at="2026-03-05T10:00:00+00:00",
        )  # fmt: skip
    page = client.get("/check", params={"q": "0812-3456-7890", "country": "ID", "lang": "id"})
    assert "5 Mar 2026" in page.text  # CLDR medium date in Indonesian
    assert "US$" in page.text or "USD" in page.text


def _render_check(lang: str, outcome: dict[str, object]) -> str:
    """The check page for a given outcome, rendered by the pages' own environment."""
    from tangkal.web.i18n import Formatter
    from tangkal.web.pages import _present, render_string

    translations = Catalogues([PACKAGE_LOCALE_DIR]).get(lang)
    context = {
        "lang": lang, "i18n": translations, "fmt": Formatter(lang), "languages": [],
        "path": "/check", "q": "…", "country": "ID", "countries": [("ID", "Indonesia")],
        "error": None, "hotline": None, "outcome": _present(dict(outcome), translations),
    }  # fmt: skip
    return render_string("check.html", context, translations)


def test_a_message_the_detector_flags_shows_its_reasons_in_the_readers_language() -> None:
    # The analysis shape the detect domain adds: scam_probability, typology, reasons.
    outcome = {
        "mode": "message",
        "analysis": {
            "language": "id", "indicators": [], "scam_probability": 0.93,
            "typology": "job_task",
            "reasons": [
                {"code": "asks_transfer_money", "text": "Asks you to send money", "params": {}},
                {"code": "imitates_brand", "text": "Link imitates <b>bca.co.id</b>",
                 "params": {"brand": "bca.co.id"}},
            ],
        },
        "results": [],
    }  # fmt: skip
    english = _render_check("en", outcome)
    assert "This message looks like a scam" in english
    assert "verdict-scam" in english and "Job or task scam" in english
    assert "Asks you to send money" in english
    assert "Link imitates &lt;b&gt;bca.co.id&lt;/b&gt;" in english  # reasons are escaped
    indonesian = _render_check("id", outcome)
    assert "Pesan ini tampak seperti penipuan" in indonesian
    assert "Meminta Anda mengirim, mentransfer, atau menyetor uang" in indonesian
    assert "Penipuan lowongan kerja atau tugas" in indonesian


def test_a_message_with_a_low_probability_does_not_claim_safety() -> None:
    outcome = {
        "mode": "message",
        "analysis": {"language": "en", "indicators": [], "scam_probability": 0.05,
                     "typology": None, "reasons": []},
        "results": [],
    }  # fmt: skip
    html = _render_check("en", outcome)
    assert "No strong warning signs in this message" in html
    assert "That does not prove it is safe" in html
    assert "looks like a scam" not in html


def test_a_link_the_model_finds_risky_shows_the_risk() -> None:
    evidence = {
        "reports": 0, "reporters": 0, "trusted_reporters": 0, "countries": [],
        "typologies": [], "first_seen": None, "last_seen": None, "total_loss_usd": 0.0,
        "delisted": False,
    }  # fmt: skip
    result = {
        "query": "bca-verify.top", "kind": "domain", "value": "bca-verify.top",
        "verdict": "suspicious", "score": 39, "evidence": evidence, "model_risk": 0.87,
    }  # fmt: skip
    html = _render_check("id", {"mode": "single", "result": result})
    assert "Mencurigakan" in html and "Tanda bahaya pada tautan" in html
    assert re.search(r"87\s?%", html)
