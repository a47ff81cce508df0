"""benchmarks/fresh_extract.py: precision and recall of extraction on a set of two lines."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "fresh_extract.py"

# From test_extract: the account is found with its bank, the OTP is not.
ACCOUNT = "Rek BCA 1234567890 a.n. Budi, kode OTP 482913"
# The e-mail is found but not written down; the Telegram handle is written but not in the text.
EMAIL = "Questions? Write to support@Crypto-Win.io today"


def _load() -> ModuleType:
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))  # it imports its sibling fresh_sets, as when run
    spec = importlib.util.spec_from_file_location("fresh_extract", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fresh_extract"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _write(tmp_path: Path, bank: str) -> Path:
    lines: list[dict[str, Any]] = [
        {
            "text": ACCOUNT,
            "lang": "id",
            "country": "id",  # lower case: checked and upper-cased as the API does
            "expected": [{"kind": "bank_account", "value": "1234567890", "bank": bank}],
        },
        {
            "text": EMAIL,
            "lang": "en",
            "country": None,
            "expected": [{"kind": "social_handle", "value": "telegram:cryptoking88"}],
        },
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def _counts(counts: Any) -> tuple[int, int, int]:
    return counts.expected, counts.found, counts.true_positives


def test_one_hit_one_miss_one_spurious(tmp_path: Path) -> None:
    fresh = _load()
    result = fresh.figures(["tiny"], fixtures=_write(tmp_path, "BCA").parent)
    assert result.messages == 2
    assert list(result.languages) == ["id", "en"]  # the docs' language order
    assert _counts(result.languages["id"]) == (1, 1, 1)
    assert _counts(result.languages["en"]) == (1, 1, 0)
    assert list(result.kinds) == ["email", "bank_account", "social_handle"]
    assert _counts(result.kinds["bank_account"]) == (1, 1, 1)
    assert _counts(result.kinds["social_handle"]) == (1, 0, 0)
    assert _counts(result.kinds["email"]) == (0, 1, 0)
    assert _counts(result.total) == (2, 2, 1)
    assert (result.total.precision, result.total.recall, result.total.f1) == (0.5, 0.5, 0.5)
    assert result.kinds["social_handle"].precision is None  # nothing found: no precision
    assert [(p.line, p.kind, p.value) for p in result.missed] == [
        (2, "social_handle", "telegram:cryptoking88")
    ]
    assert [(p.line, p.kind, p.value) for p in result.spurious] == [
        (2, "email", "support@crypto-win.io")
    ]
    assert (result.bank_named, result.bank_agree, result.bank_mismatches) == (1, 1, [])


def test_bank_disagreement_is_listed(tmp_path: Path) -> None:
    fresh = _load()
    result = fresh.figures([str(_write(tmp_path, "BRI"))])
    assert _counts(result.kinds["bank_account"]) == (1, 1, 1)  # the pair still matches
    assert (result.bank_named, result.bank_agree) == (1, 0)
    assert [(m.line, m.expected, m.found) for m in result.bank_mismatches] == [(1, "BRI", "BCA")]


def test_report_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = _load()
    path = _write(tmp_path, "BCA")
    text = fresh.report(fresh.figures([str(path)]))
    assert "| Indonesian | 1 | 1 | 1 | 1.000 | 1.000 | 1.000 |" in text
    assert "| English | 1 | 1 | 0 | 0.000 | 0.000 | 0.000 |" in text
    assert "| social_handle | 1 | 0 | 0 | — | 0.000 | — |" in text
    assert "Bank named as written, for the bank accounts found: 1/1" in text
    assert "- tiny:2 en social_handle telegram:cryptoking88" in text
    assert "- tiny:2 en email support@crypto-win.io" in text
    assert fresh.main([str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == {
        "expected": 2,
        "found": 2,
        "true_positives": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }
    assert out["banks"] == {"named": 1, "agree": 1, "mismatches": []}
    assert [(p["line"], p["kind"]) for p in out["spurious"]] == [(2, "email")]
