"""benchmarks/fresh_sets.py: the per-language table of hand-written sets, on a set of three lines."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "fresh_sets.py"

NOTICE = "Your WhatsApp code: 512-880. Don't share this code with others."
SCAM = (
    "URGENT: your BCA account is blocked. Verify now at bca-verify-login.top and transfer "
    "Rp 500.000 to rekening 1234567890 a.n. BUDI to unblock, or your account is closed today."
)
BLAND = "Hi, are you free for lunch tomorrow?"  # written as a scam: too bland to catch


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fresh_sets", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fresh_sets"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def three_lines(tmp_path: Path) -> Path:
    lines = [
        {"text": NOTICE, "lang": "en", "kind": "notice", "category": "otp", "sender": "WhatsApp"},
        {"text": SCAM, "lang": "id", "typology": "phishing_credentials"},
        {"text": BLAND, "lang": "en", "label": "scam", "typology": "romance"},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def test_counts_per_language_and_lists_the_errors(three_lines: Path) -> None:
    fresh_sets = _load()
    result = fresh_sets.figures(["tiny"], fixtures=three_lines.parent)
    assert list(result.rows) == ["id", "en"]  # the docs' language order
    en, id_ = result.rows["en"], result.rows["id"]
    assert (en.notices, en.flagged, en.scams, en.caught) == (1, 0, 1, 0)
    assert (id_.notices, id_.scams, id_.caught) == (0, 1, 1)
    total = result.total()
    assert (total.notices, total.scams, total.caught) == (1, 2, 1)
    assert result.flagged == []
    assert [e.text for e in result.missed] == [BLAND]
    assert result.missed[0].expected == "romance"
    assert result.missed[0].set == "tiny"
    # Every flagged notice would be listed: with the threshold at 0 the notice is one.
    everything = fresh_sets.figures([str(three_lines)], threshold=0.0)
    assert [(e.lang, e.sender) for e in everything.flagged] == [("en", "WhatsApp")]
    assert everything.missed == []


def test_report_and_json(three_lines: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh_sets = _load()
    text = fresh_sets.report(fresh_sets.figures([str(three_lines)]))
    assert "| English | 0/1 (0.0 %) | 0/1 |" in text
    assert "| **all** | 0/1 (0.0 %) | 1/2 |" in text
    assert "Missed scams (1):" in text
    assert fresh_sets.main([str(three_lines), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"]["scams"] == 2
    assert out["rows"]["en"]["notices"] == 1
    assert [e["text"] for e in out["missed"]] == [BLAND]


def test_third_fresh_set_shape() -> None:
    """notices_fresh3 / scams_fresh3 (session 9): 30 notices and 15 scams per language."""
    fixtures = SCRIPT.parent.parent / "tests" / "detect" / "fixtures"
    notices = [
        json.loads(x) for x in (fixtures / "notices_fresh3.jsonl").read_text("utf-8").splitlines()
    ]
    scams = [
        json.loads(x) for x in (fixtures / "scams_fresh3.jsonl").read_text("utf-8").splitlines()
    ]
    typologies = {
        "investment", "job_task", "romance", "impersonation_official", "impersonation_business",
        "phishing_credentials", "ecommerce", "loan_app", "lottery_prize", "sextortion",
        "malware_apk", "account_takeover", "other",
    }  # fmt: skip
    for language in ("id", "ms", "th", "vi", "tl", "en", "km", "my", "lo"):
        assert sum(c["lang"] == language for c in notices) == 30, language
        mine = [c["typology"] for c in scams if c["lang"] == language]
        assert len(mine) == 15, language
        assert set(mine) == typologies, language
    assert all(c["kind"] == "notice" and c["category"] and c["sender"] for c in notices)
    assert len({c["text"] for c in notices + scams}) == 405
