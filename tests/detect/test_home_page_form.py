"""A home page gets one link risk however its host is written (session 10).

The scam feeds write their domains bare (``hotelsantika-promo.com``) and the legitimate
lists mostly do not (``http://www.hotelsantika.com/``), so a model that reads the host as
written learns "bare" as a sign of a scam. The URL model reads every home page as its bare
host, in training and in scoring (``domains.home_page_form``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from tangkal.detect import score_links
from tangkal.detect.corpus import UrlExample
from tangkal.detect.domains import home_page_form, parse_url
from tangkal.detect.train import fit_linear_url_model

FORMS = (
    "{}",
    "www.{}",
    "WWW.{}",
    "{}/",
    "www.{}/",
    "http://{}",
    "https://{}/",
    "http://www.{}/",
    "https://www.{}",
    "HTTPS://WWW.{}/",
)


@pytest.mark.parametrize("form", FORMS)
def test_every_way_of_writing_a_home_page_reads_as_the_bare_host(form: str) -> None:
    assert home_page_form(parse_url(form.format("HotelSantika.com"))).text == "hotelsantika.com"
    assert home_page_form(parse_url(form.format("dinas.jogjakota.go.id"))).host == (
        "dinas.jogjakota.go.id"
    )


@pytest.mark.parametrize(
    "value",
    [
        "www.hotelsantika.com/kamar",  # a path is a page, not the home page
        "https://www.hotelsantika.com/?promo=1",
        "www.hotelsantika.com#booking",
        "http://www.hotelsantika.com:8080/",  # a port is part of what was written
        "http://user@www.hotelsantika.com/",
        "ftp://www.hotelsantika.com/",
        "http://203.0.113.7/",
        "m.hotelsantika.com",  # only www. is the same site's usual name
        "www2.hotelsantika.com",
        "hotelsantika.com",  # already the bare host
    ],
)
def test_anything_else_is_read_as_written(value: str) -> None:
    url = parse_url(value)
    assert home_page_form(url) is url


def test_www_is_dropped_only_when_it_is_a_subdomain() -> None:
    assert home_page_form(parse_url("www.sub.shop-a.co.id")).text == "sub.shop-a.co.id"
    # www.nagoya.jp is itself a registrable domain (nagoya.jp is a public suffix)
    assert home_page_form(parse_url("https://www.nagoya.jp/")).text == "www.nagoya.jp"
    assert home_page_form(parse_url("www.hotelsantika.com.")).text == "hotelsantika.com"


# Home pages of little-known legitimate sites of the region and scam-looking domains,
# listed before scoring them (none is in ../shared/data).
_HOSTS = [
    "hotelsantika.com",
    "batiksemar.com",
    "warungmakan.id",
    "surakarta.go.id",
    "mbpj.gov.my",
    "danang.gov.vn",
    "bca-verifikasi-akun.xyz",
    "klaim-hadiah-shopee.top",
    "maybank2u-secure-login.com",
    "bonus-airdrop-claim.io",
]


def test_the_shipped_model_gives_a_home_page_one_risk_in_every_form() -> None:
    for host in _HOSTS:
        scores = score_links([form.format(host) for form in FORMS])
        assert len({s.risk for s in scores}) == 1, (host, [s.risk for s in scores])
        assert len({tuple(r.code for r in s.reasons) for s in scores}) == 1, host


def test_training_reads_a_home_page_in_one_form() -> None:
    def fit(www: bool) -> npt.NDArray[np.float32]:
        prefix = "http://www." if www else ""
        examples = [
            UrlExample(f"{prefix}tokobungaku.co.id{'/' if www else ''}", 0, "hannousse"),
            UrlExample(f"{prefix}kedaikopi-ahmad.com.my", 0, "hannousse"),
            UrlExample("http://www.tokobungaku.co.id/katalog/mawar.html", 0, "hannousse"),
            UrlExample("bca-verify.xyz", 1, "gaso"),
            UrlExample("bni-hadiah.top", 1, "gaso"),
            UrlExample("http://login-bca.example-phish.com/secure/", 1, "phishtank"),
            UrlExample("tokopedia.com", 0, "tranco"),
        ]
        return fit_linear_url_model(examples).ngram_coef

    assert np.array_equal(fit(True), fit(False))
