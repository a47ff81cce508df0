"""Evidence packages: any change to any file, a removed or added file, a forged signature."""

from __future__ import annotations

import base64
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from stix2validator import ValidationOptions, validate_parsed_json

from tangkal.act import cases, requests
from tangkal.act.evidence import (
    KEY_FILE,
    export_case,
    fingerprint,
    public_pem,
    signing_key,
    verify_package,
)
from tangkal.errors import IntegrityFailure, NotFound
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report


def build(store: Store, cast: dict[str, Actor], data_dir: Path) -> bytes:
    police = cast["police_id"]
    filed = file_report(store, narrative="Paid to https://scam-shop.example.com/pay today")
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Syndicate", report_ids=[filed.report_id])
        cases.add_evidence(s, police.who, case.id, "screenshot.png", b"\x89PNG fake",
                           data_dir=data_dir)  # fmt: skip
        req = requests.create_request(s, police.who, case.id, "freeze", cast["bank_th"].org_id,
                                      currency="THB", amount_requested="10", language="id")  # fmt: skip
        requests.transition(s, police.who, req.id, "submit")
        return export_case(s, police.who, case.id, data_dir=data_dir, node="tangkal-id").data


def rewrite(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The same package with some members replaced (bytes), removed (None) or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            body = change.get(name, src.read(name))
            if body is not None:
                dst.writestr(name, body)
        for name, body in change.items():
            if name not in src.namelist() and body is not None:
                dst.writestr(name, body)
    return out.getvalue()


def names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_an_intact_package_verifies(store: Store, cast: dict[str, Actor], tmp_path: Path) -> None:
    data = build(store, cast, tmp_path)
    assert set(names(data)) >= {
        "manifest.json", "manifest.sig", "public_key.pem", "case.json", "stix/bundle.json",
        "attachments/1-screenshot.png", "documents/request-1-freeze-id.html",
        "documents/request-1-freeze-id.pdf", "documents/request-1-freeze-en.pdf",
    }  # fmt: skip
    result = verify_package(data)
    assert result.fingerprint == fingerprint(signing_key(tmp_path).public_key())
    bundle = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("stix/bundle.json"))
    report = validate_parsed_json(bundle, ValidationOptions(version="2.1"))
    assert report.is_valid, [str(e) for e in report.errors]
    patterns = [o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"]
    assert "[url:value = 'https://scam-shop.example.com/pay']" in patterns
    # The key was made on first use, readable by its owner only.
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


def test_every_single_byte_change_is_named(
    store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    data = build(store, cast, tmp_path)
    zf = zipfile.ZipFile(io.BytesIO(data))
    for name in zf.namelist():
        body = bytearray(zf.read(name))
        for at in sorted({0, len(body) // 2, len(body) - 1}):
            changed = bytearray(body)
            changed[at] ^= 0x01
            with pytest.raises(IntegrityFailure) as err:
                verify_package(rewrite(data, {name: bytes(changed)}))
            # The signed files fail the signature (or the key fails to load); others are named.
            assert name in str(err.value) or err.value.field in ("manifest.sig", "public_key")


def test_a_removed_or_added_file_is_named(
    store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    data = build(store, cast, tmp_path)
    for name in names(data):
        with pytest.raises(IntegrityFailure) as err:
            verify_package(rewrite(data, {name: None}))
        assert name in str(err.value)
    with pytest.raises(IntegrityFailure) as err:
        verify_package(rewrite(data, {"attachments/99-extra.txt": b"planted"}))
    assert "attachments/99-extra.txt" in str(err.value) and "added" in str(err.value)


def test_a_forged_signature_is_refused(
    store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    data = build(store, cast, tmp_path)
    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    manifest["files"]["case.json"] = "0" * 64
    forged_manifest = json.dumps(manifest).encode()
    # A forger without the node's key signs with their own, and swaps the bundled key.
    forger = Ed25519PrivateKey.generate()
    forged = rewrite(data, {
        "manifest.json": forged_manifest,
        "manifest.sig": base64.b64encode(forger.sign(forged_manifest)),
    })  # fmt: skip
    with pytest.raises(IntegrityFailure) as err:
        verify_package(forged)
    assert err.value.field == "manifest.sig"
    swapped = rewrite(forged, {"public_key.pem": public_pem(forger.public_key())})
    # Against the node's real key, obtained out of band, the swap is caught too.
    real = public_pem(signing_key(tmp_path).public_key())
    with pytest.raises(IntegrityFailure) as err:
        verify_package(swapped, real)
    assert err.value.field == "manifest.sig"
    assert verify_package(data, real).case_id == 1


def test_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(IntegrityFailure):
        verify_package(b"PK\x03\x04 not really")


def test_only_members_export(store: Store, cast: dict[str, Actor], tmp_path: Path) -> None:
    with store.begin() as s:
        case = cases.open_case(s, cast["police_id"].who, "Private")
    with store.begin() as s, pytest.raises(NotFound):
        export_case(s, cast["police_th"].who, case.id, data_dir=tmp_path, node="n")


def test_an_attachment_changed_on_disk_is_not_exported(
    store: Store, cast: dict[str, Actor], tmp_path: Path
) -> None:
    police = cast["police_id"]
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Disk")
        row = cases.add_evidence(s, police.who, case.id, "a.txt", b"original", data_dir=tmp_path)
    (tmp_path / row.path).write_bytes(b"tampered")
    with store.begin() as s, pytest.raises(IntegrityFailure):
        export_case(s, police.who, case.id, data_dir=tmp_path, node="n")
