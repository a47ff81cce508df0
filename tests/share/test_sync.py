"""Pulling from a peer: checkpoints, replays, versions, revocations and peers that lie."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response

from tangkal.cli import main
from tangkal.report.models import Report
from tangkal.share.client import Page
from tangkal.share.peer_models import SyncCheckpoint
from tangkal.share.peers import add_peer, list_peers, node_key
from tangkal.share.push import Pusher
from tangkal.share.sync import advance, import_ingest, pull
from tangkal.store import Store
from tests.share.federation import FakePeer, Node, envelope, indicator, phone

T0 = "2026-11-28T01:00:00.000001Z"
T1 = "2026-11-28T01:00:00.000002Z"


@pytest.fixture
def here(store: Store, tmp_path: Path) -> Node:
    """This node (ID), on the parametrised store: SQLite and PostgreSQL."""
    return Node("ID", "ID", "sqlite", tmp_path, store=store)


@pytest.fixture
def my(tmp_path: Path) -> Iterator[Node]:
    node = Node("MY", "MY", "sqlite", tmp_path).start()
    yield node
    node.close()


def _pair(here: Node, my: Node, **kwargs: object) -> None:
    # The organisation that stands for MY here (MY would push with its token), then the peer.
    here.peer_token("MY", "MY")
    here.add_peer(my, my.peer_token("ID", "ID"), **kwargs)


def _pull(node: Node, name: str = "MY", **options: object) -> object:
    return pull(
        node.store, name, node_key=node.key, ingest=import_ingest, client_options=dict(options)
    )


def _reports(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Report)) or 0)


def _cursor(store: Store) -> str | None:
    with store.read() as session:
        return session.scalar(select(SyncCheckpoint.added_after))


def test_corroborated_value_becomes_scam_and_replays_add_nothing(here: Node, my: Node) -> None:
    _pair(here, my)
    value = "+60123456789"
    my.report(value, "citizen:1", distribution="asean", tlp="GREEN")
    my.report(value, "citizen:2", distribution="asean", tlp="GREEN")
    assert here.check(value).verdict == "no_reports"

    run = _pull(here)
    assert run.ok, run.as_dict()  # type: ignore[attr-defined]
    result = here.check(value)
    assert result.verdict == "scam"
    assert "MY" in result.evidence.countries
    reports = _reports(here.store)

    again = _pull(here)
    assert again.ok and sum(c.stored for c in again.collections) == 0  # type: ignore[attr-defined]
    assert _reports(here.store) == reports
    assert here.check(value).verdict == "scam"


def test_uncorroborated_value_stays_suspicious(here: Node, my: Node) -> None:
    _pair(here, my)
    my.report("+60123456780", "citizen:1", distribution="asean", tlp="GREEN")
    _pull(here)
    assert here.check("+60123456780").verdict == "suspicious"


def test_one_trusted_organisation_at_my_makes_scam_at_id_by_pull(here: Node, my: Node) -> None:
    # ID does not trust MY's node as such (the default of `tangkal peers add`): the trust of
    # the reporting organisation at MY must travel with the indicator and be applied here.
    _pair(here, my)
    value = "+60123456782"
    my.report(value, "police:1", trusted=True, distribution="asean", tlp="GREEN")
    assert my.check(value).verdict == "scam"

    run = _pull(here)
    assert run.ok, run.as_dict()  # type: ignore[attr-defined]
    result = here.check(value)
    assert result.verdict == "scam", result
    assert result.evidence.trusted_reporters == 1 and result.evidence.reporters == 1
    # A single untrusted report at MY still does not: that is the anti-poisoning rule.
    my.report("+60123456783", "citizen:1", distribution="asean", tlp="GREEN")
    assert _pull(here).ok  # type: ignore[attr-defined]
    assert here.check("+60123456783").verdict == "suspicious"


def test_one_trusted_organisation_at_my_makes_scam_at_id_by_push(store: Store, my: Node,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    # Push arrives first; the pull that follows replays the same version ("already
    # imported"), so the push itself must carry and apply the reporter's trust.
    here = Node("ID", "ID", "sqlite", tmp_path, store=store).start()
    try:
        token = here.peer_token("MY", "MY")  # untrusted at ID
        my.add_peer(here, token, push=True)
        value = "+60123456784"
        my.report(value, "police:1", trusted=True, distribution="asean", tlp="GREEN")
        deadline = time.monotonic() + 30
        while here.check(value).verdict == "no_reports" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert here.check(value).verdict == "scam"
        my.report("+60123456785", "citizen:1", distribution="asean", tlp="GREEN")
        deadline = time.monotonic() + 30
        while here.check("+60123456785").verdict == "no_reports" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert here.check("+60123456785").verdict == "suspicious"
    finally:
        here.stop()


def test_delisting_propagates_and_clears_the_verdict(here: Node, my: Node) -> None:
    _pair(here, my)
    value = "+60123456781"
    my.report(value, "citizen:1", distribution="asean", tlp="GREEN")
    my.report(value, "citizen:2", distribution="asean", tlp="GREEN")
    _pull(here)
    assert here.check(value).verdict == "scam"
    my.delist(value)
    run = _pull(here)
    assert run.ok, run.as_dict()  # type: ignore[attr-defined]
    assert here.check(value).verdict == "no_reports"


def test_paging_moves_the_checkpoint_and_stores_each_value_once(here: Node, my: Node) -> None:
    _pair(here, my, collections=["asean"])
    values = [f"+6012345{n:04d}" for n in range(12)]
    for v in values:
        my.report(v, "citizen:1", distribution="asean", tlp="GREEN")
    run = _pull(here, page_limit=5)
    assert run.ok, run.as_dict()  # type: ignore[attr-defined]
    assert run.collections[0].pages > 4  # type: ignore[attr-defined]
    assert all(here.check(v).verdict == "suspicious" for v in values)
    assert _reports(here.store) == 12
    first = _cursor(here.store)
    assert first is not None
    my.report("+60123459999", "citizen:1", distribution="asean", tlp="GREEN")
    _pull(here, page_limit=5)
    assert _reports(here.store) == 13
    assert _cursor(here.store) > first  # type: ignore[operator]


def test_national_and_red_never_arrive(here: Node, my: Node) -> None:
    _pair(here, my)
    my.report("+60123450001", "bank:1", trusted=True, distribution="national", tlp="GREEN")
    my.report("+60123450002", "bank:1", trusted=True, distribution="asean", tlp="RED")
    my.report("+60123450003", "bank:1", trusted=True, distribution="organisation", tlp="CLEAR")
    _pull(here)
    assert _reports(here.store) == 0


def test_checkpoint_never_goes_past_a_cut_run() -> None:
    page = Page([{"id": "x"}], True, "n", T0, T1, 10)
    assert advance(None, page) == T0  # one microsecond before T1: the run at T1 is re-read
    assert advance(None, Page([{"id": "x"}], False, None, T0, T1, 10)) == T1
    assert advance(T1, page) == T1  # never backwards
    assert advance(T0, Page([], False, None, None, None, 0)) == T0


def _fake_peer(here: Node, handler: object) -> FakePeer:
    peer = FakePeer(handler)  # type: ignore[arg-type]
    here.peer_token("FAKE", "MY")
    with here.store.begin() as session:
        add_peer(session, "FAKE", peer.api_root, "t", key=here.key, country="MY")
    return peer


def _run_fake(here: Node, handler: object, **options: object) -> tuple[object, str | None]:
    peer = _fake_peer(here, handler)
    try:
        run = _pull(here, "FAKE", **options)
    finally:
        peer.close()
    return run, _cursor(here.store)


def test_a_peer_that_loops_is_stopped_after_the_first_page(here: Node) -> None:
    def loop(request: Request, call: int) -> Response:
        return envelope([indicator(1), indicator(2)], more=True, nxt="again", first=T0, last=T1)

    run, cursor = _run_fake(here, loop)
    error = run.collections[0].error  # type: ignore[attr-defined]
    assert error and "repeats" in error
    assert _reports(here.store) == 2  # the first page, once
    assert cursor == T0
    with here.store.read() as session:
        peers = list_peers(session)
    assert peers[0].checkpoints[0]["status"] == "error"


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (lambda: envelope([indicator(1)], more=False, nxt=None, first=T0, last=T1,
                          media_type="application/json"), "expected application/taxii+json"),
        (lambda: Response(b'{"objects": {"a": 1}}', media_type="application/taxii+json;version=2.1"),
         "malformed envelope"),
        (lambda: Response(b'{"objects": [', media_type="application/taxii+json;version=2.1"),
         "invalid JSON"),
        (lambda: envelope([{**indicator(1), "id": "indicator--nope"}], more=False, nxt=None,
                          first=T0, last=T1), "is not indicator--<uuid>"),
        (lambda: envelope([indicator(n) for n in range(5)], more=False, nxt=None, first=T0,
                          last=T1), "more than the 3 asked"),
        (lambda: envelope([], more=True, nxt="n", first=T1, last=T1), "more=true on an empty"),
        (lambda: envelope([{**indicator(1), "modified": "2026-10-01T00:00:00Z"}], more=False,
                          nxt=None, first=T0, last=T1), "modified is before created"),
    ],
)  # fmt: skip
def test_bad_pages_are_refused_and_store_nothing(
    here: Node, response: object, message: str
) -> None:
    run, cursor = _run_fake(here, lambda request, call: response(), page_limit=3)  # type: ignore[operator]
    error = run.collections[0].error  # type: ignore[attr-defined]
    assert error and message in error, error
    assert _reports(here.store) == 0
    assert cursor is None


def test_an_oversize_page_is_cut_off(here: Node) -> None:
    def big(request: Request, call: int) -> Response:
        return envelope([indicator(n) for n in range(50)], more=False, nxt=None, first=T0, last=T1)

    run, cursor = _run_fake(here, big, max_page_bytes=2000)
    assert "byte" in run.collections[0].error  # type: ignore[attr-defined]
    assert _reports(here.store) == 0 and cursor is None


def test_a_peer_that_dies_mid_sync_is_resumed_with_nothing_lost_or_doubled(here: Node) -> None:
    stamps = [f"2026-11-28T01:00:00.{n:06d}Z" for n in range(1, 13)]
    alive = threading.Event()

    def pages(request: Request, call: int) -> Response:
        after = request.query_params.get("added_after")
        start = 0 if after is None else next(i for i, s in enumerate(stamps) if s > after)
        if not alive.is_set() and start >= 6:
            return Response(b"gone", status_code=503)
        chunk = list(range(start, min(start + 3, 12)))
        more = chunk[-1] < 11
        return envelope([indicator(n) for n in chunk], more=more, nxt=None,
                        first=stamps[chunk[0]], last=stamps[chunk[-1]])  # fmt: skip

    peer = _fake_peer(here, pages)
    try:
        first = _pull(here, "FAKE")
        assert "HTTP 503" in first.collections[0].error  # type: ignore[attr-defined]
        assert _reports(here.store) == 6
        alive.set()
        second = _pull(here, "FAKE")
        assert second.ok, second.as_dict()  # type: ignore[attr-defined]
    finally:
        peer.close()
    assert _reports(here.store) == 12
    assert all(here.check(phone(n)).verdict == "suspicious" for n in range(12))


def test_newest_modified_wins_and_older_versions_are_ignored(here: Node) -> None:
    import datetime as dt

    v1 = indicator(1, modified=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    v2 = indicator(1, modified=dt.datetime(2026, 11, 3, tzinfo=dt.UTC), revoked=True)
    script = {1: [v1], 2: [v2], 3: [v1]}

    def pages(request: Request, call: int) -> Response:
        return envelope(script.get(call, []), more=False, nxt=None, first=T0, last=T1)

    peer = _fake_peer(here, pages)
    try:
        _pull(here, "FAKE")
        assert here.check(phone(1)).verdict == "suspicious"
        _pull(here, "FAKE")  # the revocation
        assert here.check(phone(1)).verdict == "no_reports"
        run = _pull(here, "FAKE")  # an older version replayed: refused, nothing comes back
        assert run.collections[0].failed == 1  # type: ignore[attr-defined]
    finally:
        peer.close()
    assert here.check(phone(1)).verdict == "no_reports"


def test_peer_tokens_are_sealed_and_never_listed(here: Node, tmp_path: Path) -> None:
    with here.store.begin() as session:
        peer = add_peer(
            session, "TH", "http://127.0.0.1:1/taxii2/api", "tgk_very_secret", key=here.key,
            country="TH",
        )  # fmt: skip
        assert "tgk_very_secret" not in peer.token_sealed
        listed = str([p.as_dict() for p in list_peers(session)])
    assert "tgk_very_secret" not in listed and "127.0.0.1:1/taxii2/api/" in listed
    assert node_key(here.settings) == here.key  # stable across restarts


def test_tangkal_sync_shows_the_error_and_keeps_the_checkpoint(here: Node) -> None:
    def loop(request: Request, call: int) -> Response:
        return envelope([indicator(1), indicator(2)], more=True, nxt="again", first=T0, last=T1)

    peer = _fake_peer(here, loop)
    env = {"TANGKAL_DATABASE_URL": here.store.url, "TANGKAL_DATA_DIR": here.settings.data_dir}
    try:
        out = CliRunner().invoke(main, ["sync", "FAKE"], env=env)
    finally:
        peer.close()
    assert out.exit_code == 1, out.output
    assert "FAKE/asean: 2 objects in 1 pages, 2 stored" in out.stdout
    assert "Error: FAKE/asean: page 2 of asean repeats" in out.stderr
    assert f"(checkpoint kept at {T0})" in out.stderr
    listed = CliRunner().invoke(main, ["peers", "list", "--json"], env=env)
    assert '"status": "error"' in listed.stdout and '"added_after": "' + T0 in listed.stdout


def test_push_retries_with_backoff_until_the_peer_takes_it(here: Node) -> None:
    received: list[int] = []

    def flaky(request: Request, call: int) -> Response:
        if call < 3:
            return Response(b"busy", status_code=503)
        received.append(call)
        status = b'{"id":"s","status":"complete","success_count":3,"total_count":3}'
        return Response(status, media_type="application/taxii+json;version=2.1", status_code=202)

    peer = _fake_peer(here, flaky)
    try:
        ids = [here.report(f"+6281212399{n:03d}", "bank:1", trusted=True,
                           distribution="asean", tlp="GREEN") for n in range(3)]  # fmt: skip
        pusher = Pusher(here.store, node_key=here.key, home_country="ID", backoff=0.01)
        assert pusher.push(ids) == 3
    finally:
        peer.close()
    assert received == [3] and peer.calls == 3 and pusher.failures == []


def test_the_scheduler_pulls_without_being_asked(store: Store, my: Node, tmp_path: Path) -> None:
    here = Node("ID", "ID", "sqlite", tmp_path, interval=1, store=store)
    _pair(here, my, push=False)
    here.start()
    try:
        my.report("+60123456700", "bank:1", trusted=True, distribution="asean", tlp="GREEN")
        deadline = time.monotonic() + 30
        while here.check("+60123456700").verdict == "no_reports" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert here.check("+60123456700").verdict != "no_reports"
    finally:
        here.stop()


def test_cli_peers_add_and_list(here: Node) -> None:
    env = {"TANGKAL_DATABASE_URL": here.store.url, "TANGKAL_DATA_DIR": here.settings.data_dir}
    runner = CliRunner()
    added = runner.invoke(
        main,
        ["peers", "add", "TH", "http://127.0.0.1:1/taxii2/api", "--token", "tgk_cli_secret",
         "--country", "TH", "--collection", "asean"],
        env=env,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Peer TH added: http://127.0.0.1:1/taxii2/api/ (TH)." in added.stdout
    again = runner.invoke(
        main, ["peers", "add", "TH", "http://x/", "--token", "t", "--country", "TH"], env=env
    )
    assert again.exit_code == 2 and "already exists" in again.stderr
    bad = runner.invoke(
        main, ["peers", "add", "XX", "ftp://x/", "--token", "t", "--country", "TH"], env=env
    )
    assert bad.exit_code == 2 and "url" in bad.stderr
    listed = runner.invoke(main, ["peers", "list", "--json"], env=env)
    assert '"collections": [\n      "asean"\n    ]' in listed.stdout
    assert "tgk_cli_secret" not in listed.stdout


def test_read_ahead_keeps_order_hands_on_errors_and_stops_when_the_caller_does() -> None:
    from tangkal.share.client import PeerError
    from tangkal.share.sync import read_ahead

    def page(n: int) -> Page:
        return Page([{"n": n}], True, None, None, None, 0)

    def peer(fail_after: int | None = None) -> Iterator[Page]:
        for n in range(5):
            if n == fail_after:
                raise PeerError(f"page {n} is bad")
            yield page(n)

    assert [p.objects[0]["n"] for p in read_ahead(peer())] == [0, 1, 2, 3, 4]
    got: list[int] = []
    with pytest.raises(PeerError, match="page 2 is bad"):
        for p in read_ahead(peer(fail_after=2)):
            got.append(p.objects[0]["n"])
    assert got == [0, 1]  # everything before the bad page, in order
    produced: list[int] = []

    def counted() -> Iterator[Page]:
        for n in range(1000):
            produced.append(n)
            yield page(n)

    for p in read_ahead(counted()):
        if p.objects[0]["n"] == 1:
            break  # e.g. storing page 1 failed
    time.sleep(0.3)
    assert len(produced) <= 4  # the reader stopped: at most a page or two ahead
    # Stopping while the reader waits to hand on the end of a short read does not hang.
    started = time.monotonic()
    for _ in read_ahead(iter([page(0), page(1)])):
        time.sleep(0.2)  # page 1 and then the end are waiting for a free slot
        break
    assert time.monotonic() - started < 5
