"""The ``detect`` command group on a tiny hand-written stand-in for ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    assert report["messages"]["synthetic_trained"] > 0
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


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full training run on the fixture data (slow: shared by the tests below)."""
    out = tmp_path_factory.mktemp("full")
    train_all(DATA, lambda _: None, out)
    return out


def test_training_is_reproducible(tmp_path: Path, full_run: Path) -> None:
    first, second = full_run, tmp_path / "b"
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


def test_the_joint_message_model_is_trained_on_the_synthetic_notices_too(full_run: Path) -> None:
    from tangkal.detect.corpus import read_messages
    from tangkal.detect.train import synthetic_examples

    joint = load_model((full_run / "models/message.npz").read_bytes())
    real, synthetic = len(read_messages(DATA)), len(synthetic_examples())
    assert synthetic > 0
    assert joint.meta["n_train"] == real + synthetic
    thai = load_model((full_run / "models/message_th.npz").read_bytes())
    assert thai.meta["n_train"] < real  # the companion reads its own set only


MESSAGE_FILES = ("models/message.npz", "models/message_th.npz", "models/cues.npz")
LINK_FILES = ("models/link.npz", "models/link_trees.npz", "data/popular_domains.txt.gz")


def test_training_only_the_messages_writes_the_full_runs_message_files(
    tmp_path: Path, full_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tangkal.detect.pipeline as pipeline

    full, messages = full_run, tmp_path / "messages"
    monkeypatch.setattr(pipeline, "package_dir", lambda: messages)  # not the shipped files
    result = CliRunner().invoke(detect, ["train", "--data", str(DATA), "--only", "messages"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)) == {"messages"}
    for name in MESSAGE_FILES:
        assert (messages / name).read_bytes() == (full / name).read_bytes(), name
    for name in LINK_FILES:
        assert (full / name).exists() and not (messages / name).exists(), name


def test_training_only_the_links_leaves_the_message_files_alone(
    tmp_path: Path, full_run: Path
) -> None:
    full, links = full_run, tmp_path / "links"
    counts = train_all(DATA, lambda _: None, links, only="links")
    assert set(counts) == {"lists", "urls"}
    for name in LINK_FILES:
        assert (links / name).read_bytes() == (full / name).read_bytes(), name
    for name in MESSAGE_FILES:
        assert not (links / name).exists(), name


def test_an_unknown_part_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only must be one of"):
        train_all(DATA, lambda _: None, tmp_path, only="everything")
    result = CliRunner().invoke(detect, ["train", "--data", str(DATA), "--only", "everything"])
    assert result.exit_code == 2


def test_evaluate_only_messages_fits_no_url_model() -> None:
    result = CliRunner().invoke(
        detect, ["evaluate", "--data", str(DATA), "--only", "messages", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"messages"}
    assert report["messages"]["part"] == "held_out"


def test_evaluate_only_links_fits_no_message_model(capsys: pytest.CaptureFixture[str]) -> None:
    from tangkal.cli.detect import _print_table

    result = CliRunner().invoke(
        detect, ["evaluate", "--data", str(DATA), "--only", "links", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"urls"}
    assert set(report["urls"]) == {"random_by_url", "host_disjoint"}
    _print_table(report)  # the table without message rows
    printed = capsys.readouterr().out
    assert "flagged" in printed
    assert "notices" not in printed
