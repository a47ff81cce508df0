"""The ``detect`` command group on a tiny hand-written stand-in for ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tangkal.cli.detect import detect
from tangkal.detect.linear import load_model
from tangkal.detect.pipeline import train_all

DATA = Path(__file__).parent / "fixtures" / "data"
NOTICES = Path(__file__).parent / "fixtures" / "legit_notices.txt"


def test_evaluate_prints_json_report() -> None:
    result = CliRunner().invoke(
        detect, ["evaluate", "--data", str(DATA), "--notices", str(NOTICES), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    sets = report["messages"]["sets"]
    # Thai fixture rows are one template each, so grouping puts each template on one side.
    assert {"id_fraud", "en_uci"} <= set(sets)
    assert set(next(iter(sets.values()))) == {"model", "naive_bayes"}
    assert {"random_by_url", "host_disjoint"} == set(report["urls"])
    lines = NOTICES.read_text("utf-8").splitlines()
    assert report["messages"]["legit_notices"]["hand_written"]["n"] == len(lines) > 18


def test_evaluate_validation_scores_validation_groups_of_the_training_part() -> None:
    from tangkal.detect.corpus import read_messages
    from tangkal.detect.split import group_ids, is_held_out, is_validation

    result = CliRunner().invoke(detect, ["evaluate", "--data", str(DATA), "--validation", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"messages"}
    assert report["messages"]["part"] == "validation"
    groups = group_ids([e.text for e in read_messages(DATA)])
    scored = sum(1 for g in groups if is_validation(g) and not is_held_out(g))
    assert 0 < scored < len(groups)
    assert sum(m["model"]["n"] for m in report["messages"]["sets"].values()) == scored


def test_evaluate_prints_table() -> None:
    result = CliRunner().invoke(detect, ["evaluate", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "naive_bayes" in result.stdout


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(detect, ["train", "--data", str(tmp_path / "absent")])
    assert result.exit_code == 2


def test_training_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    train_all(DATA, lambda _: None, first)
    train_all(DATA, lambda _: None, second)
    names = (
        "models/message.npz",
        "models/message_th.npz",
        "models/link.npz",
        "models/link_trees.npz",
    )
    for name in (*names, "data/popular_domains.txt.gz"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert load_model((first / "models/message.npz").read_bytes()).meta["threshold"] == 0.5
    thai = load_model((first / "models/message_th.npz").read_bytes())
    assert thai.meta["language"] == "th"
    assert not (first / "models/message_vi.npz").exists()  # the fixture has no Vietnamese set
