"""The tree stage learns from the home pages of little-known legitimate sites (session 9)."""

from __future__ import annotations

import numpy as np

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
