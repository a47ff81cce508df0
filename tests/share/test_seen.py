""" "Seen elsewhere?": keyed hashes travel, values do not; the policy still applies."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tangkal.access.tokens import add_organisation, create_token
from tangkal.audit.models import AuditEvent
from tangkal.cli import main
from tangkal.config import Secret
from tangkal.share.seen import ask_peers, current_epochs, epoch_key, node_url, token
from tangkal.store import Store
from tests.share.federation import Node


@pytest.fixture
def here(store: Store, tmp_path: Path) -> Node:
    return Node("ID", "ID", "sqlite", tmp_path, store=store)


@pytest.fixture
def my(tmp_path: Path) -> Iterator[Node]:
    node = Node("MY", "MY", "sqlite", tmp_path).start()
    yield node
    node.close()


def _ask(here: Node, value: str, secret: str = "regional-test-secret") -> dict[str, object]:
    with here.store.begin() as session:
        answers = ask_peers(session, value, None, node_key=here.key, regional_secret=Secret(secret))
    assert len(answers) == 1
    return answers[0].as_dict()


def _pair(here: Node, my: Node) -> str:
    """Register MY at ID; return the token MY issued to ID."""
    here.peer_token("MY", "MY")
    issued = my.peer_token("ID", "ID")
    here.add_peer(my, issued)
    return issued


def test_a_value_held_by_a_peer_is_seen_without_sending_it(here: Node, my: Node) -> None:
    _pair(here, my)
    value = "+60123457001"
    my.report(value, "citizen:1", distribution="asean", tlp="GREEN")
    my.report(value, "citizen:2", distribution="asean", tlp="GREEN")
    got = _ask(here, value)
    assert got["seen"] is True, got
    answer = got["answers"][0]  # type: ignore[index]
    assert answer["reports"] == 2 and answer["reporters"] == 2 and answer["countries"] == ["MY"]
    # Neither node wrote the value into its audit trail; the question is recorded on both.
    for node in (here, my):
        with node.store.read() as session:
            events = session.scalars(select(AuditEvent)).all()
        assert value not in str([(e.object_id, e.details) for e in events])
        assert {"seen.ask", "seen.answer"} & {e.action for e in events}


def test_unknown_national_and_foreign_key_values_are_not_seen(here: Node, my: Node) -> None:
    _pair(here, my)
    my.report("+60123457002", "bank:1", trusted=True, distribution="national", tlp="GREEN")
    my.report("+60123457003", "bank:1", trusted=True, distribution="asean", tlp="GREEN")
    assert _ask(here, "+60123457002")["seen"] is False  # national: never leaves MY
    assert _ask(here, "+60123457099")["seen"] is False  # MY holds nothing on it
    assert _ask(here, "+60123457003")["seen"] is True
    # A node keyed with another secret learns nothing, even about a held value.
    assert _ask(here, "+60123457003", secret="not-the-region")["seen"] is False


def test_the_token_is_an_hmac_under_the_month_key() -> None:
    key = epoch_key(Secret("s"), "2026-11")
    assert key != epoch_key(Secret("s"), "2026-12")
    expected = hmac.new(key, b"phone:+60123457001", hashlib.sha256).hexdigest()
    assert token(key, "phone", "+60123457001") == expected
    assert node_url("http://h:1/taxii2/api/") == "http://h:1/"


def test_bad_questions_are_refused_naming_the_field(my: Node) -> None:
    issued = my.peer_token("ID", "ID")
    with my.store.begin() as session:
        bank = add_organisation(session, "Bank MY", "MY", "bank")
        reporter = create_token(session, bank, "reporter")
    epoch = current_epochs()[0]
    url = f"{my.server.url}/api/v1/seen"  # type: ignore[union-attr]
    auth = {"Authorization": f"Bearer {issued}"}
    good = "a" * 64
    cases = [
        ({"epoch": "2001-01", "tokens": [good]}, 422, "epoch"),
        ({"epoch": "11-2026", "tokens": [good]}, 422, "epoch"),
        ({"epoch": epoch, "tokens": []}, 422, "tokens"),
        ({"epoch": epoch, "tokens": ["+60123457001"]}, 422, "tokens.0"),
        ({"epoch": epoch, "tokens": [good], "value": "+601"}, 422, "value"),
        ({"epoch": epoch, "tokens": [good] * 1001}, 422, "tokens"),
    ]
    with httpx.Client(timeout=30) as http:
        for body, status, field in cases:
            resp = http.post(url, json=body, headers=auth)
            assert resp.status_code == status, (body, resp.text)
            assert resp.json()["field"] == field
        assert http.post(url, json={"epoch": epoch, "tokens": [good]}).status_code == 401
        as_reporter = {"Authorization": f"Bearer {reporter}"}
        denied = http.post(url, json={"epoch": epoch, "tokens": [good]}, headers=as_reporter)
        assert denied.status_code == 403
        ok = http.post(url, json={"epoch": epoch, "tokens": [good]}, headers=auth)
        assert ok.status_code == 200 and ok.json()["answers"] == []


def test_cli_seen(here: Node, my: Node, tmp_path: Path) -> None:
    _pair(here, my)
    my.report("+60123457004", "bank:1", trusted=True, distribution="asean", tlp="GREEN")
    env = {
        "TANGKAL_DATABASE_URL": here.store.url,
        "TANGKAL_DATA_DIR": here.settings.data_dir,
        "TANGKAL_REGIONAL_SECRET": "regional-test-secret",
    }
    runner = CliRunner()
    out = runner.invoke(main, ["seen", "+60 12-345 7004"], env=env)
    assert out.exit_code == 0, out.output
    assert "MY (MY): SEEN — 1 reports" in out.output
    listed = runner.invoke(main, ["peers", "list"], env=env)
    assert listed.exit_code == 0 and "MY" in listed.output and "tgk_" not in listed.output
