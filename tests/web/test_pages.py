"""The public pages in real headless Chromium, on a 360 px phone screen.

Each test saves a screenshot to test-artifacts/ for a person to look at, and the ``phone``
fixture fails the test if the page fetched anything from outside the node.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tangkal.report.models import Report
from tangkal.store import Store
from tests.factories import file_report
from tests.web.conftest import RecordingPage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE_LOCAL = "0812-3456-7890"
PHONE_E164 = "+6281234567890"
VICTIM = "Siti Rahmawati"


def _two_reports_of_the_number(store: Store) -> None:
    for i, country in enumerate(["ID", "MY"]):
        file_report(
            store, f"citizen:{i}", victim_country=country, typology="investment",
            narrative=f"Dia minta transfer dulu, hubungi {PHONE_LOCAL} (#{i})",
            loss_amount="2500000", loss_currency="IDR",
            victim_contact={"name": VICTIM, "phone": "+6281111111111"},
        )  # fmt: skip


def _reports(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Report)) or 0)


def test_a_reported_number_is_shown_as_a_scam(store: Store, phone: RecordingPage) -> None:
    _two_reports_of_the_number(store)
    page = phone.page
    page.goto("/")
    page.get_by_label("Paste a number, account, link or a whole message").fill(PHONE_LOCAL)
    page.get_by_label("Country").select_option("ID")
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(re.compile(r"/check\?q="))
    verdict = page.locator("section.verdict")
    assert verdict.get_attribute("class") == "verdict verdict-scam"
    assert verdict.locator(".word").inner_text().strip() == "Scam"
    assert verdict.locator("svg.icon-scam").count() == 1  # not colour alone
    assert PHONE_E164 in verdict.inner_text()
    facts = verdict.locator(".facts").inner_text()
    assert "Reports\n2" in facts or re.search(r"Reports\s+2", facts)
    assert "Indonesia" in facts and "Malaysia" in facts
    assert "Investment scam" in facts
    body = page.content()
    assert VICTIM not in body and "citizen:" not in body and "+6281111111111" not in body
    assert page.get_by_text("Police: 110. Bank or investment scams: OJK 157.").is_visible()
    assert phone.fits_the_screen()
    phone.screenshot("check-scam")


def test_an_unknown_value_has_no_reports_and_does_not_say_safe(
    store: Store, phone: RecordingPage
) -> None:
    page = phone.page
    page.goto("/check")
    page.get_by_label("Paste a number, account, link or a whole message").fill("0813 9999 1234")
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(re.compile(r"/check\?q="))
    verdict = page.locator("section.verdict")
    assert "verdict-no_reports" in (verdict.get_attribute("class") or "")
    assert verdict.locator(".word").inner_text().strip() == "No reports"
    assert "does not prove it is safe" in verdict.inner_text()
    phone.screenshot("check-unknown")


def test_a_whole_message_shows_each_indicator_with_its_verdict(
    store: Store, phone: RecordingPage
) -> None:
    _two_reports_of_the_number(store)
    message = (
        "Selamat! Anda terpilih kerja paruh waktu, gaji 500rb/hari.\n"
        "Transfer biaya pendaftaran ke BCA 7651234567 a.n. Andi,\n"
        f"lalu konfirmasi ke WA {PHONE_LOCAL} atau klik bit.ly/kerja-cepat"
    )
    page = phone.page
    page.goto("/check")
    page.get_by_label("Paste a number, account, link or a whole message").fill(message)
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(re.compile(r"/check\?q="))
    items = page.locator("li.found")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    assert any(PHONE_E164 in t and "Scam" in t for t in texts), texts
    assert any("7651234567" in t and "Bank account" in t for t in texts), texts
    assert any("bit.ly" in t for t in texts), texts
    # Each indicator links to its own check, so a person can see the evidence.
    assert page.locator(f"li.found a.value:text-is('{PHONE_E164}')").count() == 1
    phone.screenshot("check-message")


def test_a_victim_files_a_report_on_a_phone(store: Store, phone: RecordingPage) -> None:
    page = phone.page
    page.goto("/report")
    assert phone.fits_the_screen()
    phone.screenshot("report-form")
    page.get_by_label("What happened?").select_option("job_task")
    page.get_by_label("How did the scammer contact you?").select_option("whatsapp")
    page.get_by_label("Phone number", exact=True).fill("0812 5555 1234")
    page.get_by_label("Bank account or e-wallet you paid to").fill("BCA 7651234567")
    page.get_by_label("What happened, in your own words").fill(
        "Saya disuruh bayar dulu untuk tugas like video, lalu diblokir."
    )
    page.get_by_label("Amount").fill("1.500.000")
    page.get_by_label("Your e-mail").fill("siti@example.org")
    page.get_by_label(re.compile("I agree that this report is kept")).check()
    page.get_by_role("button", name="Send report").click()
    reference = page.locator("#reference")
    reference.wait_for()
    assert re.fullmatch(r"[A-Z2-9]{10}", reference.inner_text().strip())
    link = page.locator("#status-link").get_attribute("href") or ""
    assert re.fullmatch(rf"/status/{reference.inner_text().strip()}\?k=[\w-]+", link)
    assert "+6281255551234" in page.locator("main").inner_text()
    assert phone.fits_the_screen()
    phone.screenshot("report-done")
    with store.read() as session:
        report = session.scalars(select(Report)).one()
        assert (report.source, report.victim_country, report.channel) == (
            "web_form", "ID", "whatsapp",
        )  # fmt: skip
        assert (report.typology, report.loss_currency) == ("job_task", "IDR")
        assert report.loss_amount == 1_500_000
        assert report.victim_contact == {"email": "siti@example.org"}
        assert report.reporter_key.startswith("web:") and "siti" not in report.reporter_key


def test_form_errors_sit_next_to_their_field_and_nothing_is_stored(
    store: Store, phone: RecordingPage
) -> None:
    page = phone.page
    page.goto("/report")
    page.get_by_label("Phone number", exact=True).fill("12")
    page.get_by_label("What happened, in your own words").fill("Mereka menipu saya.")
    page.get_by_label("Amount").fill("banyak sekali")
    page.get_by_role("button", name="Send report").click()
    page.locator(".error-summary").wait_for()
    phone_error = page.locator("#phone-error")
    assert "does not look like a phone number" in phone_error.inner_text()
    assert page.locator("#phone").get_attribute("aria-invalid") == "true"
    assert "phone-error" in (page.locator("#phone").get_attribute("aria-describedby") or "")
    # The error is in the phone box's own field, right above its input.
    assert page.locator(".field.has-error:has(#phone) #phone-error").count() == 1
    assert "digits only" in page.locator("#amount-error").inner_text()
    assert "Tick this box" in page.locator("#consent-error").inner_text()
    assert page.locator("#story-error").count() == 0
    # What was typed is kept.
    assert page.locator("#phone").input_value() == "12"
    assert page.locator("#story").input_value() == "Mereka menipu saya."
    assert phone.fits_the_screen()
    phone.screenshot("report-errors")
    assert _reports(store) == 0
    # Fixing the fields files the report with the same (refreshed) CSRF token flow.
    page.locator("#phone").fill("0812 5555 1234")
    page.locator("#amount").fill("")
    page.locator("#consent").check()
    page.get_by_role("button", name="Send report").click()
    page.locator("#reference").wait_for()
    assert _reports(store) == 1


def test_switching_to_bahasa_indonesia(store: Store, phone: RecordingPage) -> None:
    page = phone.page
    page.goto("/check")
    page.get_by_role("link", name="Bahasa Indonesia").click()
    page.wait_for_url(re.compile(r"lang=id"))
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Cek dulu sebelum membayar" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Laporkan penipuan").first.click()
    page.wait_for_url(re.compile(r"/report$"))
    # The choice is kept in a cookie: the next page is Indonesian without ?lang=.
    assert page.locator("h1").inner_text() == "Laporkan penipuan"
    assert page.get_by_label("Apa yang terjadi?").is_visible()
    page.get_by_role("button", name="Kirim laporan").click()
    assert "Centang kotak ini" in page.locator("#consent-error").inner_text()
    phone.screenshot("report-errors-id")
    page.goto("/check?q=0813-9999-1234&country=ID")
    assert page.locator("section.verdict .word").inner_text().strip() == "Belum ada laporan"
    phone.screenshot("check-unknown-id")
    assert _reports(store) == 0


def test_the_not_found_page_in_a_browser(store: Store, phone: RecordingPage) -> None:
    response = phone.page.goto("/no-such-page")
    assert response is not None and response.status == 404
    assert "does not exist" in phone.page.locator("main").inner_text()
    phone.screenshot("not-found")


# A job scam as a victim in each country would paste it, in the language the page is shown in.
# The expected words are written out, not read from the catalogue, so a missing translation
# (which falls back to English) fails here.
MAINLAND = {
    "km": (
        "KH", "ពិនិត្យ",
        "អបអរសាទរ! អ្នកត្រូវបានជ្រើសរើសសម្រាប់ការងារក្រៅម៉ោង។ សូមផ្ទេរប្រាក់ 50 ដុល្លារ "
        "ទៅគណនី ABA 000123456 ភ្លាមៗ រួចទាក់ទងតាម Telegram។",
        "សារនេះហាក់ដូចជាការបោកប្រាស់", "សុំឱ្យអ្នកផ្ញើ ផ្ទេរ ឬដាក់ប្រាក់", "ប៉ូលិស: 117.",
        "[\u1780-\u17ff]",
    ),
    "my": (
        "MM", "စစ်ဆေးရန်",
        "ဂုဏ်ယူပါတယ်။ အွန်လိုင်းအလုပ်အတွက် ရွေးချယ်ခံရပါပြီ။ မှတ်ပုံတင်ကြေး 50000 ကျပ်ကို "
        "KBZPay 09975123456 သို့ ချက်ချင်းလွှဲပါ။",
        "ဤစာသည် လိမ်လည်မှုနှင့် တူသည်",
        "ငွေပို့ရန်၊ ငွေလွှဲရန် သို့မဟုတ် ငွေသွင်းရန် တောင်းဆိုသည်", "ရဲ: 199.",
        "[\u1000-\u109f]",
    ),
    "lo": (
        "LA", "ກວດສອບ",
        "ຍິນດີດ້ວຍ! ທ່ານໄດ້ຮັບວຽກອອນລາຍ. ກະລຸນາໂອນເງິນຄ່າລົງທະບຽນ 200000 ກີບ "
        "ເຂົ້າບັນຊີ BCEL 010120000123456 ດຽວນີ້.",
        "ຂໍ້ຄວາມນີ້ເບິ່ງຄືການຫຼອກລວງ", "ຂໍໃຫ້ທ່ານສົ່ງ, ໂອນ ຫຼື ຝາກເງິນ", "ຕຳຫຼວດ: 1191.",
        "[\u0e80-\u0eff]",
    ),
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(MAINLAND))
def test_a_scam_message_is_explained_in_khmer_burmese_and_lao(
    store: Store, phone: RecordingPage, lang: str
) -> None:
    country, check, message, verdict_word, transfer_reason, hotline, script = MAINLAND[lang]
    page = phone.page
    page.goto(f"/check?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    page.locator("#q").fill(message)
    page.locator("#country").select_option(country)
    page.get_by_role("button", name=check).click()
    page.wait_for_url(re.compile(r"/check\?q="))
    verdict = page.locator("section.verdict")
    assert "verdict-scam" in (verdict.get_attribute("class") or "")
    assert verdict.locator(".word").inner_text().strip() == verdict_word
    reasons = [r.strip() for r in verdict.locator("ul.reasons li").all_inner_texts()]
    assert transfer_reason in reasons, reasons
    # Every reason is in the reader's script: none fell back to the English sentence.
    assert all(re.search(script, r) for r in reasons), reasons
    assert "Asks you to send" not in verdict.inner_text()
    assert page.get_by_text(hotline).is_visible()
    assert phone.fits_the_screen()
    phone.screenshot(f"check-message-{lang}")
