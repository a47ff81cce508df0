"""Every request type renders as a formal document in every language, HTML and PDF."""

from __future__ import annotations

import pytest

from tangkal.act import cases, documents, requests
from tangkal.store import Store
from tests.act.conftest import Actor

TARGET = {
    "freeze": ("police_id", "bank_th"), "takedown": ("police_id", "platform_sg"),
    "block_number": ("police_id", "telco_th"), "information": ("police_id", "police_my"),
    "mla": ("prosecutor_id", "prosecutor_th"), "extradition": ("prosecutor_id", "prosecutor_th"),
}  # fmt: skip
BASIS = "ASEAN Treaty on Mutual Legal Assistance in Criminal Matters (2004)"


@pytest.mark.parametrize("type", requests.TYPES)
def test_each_type_in_each_language(store: Store, cast: dict[str, Actor], type: str) -> None:
    by, to = TARGET[type]
    with store.begin() as s:
        case = cases.open_case(s, cast[by].who, "Scam compound in the border zone",
                               summary="Forty victims in three countries.")  # fmt: skip
        req = requests.create_request(
            s, cast[by].who, case.id, type, cast[to].org_id, legal_basis=BASIS,
            facts="Funds moved through mule accounts.", subjects=["https://fake-invest.example.net"],
            currency="THB", amount_requested="125000.50",
        )  # fmt: skip
        rendered = {lang: documents.render(s, req, lang) for lang in documents.LANGUAGES}
    seen_titles = set()
    for lang, doc in rendered.items():
        assert doc.name == f"request-{req.id}-{type}-{lang}"
        assert f'<html lang="{lang}">' in doc.html
        for fact in (BASIS, "fake-invest.example.net", "125000.50", "THB", to, by,
                     "Forty victims in three countries.", f"TGK-REQ-{req.id:06d}"):  # fmt: skip
            assert fact in doc.html, (lang, fact)
        assert doc.pdf.startswith(b"%PDF-") and len(doc.pdf) > 1000
        seen_titles.add(doc.html.split("<h1>")[1].split("</h1>")[0])
    assert len(seen_titles) == len(documents.LANGUAGES)  # each language has its own wording


def test_rendering_is_deterministic(store: Store, cast: dict[str, Actor]) -> None:
    with store.begin() as s:
        case = cases.open_case(s, cast["police_id"].who, "Case")
        req = requests.create_request(s, cast["police_id"].who, case.id, "freeze",
                                      cast["bank_th"].org_id)  # fmt: skip
        first, second = documents.render(s, req), documents.render(s, req)
    assert (first.html, first.pdf) == (second.html, second.pdf)
