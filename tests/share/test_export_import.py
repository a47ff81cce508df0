"""Export for an audience, import bundles and MISP events, push over TAXII: real libraries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_parsed_json
from taxii2client.v21 import Collection

from tangkal.check.lookup import check_many
from tangkal.cli import main
from tangkal.share.stix import EXTENSION_ID
from tangkal.share.taxii_server import MEDIA_TYPE
from tangkal.store import Store
from tests.conftest import LiveServer, clean
from tests.factories import file_report, org_with_token

CONTACT = {"name": "Siti Rahayu", "phone": "+6281398765432", "email": "siti.victim@example.id"}


@pytest.fixture
def runner(store: Store, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    monkeypatch.setenv("TANGKAL_NODE_NAME", "id-node")
    monkeypatch.setenv("TANGKAL_NODE_COUNTRY", "ID")
    return CliRunner()


@pytest.fixture
def filed(store: Store) -> dict[str, str]:
    def one(phone: str, **kw: Any) -> str:
        file_report(
            store, indicators=[{"value": phone, "kind": "phone"}], victim_contact=CONTACT,
            narrative="Investment scam via WhatsApp", typology="investment", **kw,
        )  # fmt: skip
        return phone

    return {
        "asean": one("+6281211110001", distribution="asean", tlp="GREEN"),
        "partners": one("+6281211110002", distribution="partners", tlp="AMBER"),
        "public": one("+6281211110003", distribution="public", tlp="CLEAR"),
        "national": one("+6281211110004", distribution="national", tlp="GREEN"),
        "red": one("+6281211110005", distribution="public", tlp="RED"),
    }


def _export(runner: CliRunner, tmp_path: Path, fmt: str, audience: str) -> str:
    out = tmp_path / f"export.{fmt}"
    res = runner.invoke(
        main, ["export", "--format", fmt, "--audience", audience, "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    return out.read_text()


def _values(bundle: dict[str, Any]) -> set[str]:
    return {
        o["extensions"][EXTENSION_ID]["value"]
        for o in bundle["objects"]
        if o["type"] == "indicator"
    }


@pytest.mark.parametrize(
    ("audience", "expected"),
    [("asean", {"asean", "partners", "public"}), ("partners", {"partners", "public"}),
     ("public", {"public"})],
)  # fmt: skip
def test_stix_export_follows_the_policy_and_validates(
    runner: CliRunner, tmp_path: Path, filed: dict[str, str], audience: str, expected: set[str]
) -> None:
    text = _export(runner, tmp_path, "stix", audience)
    bundle = json.loads(text)
    assert _values(bundle) == {filed[k] for k in expected}
    report = validate_parsed_json(bundle, ValidationOptions(version="2.1"))
    assert report.is_valid, [str(e) for e in report.errors]
    for secret in CONTACT.values():
        assert secret not in text  # victim contact data never leaves the node


def test_misp_export_loads_in_pymisp_and_csv_has_a_row_per_indicator(
    runner: CliRunner, tmp_path: Path, filed: dict[str, str]
) -> None:
    text = _export(runner, tmp_path, "misp", "asean")
    event = MISPEvent()
    event.load(text)
    values = {a.value for a in event.attributes}
    assert values == {filed["asean"], filed["partners"], filed["public"]}
    assert {a.type for a in event.attributes} == {"phone-number"}
    assert any(t.name == "tlp:amber" for a in event.attributes for t in a.tags)
    rows = _export(runner, tmp_path, "csv", "partners").splitlines()
    assert rows[0].startswith("stix_id,kind,value")
    assert sorted(r.split(",")[2] for r in rows[1:]) == sorted([filed["partners"], filed["public"]])
    for secret in CONTACT.values():
        assert secret not in text and secret not in "\n".join(rows)


def _evidence(store: Store, value: str) -> dict[str, Any]:
    with store.read() as session:
        return check_many(session, [value], None)[0].as_dict()["evidence"]  # type: ignore[no-any-return]


def test_import_roundtrip_is_idempotent_and_newest_wins(
    store: Store, runner: CliRunner, tmp_path: Path, filed: dict[str, str]
) -> None:
    bundle = json.loads(_export(runner, tmp_path, "stix", "asean"))
    clean(store)  # a fresh node receives the file
    org_with_token(store, "PDRM", "peer", country="MY")
    path = tmp_path / "in.json"
    path.write_text(json.dumps(bundle))
    first = runner.invoke(main, ["import-stix", str(path), "--org", "PDRM", "--json"])
    assert first.exit_code == 0, first.output
    ev = _evidence(store, filed["asean"])
    assert ev["reports"] == 1 and ev["countries"] == ["ID"]
    again = runner.invoke(main, ["import-stix", str(path), "--org", "PDRM", "--json"])
    assert again.exit_code == 0
    assert "already imported" in again.output
    assert _evidence(store, filed["asean"])["reports"] == 1
    # A newer version that revokes the value withdraws the peer's report.
    ind = next(o for o in bundle["objects"] if o["type"] == "indicator"
               and o["extensions"][EXTENSION_ID]["value"] == filed["asean"])  # fmt: skip
    newer = {**ind, "modified": "2099-01-01T00:00:00.000000Z", "revoked": True}
    path.write_text(json.dumps({"type": "bundle", "id": bundle["id"], "objects": [newer]}))
    assert runner.invoke(main, ["import-stix", str(path), "--org", "PDRM"]).exit_code == 0
    assert _evidence(store, filed["asean"])["reports"] == 0
    # The older version, replayed late, is refused and changes nothing.
    path.write_text(json.dumps({"type": "bundle", "id": bundle["id"], "objects": [ind]}))
    late = runner.invoke(main, ["import-stix", str(path), "--org", "PDRM"])
    assert late.exit_code == 2 and "older than the stored version" in late.output
    assert _evidence(store, filed["asean"])["reports"] == 0


def test_bad_bundles_are_refused_whole(
    store: Store, runner: CliRunner, tmp_path: Path, filed: dict[str, str]
) -> None:
    org_with_token(store, "PDRM", "peer", country="MY")
    good = json.loads(_export(runner, tmp_path, "stix", "public"))
    path = tmp_path / "bad.json"
    cases = {
        "{not json": "not JSON",
        json.dumps({"type": "report", "objects": []}): "expected a bundle",
        json.dumps({"type": "bundle", "objects": []}): "non-empty",
    }
    for text, message in cases.items():
        path.write_text(text)
        res = runner.invoke(main, ["import-stix", str(path), "--org", "PDRM"])
        assert res.exit_code == 2 and message in res.output, res.output
    new_value = "+6281299990001"
    ind = {**next(o for o in good["objects"] if o["type"] == "indicator")}
    ind["id"] = "indicator--0b6f1c1e-8a59-4b53-9a33-2a0c8a3b8f10"
    ind["extensions"] = {}
    ind["pattern"] = f"[phone-number:value = '{new_value}']"
    for poison in (
        {"type": "x-unknown-thing", "id": "x-unknown-thing--0b6f1c1e-8a59-4b53-9a33-2a0c8a3b8f11"},
        {**ind, "id": "indicator--0b6f1c1e-8a59-4b53-9a33-2a0c8a3b8f12", "pattern": "[phone-number:value = "},
    ):  # fmt: skip
        path.write_text(json.dumps({"type": "bundle", "objects": [ind, poison]}))
        res = runner.invoke(main, ["import-stix", str(path), "--org", "PDRM"])
        assert res.exit_code == 2 and "nothing imported" in res.output, res.output
        assert _evidence(store, new_value)["reports"] == 0  # the good object was not kept


def test_misp_event_import(store: Store, runner: CliRunner, tmp_path: Path) -> None:
    org_with_token(store, "PDRM", "peer", country="MY")
    event = MISPEvent()
    event.info = "Mule accounts"
    event.add_attribute("phone-number", "+60123456789")
    event.add_attribute("bank-account-nr", "1234567890123")
    event.add_attribute("comment", "seen in a Telegram group")
    event.add_tag("tlp:green")
    path = tmp_path / "event.json"
    path.write_text(event.to_json())
    res = runner.invoke(main, ["import-misp", str(path), "--org", "PDRM"])
    assert res.exit_code == 0, res.output
    assert _evidence(store, "+60123456789")["countries"] == ["MY"]
    assert _evidence(store, "+60123456789")["reports"] == 1


def test_taxii_push_becomes_a_partner_report(
    store: Store, server: LiveServer, client: httpx.Client, runner: CliRunner, tmp_path: Path,
    filed: dict[str, str],
) -> None:  # fmt: skip
    bundle = json.loads(_export(runner, tmp_path, "stix", "asean"))
    clean(store)
    _, token = org_with_token(store, "PDRM", "peer", country="MY", trusted=True)
    coll = Collection(f"{server.url}/taxii2/api/collections/asean/", user="PDRM", password=token)
    status = coll.add_objects({"objects": bundle["objects"]})
    assert status.status == "complete"
    assert status.failure_count == 0 and status.success_count == len(bundle["objects"])
    ev = _evidence(store, filed["asean"])
    assert ev["reports"] == 1 and ev["trusted_reporters"] == 1
    # The status resource is kept and readable by the poster.
    got = client.get(
        f"/taxii2/api/status/{status.id}/",
        headers={"Accept": MEDIA_TYPE, "Authorization": f"Bearer {token}"},
    ).json()
    assert got["success_count"] == status.success_count
    # Per-object failures are reported, not hidden; RED from a peer is never accepted.
    ind = next(o for o in bundle["objects"] if o["type"] == "indicator")
    red = {
        **ind,
        "id": "indicator--0b6f1c1e-8a59-4b53-9a33-2a0c8a3b8f13",
        "object_marking_refs": ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"],
    }
    odd = {"type": "x-odd", "id": "x-odd--0b6f1c1e-8a59-4b53-9a33-2a0c8a3b8f14"}  # fmt: skip
    status = coll.add_objects({"objects": [red, odd]})
    assert status.failure_count == 2
    messages = " ".join(f["message"] for f in status.failures)
    assert "TLP:RED" in messages and "unknown object type" in messages
