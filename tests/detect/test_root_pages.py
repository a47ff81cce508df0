"""The tree stage learns from the home pages of little-known legitimate sites (session 9)."""

from __future__ import annotations

import numpy as np

from tangkal.detect import score_links
from tangkal.detect.corpus import UrlExample
from tangkal.detect.train import _url_weights, root_pages, url_tree_weights


def test_root_pages_are_the_bare_hosts_of_little_known_legitimate_sites() -> None:
    examples = [
        UrlExample("http://www.tokobungaku.co.id/katalog/mawar.html", 0, "hannousse"),
        UrlExample("https://kelurahan-sukamaju.go.id/layanan/ktp", 0, "hannousse"),
        UrlExample("https://kelurahan-sukamaju.go.id/berita", 0, "hannousse"),  # once
        UrlExample("http://blog.example-school.edu.my/2019/05/sports-day", 0, "hannousse"),
    ]
    assert [e.url for e in root_pages(examples)] == [
        "www.tokobungaku.co.id",
        "kelurahan-sukamaju.go.id",
        "blog.example-school.edu.my",
    ]
    assert {(e.label, e.dataset) for e in root_pages(examples)} == {(0, "root_page")}


def test_root_pages_leave_out_phishing_ranked_ip_hosting_and_present_hosts() -> None:
    examples = [
        # a compromised site's phishing page says nothing about its home page
        UrlExample("http://jdih.sambas-kab.go.id/wp-includes/css/nnbill", 1, "hannousse"),
        # a popular domain is capped by the rules already
        UrlExample("https://www.google.com/maps/place/Jakarta", 0, "hannousse"),
        UrlExample("http://203.0.113.7/status/index.html", 0, "hannousse"),
        # anyone can publish on a hosting platform
        UrlExample("http://mysite.0x0.st/about", 0, "hannousse"),
        # the bare host is already an example
        UrlExample("http://navelec-sample.com/products", 0, "hannousse"),
        UrlExample("navelec-sample.com", 0, "hannousse"),
        # only Hannousse rows are full URLs of legitimate sites
        UrlExample("http://ringgit-bonus.xyz/claim", 0, "gaso"),
    ]
    assert root_pages(examples) == []


def test_a_root_page_weighs_as_one_plain_legitimate_row() -> None:
    examples = [
        UrlExample("http://www.tokobungaku.co.id/katalog/mawar.html", 0, "hannousse"),
        UrlExample("bca-verify.xyz", 1, "gaso"),
        UrlExample("bni-hadiah.top", 1, "gaso"),
        UrlExample("tokopedia.com", 0, "tranco"),
    ]
    roots = root_pages(examples)
    weights = url_tree_weights(examples, roots)
    assert len(roots) == 1
    assert np.array_equal(weights[:4], _url_weights(examples))
    assert weights[4] == weights[3]  # a Tranco row: the plain weight of a legitimate row
    assert weights[4] * 8 == weights[0]  # an eighth of a Hannousse row


# Home pages of little-known legitimate sites of the region, none in ../shared/data nor in
# the Tranco top 50k (local governments, universities, shops), listed before scoring them.
_HOMES = [
    "pontianakkota.go.id",
    "surakarta.go.id",
    "bantulkab.go.id",
    "jogjakota.go.id",
    "mpsj.gov.my",
    "mbpj.gov.my",
    "mbsa.gov.my",
    "nakhonpathom.go.th",
    "chiangmaicity.go.th",
    "danang.gov.vn",
    "quezoncity.gov.ph",
    "makati.gov.ph",
    "marineparade.org.sg",
    "ite.edu.sg",
    "unsyiah.ac.id",
    "hcmus.edu.vn",
    "tokoroti-sari.co.id",
    "kedaikopi-ahmad.com.my",
    "bakery-saigon.vn",
    "warungmakan.id",
    "kopitiamku.sg",
    "hotelsantika.com",
    "batiksemar.com",
    "sarirotibakery.com",
]


def test_little_known_legitimate_home_pages_are_not_flagged() -> None:
    from tangkal.detect.shipped import link_model

    threshold = link_model().threshold
    www = [s.risk >= threshold for s in score_links([f"www.{home}" for home in _HOMES])]
    https = [s.risk >= threshold for s in score_links([f"https://{home}/" for home in _HOMES])]
    bare = [s.risk >= threshold for s in score_links(_HOMES)]
    # Session 8's trees flagged 16 of the 24 as www.HOST (www.surakarta.go.id 0.98,
    # www.danang.gov.vn 0.97) and 3
    # as https://HOST/; written bare (HOST alone) session 9's flagged 5 (hotelsantika.com
    # 0.95). Since session 10 the model reads all three forms as the bare host.
    assert sum(www) <= 1
    assert sum(https) <= 1
    assert sum(bare) <= 1


def test_a_phishing_page_on_a_compromised_government_host_is_still_flagged() -> None:
    # go.id and ac.id sites are often compromised: the deep page is the model's to score
    # (the URL lists hold 30 phishing pages with a path on go.id and ac.id hosts, and 3
    # bare phishing subdomains there, metamask.io.merge.*.moestopo.ac.id; no home page).
    urls = [
        "https://bpbd.ketapangkab.go.id/wp-includes/css/dist/office365/login.php?email=a@b.com",
        "http://jurnal.stai-example.ac.id/.well-known/pki-validation/bca/login/",
    ]
    from tangkal.detect.shipped import link_model

    assert all(s.risk >= link_model().threshold for s in score_links(urls))
