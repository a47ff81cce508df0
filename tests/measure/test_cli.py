"""``tangkal report``, ``tangkal stats`` and ``tangkal measure refresh`` in-process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tangkal.cli import main
from tangkal.store import Store
from tests.measure.dataset import build


@pytest.fixture
def runner(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    monkeypatch.setenv("TANGKAL_DATA_DIR", str(tmp_path / "var"))
    return CliRunner()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == code, (args, result.output)
    return result.stdout


def test_the_monthly_brief_as_pdf_and_html(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    build(store)
    pdf = tmp_path / "brief.pdf"
    assert "2026-10" in run(runner, "report", "--period", "2026-10", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Online scams, 2026-10: ASEAN region" in text
    assert "investment 6 0" in text  # six reports this month, none the month before
    assert "MY TH <5" in text  # two Malaysian victims: suppressed
    html = tmp_path / "brief.html"
    run(runner, "report", "--period", "2026-10", "--country", "ID", "--out", str(html))
    page = html.read_text("utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert "Online scams, 2026-10: ID" in page and "<td>investment</td><td>6</td>" in page
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def refused(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 2, (args, result.output)
    return result.output


def test_brief_bad_input(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    out = str(tmp_path / "b.pdf")
    assert "period" in refused(runner, "report", "--period", "October", "--out", out)
    assert "not begun" in refused(runner, "report", "--period", "2999-01", "--out", out)
    assert "country" in refused(
        runner, "report", "--period", "2026-10", "--country", "XX", "--out", out
    )
    assert "out" in refused(runner, "report", "--period", "2026-10", "--out", "b.docx")
    empty = tmp_path / "empty.pdf"  # an empty store still gives a brief, saying so
    run(runner, "report", "--period", "2026-10", "--out", str(empty))
    assert "no reports in this range" in PdfReader(empty).pages[0].extract_text()


def test_stats_json_csv_and_refresh(runner: CliRunner, store: Store) -> None:
    build(store)
    body = json.loads(
        run(
            runner,
            "stats",
            "volumes",
            "--since",
            "2026-09",
            "--until",
            "2026-10",
            "--by",
            "country",
        )
    )
    assert {(r["period"], r["key"]): r["reports"] for r in body["rows"]}[("2026-10", "MY")] == "<5"
    exact = json.loads(
        run(
            runner,
            "stats",
            "volumes",
            "--since",
            "2026-09",
            "--until",
            "2026-10",
            "--by",
            "country",
            "--exact",
        )
    )
    assert {(r["period"], r["key"]): r["reports"] for r in exact["rows"]}[("2026-10", "MY")] == 2
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(runner, "stats", "flows", "--since", "2026-09", "--until", "2026-10", "--csv")
            )
        )
    )
    assert rows[0]["reports"] == "6"
    assert "Rebuilt" in run(runner, "measure", "refresh")
    assert "already current" in run(runner, "measure", "refresh")
    again = json.loads(run(runner, "measure", "refresh", "--full", "--json"))
    assert again["full"] is True
    assert (
        json.loads(
            run(
                runner,
                "stats",
                "volumes",
                "--since",
                "2026-09",
                "--until",
                "2026-10",
                "--by",
                "country",
            )
        )
        == body
    )
    assert "granularity" in refused(
        runner, "stats", "volumes", "--since", "2000-01-01", "--granularity", "day"
    )
