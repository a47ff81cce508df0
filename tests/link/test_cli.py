"""``tangkal link`` and ``tangkal networks``, in-process against real stores."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tangkal.cli import main
from tangkal.store import Store
from tests.link.build import account, file, phone


@pytest.fixture
def runner(store: Store, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    monkeypatch.delenv("TANGKAL_LINK_DEGREE_CAP", raising=False)
    return CliRunner()


def _json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_link_and_networks_with_every_filter(store: Store, runner: CliRunner) -> None:
    with store.begin() as session:
        a = file(session, [phone(1)], link=False, country="ID")
        b = file(session, [phone(1)], link=False, country="MY")
        c = file(session, [account(5, "ID")], link=False, country="ID")
        d = file(session, [account(5, "ID")], link=False, country="ID")
        e = file(session, [account(5, "ID")], link=False, country="ID")
    assert _json(runner, "networks", "--json") == []
    done = _json(runner, "link", "--json")
    assert isinstance(done, dict) and done["networks"] == 2 and done["members"] == 5

    nets = _json(runner, "networks", "--json", "--members")
    assert isinstance(nets, list)
    assert [(n["reports"], n["members"]) for n in nets] == [(3, [c, d, e]), (2, [a, b])]
    cross = _json(runner, "networks", "--cross-border", "--json")
    assert [n["reports"] for n in cross] == [2]  # type: ignore[union-attr]
    assert len(_json(runner, "networks", "--country", "MY", "--json")) == 1  # type: ignore[arg-type]
    assert len(_json(runner, "networks", "--min-reports", "3", "--json")) == 1  # type: ignore[arg-type]

    shown = _json(runner, "networks", nets[0]["id"], "--json")
    assert isinstance(shown, dict) and shown["victims"] == {"ID": 3}
    text = runner.invoke(main, ["networks", "--members"])
    assert text.exit_code == 0 and nets[0]["id"] in text.output
    assert f"reports: {c} {d} {e}" in text.output


def test_unknown_network_and_bad_country_are_clear_errors(runner: CliRunner) -> None:
    missing = runner.invoke(main, ["networks", "N-AAAAAAAA"])
    assert missing.exit_code == 3 and "no network N-AAAAAAAA" in missing.output
    bad = runner.invoke(main, ["networks", "--country", "XX"])
    assert bad.exit_code == 2


def test_degree_cap_zero_is_answered_clearly(
    store: Store, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.begin() as session:
        file(session, [phone(1)], link=False)
        file(session, [phone(1)], link=False)
    monkeypatch.setenv("TANGKAL_LINK_DEGREE_CAP", "0")
    result = runner.invoke(main, ["link"])
    assert result.exit_code == 0
    assert "degree cap is 0: no value links reports" in result.output
    assert _json(runner, "networks", "--json") == []
