"""Planted networks from the demo generator are recovered (issue: ARI ≥ 0.99)."""

from __future__ import annotations

from sklearn.metrics import adjusted_rand_score
from sqlalchemy import select, text

from tangkal.link.batch import recompute
from tangkal.link.hubs import HubRules
from tangkal.link.incremental import link_reports
from tangkal.report.demo import file_demo, generate
from tangkal.report.models import Indicator, ReportIndicator
from tangkal.store import Store
from tests.link.build import partition

N = 800


def test_demo_networks_are_recovered_and_hubs_never_merge_them(store: Store) -> None:
    items = list(generate(N, seed=11))
    truth: dict[int, str] = {}
    with store.begin() as session:
        for start in range(0, N, 200):
            chunk = items[start : start + 200]
            filed = file_demo(session, chunk)
            link_reports(session, [f.report_id for f in filed])
            for item, f in zip(chunk, filed, strict=True):
                truth[f.report_id] = item.network or f"background-{f.report_id}"
    found = partition(store)
    label = {rid: f"net-{i}" for i, members in enumerate(found) for rid in members}
    ids = sorted(truth)
    score = adjusted_rand_score([truth[r] for r in ids], [label.get(r, f"solo-{r}") for r in ids])
    assert score >= 0.99, score
    planted = {t for t in truth.values() if not t.startswith("background")}
    assert len(found) == len(planted)

    # The demo puts hub values into reports of different networks on purpose; none of
    # them may join two planted networks.
    with store.read() as session:
        rows = session.execute(
            select(Indicator.kind, Indicator.value, ReportIndicator.report_id).join(
                ReportIndicator, ReportIndicator.indicator_id == Indicator.id
            )
        ).all()
    rules = HubRules.shipped()
    spans: dict[tuple[str, str], set[str]] = {}
    for kind, value, rid in rows:
        spans.setdefault((kind, value), set()).add(truth[rid])
    shared = [key for key, nets in spans.items() if len(nets) >= 2]
    assert shared, "the demo data should contain hub values shared across networks"
    with store.read() as session:
        hubs = HubRules.load(session)
    assert all(hubs.reason(*key) is not None for key in shared), [
        key for key in shared if hubs.reason(*key) is None
    ]
    assert rules.reason("domain", "wa.me") is not None
    for members in found:
        assert len({truth[r] for r in members}) == 1  # pure: one planted network each

    # Batch agrees with incremental: nothing to change, and from scratch the same partition.
    with store.begin() as session:
        assert recompute(session, degree_cap=1000).changed_members == 0
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM network_members"))
        conn.execute(text("DELETE FROM networks"))
    with store.begin() as session:
        recompute(session, degree_cap=1000)
    assert partition(store) == found
