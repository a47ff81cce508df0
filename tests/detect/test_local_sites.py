"""The URL model learns from genuine local ASEAN sites (session 12, ``train.local_sites``)."""

from __future__ import annotations

import json
from pathlib import Path

from tangkal.detect import score_links
from tangkal.detect.corpus import UrlExample
from tangkal.detect.domains import on_list, parse_url
from tangkal.detect.train import (
    LOCAL_SITE_WEIGHT,
    _url_weights,
    fit_linear_url_model,
    fit_url_model,
    local_sites,
)
from tangkal.detect.urlmodel import linear_logits

from .test_root_pages import _HOMES

FIXTURES = Path(__file__).parent / "fixtures"
# The link sets the figures are measured on (never a blind set).
MEASURED = ("links_fresh4", "links_fresh5", "links_dev_asean")


def _rows(stem: str) -> list[dict[str, str]]:
    text = (FIXTURES / f"{stem}.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_local_sites_are_legitimate_registrable_domains_listed_once() -> None:
    sites = local_sites()
    hosts = [e.url for e in sites]
    assert len(sites) >= 500
    assert {(e.label, e.dataset) for e in sites} == {(0, "local_site")}
    assert len(set(hosts)) == len(hosts)
    for host in hosts:
        url = parse_url(host)
        assert url.host == url.registrable == host, host  # a site's own home page
        assert not on_list(host, "free_hosts.txt") and not on_list(host, "shorteners.txt")


def test_local_sites_cover_the_ten_states() -> None:
    endings = {parse_url(e.url).suffix.rsplit(".", 1)[-1] for e in local_sites()}
    assert {"vn", "id", "my", "th", "ph", "sg", "kh", "mm", "la", "bn"} <= endings


def test_local_sites_share_no_registrable_domain_with_a_measured_set() -> None:
    trained = {e.url for e in local_sites()}
    measured = {parse_url(row["url"]).registrable for stem in MEASURED for row in _rows(stem)}
    measured |= {parse_url(home).registrable for home in _HOMES}
    assert not trained & measured


def test_local_sites_already_among_the_examples_are_not_added_twice() -> None:
    first = local_sites()[0].url
    examples = [UrlExample(f"www.{first}", 0, "tranco"), UrlExample("bca-promo.xyz", 1, "gaso")]
    assert first not in {e.url for e in local_sites(examples)}
    assert len(local_sites(examples)) == len(local_sites()) - 1


def test_a_local_site_weighs_local_site_weight_plain_rows_in_the_linear_stage() -> None:
    examples = [
        UrlExample("bca-verify.xyz", 1, "gaso"),
        UrlExample("tokopedia.com", 0, "tranco"),
        UrlExample("hnue.edu.vn", 0, "local_site"),
    ]
    weights = _url_weights(examples)
    assert weights[2] == LOCAL_SITE_WEIGHT * weights[1] > weights[1]


def test_fit_url_model_trains_the_linear_stage_on_the_local_sites_not_the_trees() -> None:
    examples = [UrlExample(f"hadiah-bank{i}.xyz", 1, "gaso") for i in range(40)]
    examples += [UrlExample(f"shop{i}.com", 0, "tranco") for i in range(40)]
    model = fit_url_model(examples)
    assert model.trees is not None
    added = len(local_sites(examples))
    assert model.trees.meta["local_sites"] == added > 500
    assert model.trees.meta["n_train"] == len(examples)  # the trees' rows: no local site
    assert model.linear.meta["n_train"] == len(examples) + added
    # what the linear stage learnt from them: a local university's address reads legitimate
    plain = fit_linear_url_model(examples)
    site = [parse_url(local_sites(examples)[0].url)]
    assert linear_logits(model.linear, site)[0] < linear_logits(plain, site)[0]


def test_genuine_asean_sites_of_the_development_set_are_not_flagged() -> None:
    from tangkal.detect.shipped import link_model

    rows = _rows("links_dev_asean")
    threshold = link_model().threshold
    flagged = [
        row["url"]
        for row, score in zip(rows, score_links([row["url"] for row in rows]), strict=True)
        if score.risk >= threshold and score.reasons[0].code == "resembles_phishing_urls"
    ]
    # Session 11's model flagged 10 of the 340 by the model alone (vnpt.com.vn 0.92,
    # vietnamobile.com.vn 0.90, tamanhhospital.vn 0.93, hasaki.vn 0.95); session 12's 7
    # (left: vnptmoney.vn, dsvn.vn, nguyenkim.com, robinsonsmalls.com ...).
    assert len(flagged) <= 7, flagged
