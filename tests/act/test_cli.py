"""``tangkal case``, ``tangkal request`` and ``tangkal evidence`` in-process, on both stores."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tangkal.cli import main
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report


@pytest.fixture
def runner(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    monkeypatch.setenv("TANGKAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("TANGKAL_NODE_NAME", "tangkal-id")
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, (args, result.output, result.stderr)
    return result.stdout


def test_open_a_case_and_move_a_request(
    runner: CliRunner, store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    filed = file_report(store, narrative="Paid https://fake-invest.example.net")
    case_id = run(runner, "case", "open", "--org", "police_id", "--title", "Invest ring",
                  "--network", "N-7", "--report", str(filed.report_id)).strip()  # fmt: skip
    assert case_id.isdigit()
    run(runner, "case", "invite", case_id, "--org", "police_id", "--invite", "police_th")
    listed = json.loads(run(runner, "case", "list", "--org", "police_th"))
    assert [c["id"] for c in listed] == [int(case_id)]
    assert json.loads(run(runner, "case", "list", "--org", "police_my")) == []
    req = json.loads(run(runner, "request", "create", "--org", "police_id", "--case", case_id,
                         "--type", "freeze", "--to", "bank_th", "--subject",
                         "https://fake-invest.example.net", "--currency", "THB",
                         "--amount", "900"))  # fmt: skip
    rid = str(req["id"])
    assert json.loads(run(runner, "request", "move", rid, "submit", "--org", "police_id"))[
        "status"] == "submitted"  # fmt: skip
    # Illegal step, refusal without reason, unknown organisation: clear errors, exit 2 / 3.
    err = runner.invoke(main, ["request", "move", rid, "execute", "--org", "bank_th"])
    assert err.exit_code == 2 and "cannot execute a request that is submitted" in err.stderr
    assert (
        runner.invoke(main, ["request", "move", rid, "refuse", "--org", "bank_th"]).exit_code == 2
    )
    assert runner.invoke(main, ["case", "list", "--org", "nobody"]).exit_code == 3
    inbox = json.loads(run(runner, "request", "list", "--org", "bank_th", "--box", "inbox"))
    assert [r["id"] for r in inbox] == [req["id"]]
    pdf = tmp_path / "freeze.pdf"
    run(runner, "request", "document", rid, "--org", "bank_th", "--lang", "id", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_export_and_verify(runner: CliRunner, cast: dict[str, Actor], tmp_path: Path) -> None:
    case_id = run(runner, "case", "open", "--org", "police_id", "--title", "Export me").strip()
    out = tmp_path / "case.zip"
    printed = run(runner, "case", "export", case_id, "--out", str(out))
    fingerprint = printed.split("fingerprint: ")[1].strip()
    assert fingerprint.startswith("SHA256:")
    assert fingerprint in run(runner, "evidence", "verify", str(out))
    key = tmp_path / "node.pem"
    key.write_bytes(zipfile.ZipFile(out).read("public_key.pem"))
    run(runner, "evidence", "verify", str(out), "--public-key", str(key))
    # One changed byte in case.json: exit 1, naming the file.
    src = zipfile.ZipFile(out)
    tampered = tmp_path / "tampered.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, body.replace(b"Export me", b"Export me!") if name == "case.json"
                         else body)  # fmt: skip
    tampered.write_bytes(buf.getvalue())
    bad = runner.invoke(main, ["evidence", "verify", str(tampered)])
    assert bad.exit_code == 1 and "case.json" in bad.stderr
    # The package of a case this node never opened is not found.
    assert runner.invoke(main, ["case", "export", "999", "--out", str(out)]).exit_code == 3


def test_resolve_a_dispute(runner: CliRunner, store: Store, cast: dict[str, Actor]) -> None:
    from tangkal.act import disputes

    url = "https://cheap-deals.example.com"
    for i in range(2):
        file_report(store, f"citizen:{i}", narrative=f"Scam shop {url} #{i}")
    with store.begin() as s:
        d = disputes.file_dispute(s, url, claimant_name="Owner", claimant_contact="o@example.com",
                                  statement="Mine.")  # fmt: skip
    listed = json.loads(run(runner, "dispute", "list", "--org", "bank_id"))
    assert [x["id"] for x in listed] == [d.id]
    assert "delisted" in run(runner, "dispute", "resolve", str(d.id), "--org", "bank_id",
                             "--outcome", "delist", "--reason", "Registered business.")  # fmt: skip
    again = runner.invoke(main, ["dispute", "resolve", str(d.id), "--org", "bank_id",
                                 "--outcome", "uphold", "--reason", "x"])  # fmt: skip
    assert again.exit_code == 2 and "already delisted" in again.stderr
