"""``tangkal detect``: train and evaluate the scam-message and scam-link models."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

__all__ = ["detect"]

detect = click.Group("detect", help="Train and evaluate the scam-message and scam-link models.")

_DATA = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Folder with the labelled sets (relative to the current directory).",
)


_ONLY = click.option(
    "--only",
    type=click.Choice(["messages", "links"]),
    default=None,
    help="Only the message models, or only the link models and domain lists.",
)


@detect.command("train")
@_DATA
@_ONLY
def train(data: Path, only: str | None) -> None:
    """Rebuild the shipped model files and domain lists reproducibly (fixed seed)."""
    from tangkal.detect.pipeline import train_all

    console = Console(stderr=True)
    if not data.is_dir():
        raise click.UsageError(f"no data folder at {data}")
    with console.status("training") as status:
        counts = train_all(data, lambda text: status.update(text), only=only)
    click.echo(json.dumps(counts, sort_keys=True))


@detect.command("evaluate")
@_DATA
@click.option(
    "--notices",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("tests/detect/fixtures/legit_notices.txt"),
    show_default=True,
    help="Hand-written legitimate notices (one per line) for the false-positive rate.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--validation",
    is_flag=True,
    help="Messages only, on the validation part of the training part (for recipe choices).",
)
@click.option(
    "--only",
    type=click.Choice(["messages", "links"]),
    default=None,
    help="Only the message figures of the held-out part (no URL models are fitted), or only"
    " the URL figures of both splits (no message model is fitted).",
)
def evaluate(data: Path, notices: Path, as_json: bool, validation: bool, only: str | None) -> None:
    """Print precision, recall, F1 and ROC-AUC per data set on the fixed held-out split."""
    from tangkal.detect.evaluate import evaluate_all

    console = Console(stderr=True)
    if not data.is_dir():
        raise click.UsageError(f"no data folder at {data}")
    with console.status("evaluating") as status:
        report = evaluate_all(
            data,
            notices if notices.exists() else None,
            status.update,
            validation,
            messages_only=only == "messages",
            links_only=only == "links",
        )
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    _print_table(report)


def _print_table(report: dict[str, object]) -> None:
    from rich.table import Table

    table = Table("data set", "model", "precision", "recall", "F1", "ROC-AUC / flagged")
    messages = report.get("messages", {"sets": {}})
    assert isinstance(messages, dict)
    for name, result in messages["sets"].items():
        for model_name, m in result.items():
            tail = m.get("roc_auc", m.get("flagged"))
            table.add_row(
                name,
                model_name,
                *(str(m.get(k, "")) for k in ("precision", "recall", "f1")),
                str(tail),
            )
    urls = report.get("urls", {})
    assert isinstance(urls, dict)
    for split_name, part in urls.items():
        for subset, result in part.items():
            for model_name, m in result.items():
                if isinstance(m, dict):
                    row = (str(m.get(k, "")) for k in ("precision", "recall", "f1"))
                    table.add_row(
                        f"urls {split_name} {subset}", model_name, *row, str(m.get("roc_auc"))
                    )
            table.add_row(
                f"urls {split_name} {subset}",
                "legit flagged",
                "",
                "",
                "",
                str(result["legit_flagged"]),
            )
    notices = messages.get("legit_notices")
    if notices is not None:  # not with --only links
        table.add_row(
            "legit notices (held-out)", "model", "", "", "", str(notices["held_out"]["flagged"])
        )
        table.add_row(
            "legit notices (hand-written)",
            "model", "", "", "",
            str(notices["hand_written"]["flagged"]),
        )  # fmt: skip
    Console().print(table)
