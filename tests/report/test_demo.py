"""The demo generator: deterministic, realistic, and its planted networks are findable."""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

import phonenumbers
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tangkal.cli import main
from tangkal.report.crypto import wallet_chain
from tangkal.report.demo import ASEAN, DemoReport, file_demo, generate, is_hub
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.report.normalize import normalize
from tangkal.report.prepare import prepare
from tangkal.report.schema import parse_report
from tangkal.store import Store

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sample() -> list[DemoReport]:
    return list(generate(3000, seed=11, until=UNTIL))


def test_generation_is_deterministic_for_a_seed() -> None:
    first = [(d.report, d.network, d.reporter) for d in generate(300, seed=4, until=UNTIL)]
    again = [(d.report, d.network, d.reporter) for d in generate(300, seed=4, until=UNTIL)]
    other = [(d.report, d.network, d.reporter) for d in generate(300, seed=5, until=UNTIL)]
    assert first == again
    assert first != other
    assert [r["external_id"] for r, _, _ in first[:2]] == ["demo:4:0", "demo:4:1"]


def test_every_report_is_a_valid_report_in(sample: list[DemoReport]) -> None:
    for item in sample[:500]:
        data = parse_report(item.report)
        assert data.narrative and data.language == item.report["language"]


def test_phone_numbers_are_valid_and_written_locally(sample: list[DemoReport]) -> None:
    written = collections.Counter()
    for item in sample:
        country = item.report["victim_country"]
        phones = [i["value"] for i in item.report["indicators"] if i["kind"] == "phone"]
        contact = item.report.get("victim_contact") or {}
        phones += [contact["phone"]] if "phone" in contact else []
        for raw in phones:
            parsed = phonenumbers.parse(raw, country)
            assert phonenumbers.is_valid_number(parsed), (raw, country)
            written["national" if not raw.startswith("+") else "international"] += 1
    assert written["national"] > written["international"] > 0


def test_wallets_are_checksum_valid_on_every_chain(sample: list[DemoReport]) -> None:
    chains = collections.Counter()
    for item in sample:
        for ind in item.report["indicators"]:
            if ind["kind"] == "crypto_wallet":
                found = wallet_chain(ind["value"])
                assert found is not None, ind["value"]
                chains[found[0]] += 1
    assert set(chains) == {"tron", "evm", "bitcoin"}
    assert chains["tron"] > chains["evm"]  # USDT-TRC20 is the rail of investment scams


def test_every_country_language_and_main_typology_is_present(sample: list[DemoReport]) -> None:
    countries = {d.report["victim_country"] for d in sample}
    languages = {d.report["language"] for d in sample}
    typologies = collections.Counter(d.report["typology"] for d in sample)
    assert countries == set(ASEAN)
    assert languages == {"id", "ms", "th", "vi", "tl", "km", "my", "lo", "en"}
    assert {t for t, _ in typologies.most_common(2)} == {"investment", "job_task"}
    assert len(typologies) >= 12
    currencies = {d.report.get("loss_currency") for d in sample} - {None}
    assert {"IDR", "MYR", "SGD", "THB", "VND", "PHP", "USD", "MMK", "LAK", "BND"} <= currencies


def test_structured_indicators_normalise_and_name_the_bank(sample: list[DemoReport]) -> None:
    banks = set()
    for item in sample[:800]:
        country = item.report["victim_country"]
        for ind in item.report["indicators"]:
            found = normalize(ind["value"], ind["kind"], country)
            if found.kind == "bank_account":
                assert "bank" in found.attributes, ind["value"]
                banks.add(found.attributes["bank"])
    assert len(banks) >= 20


def _components(items: Iterable[tuple[str, set[tuple[str, str]]]]) -> list[set[str]]:
    """Connected components of reports through shared non-hub indicators."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for label, keys in items:
        find(label)
        for key in keys:
            parent[find(f"ind:{key}")] = find(label)
    groups: dict[str, set[str]] = collections.defaultdict(set)
    for x in parent:
        if not x.startswith("ind:"):
            groups[find(x)].add(x)
    return list(groups.values())


def test_planted_networks_are_exactly_the_components(sample: list[DemoReport]) -> None:
    # Through the real intake (extraction from the narratives included), hubs aside:
    # each network is one component and no two networks or background reports touch.
    items = sample[:1500]
    keyed = []
    for index, item in enumerate(items):
        prepared = prepare(parse_report(item.report), "k")
        keys = {(f.kind, f.value) for f in prepared.indicators if not is_hub(f.kind, f.value)}
        keyed.append((f"r{index}", keys))
    truth = {f"r{i}": d.network or f"bg{i}" for i, d in enumerate(items)}
    components = _components(keyed)
    for component in components:
        assert len({truth[r] for r in component}) == 1, sorted(truth[r] for r in component)
    per_network = collections.Counter(truth[next(iter(c))] for c in components)
    networks = {d.network for d in items} - {None}
    assert len(networks) >= 10
    assert all(per_network[n] == 1 for n in networks)


def test_hubs_are_shared_on_purpose(sample: list[DemoReport]) -> None:
    narratives = " ".join(d.report["narrative"] for d in sample)
    for hub in ("wa.me/", "t.me/", "bit.ly/", "facebook.com/", "docs.google.com/"):
        assert narratives.count(hub) >= 10, hub
    assert is_hub("domain", "facebook.com") and is_hub("phone", "+6563272265")
    assert is_hub("url", "http://bca.co.id/") and not is_hub("url", "https://bit.ly/x1")
    assert not is_hub("domain", "secure-login.top")


def test_file_demo_stores_through_intake_with_each_reporter(store: Store) -> None:
    items = list(generate(120, seed=3, until=UNTIL))
    with store.begin() as session:
        filed = file_demo(session, items)
    assert [f.duplicate for f in filed] == [False] * 120
    with store.begin() as session:
        again = file_demo(session, items)
    assert [f.report_id for f in again] == [f.report_id for f in filed]
    assert all(f.duplicate for f in again)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 120
        scored = select(func.count()).where(Report.scam_probability.is_not(None))
        assert session.scalar(scored) == 120  # scored where prepared, like any filing
        citizens = sum(1 for d in items if d.reporter.org is None)
        distinct = session.scalar(select(func.count(func.distinct(Report.reporter_key))))
        assert distinct is not None and distinct > citizens * 0.8
        # Evidence counts each citizen once, as the intake would for separate filings.
        for ind in session.scalars(select(Indicator).where(Indicator.report_count > 1)):
            keys = session.scalars(
                select(func.count(func.distinct(Report.reporter_key)))
                .join(ReportIndicator, ReportIndicator.report_id == Report.id)
                .where(ReportIndicator.indicator_id == ind.id)
            ).one()
            assert ind.reporter_count == keys


def test_demo_command_writes_the_truth_and_respects_if_empty(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    truth = tmp_path / "truth.jsonl"
    result = CliRunner().invoke(
        main, ["demo", "--reports", "80", "--seed", "2", "--truth", str(truth), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["stored"] == 80 and summary["networks"] >= 1
    lines = [json.loads(x) for x in truth.read_text().splitlines()]
    assert len(lines) == 80 and len({x["report_id"] for x in lines}) == 80
    with store.read() as session:
        ids = set(session.scalars(select(Report.id)))
    assert {x["report_id"] for x in lines} == ids
    assert any(x["network"] for x in lines) and any(x["network"] is None for x in lines)
    skipped = CliRunner().invoke(main, ["demo", "--reports", "5", "--if-empty", "--json"])
    assert skipped.exit_code == 0 and json.loads(skipped.stdout)["skipped"] is True
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 80
