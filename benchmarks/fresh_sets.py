"""Per-language figures of hand-written fixture sets: notices flagged, scams caught, typology.

    python benchmarks/fresh_sets.py notices_fresh3 scams_fresh3 [--json] [--threshold 0.5]

Each argument is a fixture stem in ``tests/detect/fixtures`` (``notices_fresh3`` reads
``notices_fresh3.jsonl``) or a path to a JSONL file. A line is a legitimate message when it
has ``kind: "notice"`` or ``label: "legit"``, a scam when it has ``label: "scam"`` or a
``typology`` without being a notice. Every text is scored with ``score_messages`` (no
language hint, as in docs/detection.md, "Session 7, fresh sets"); a text is flagged at
``scam_probability >= threshold`` (0.5, as shipped). Prints the table per language, then
every flagged legitimate message (language, sender, probability, reason codes) and every
missed or mistyped scam; ``--json`` prints the same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "detect" / "fixtures"
LANGUAGES = ("id", "ms", "th", "vi", "tl", "en", "km", "my", "lo")
NAMES = {
    "id": "Indonesian",
    "ms": "Malay",
    "th": "Thai",
    "vi": "Vietnamese",
    "tl": "Filipino / Taglish",
    "en": "English",
    "km": "Khmer",
    "my": "Burmese",
    "lo": "Lao",
}


@dataclass
class Row:
    """Counts of one language."""

    notices: int = 0
    flagged: int = 0
    scams: int = 0
    caught: int = 0
    typed: int = 0


@dataclass
class Error:
    """One flagged legitimate message or one missed (or mistyped) scam."""

    set: str
    lang: str
    probability: float
    typology: str | None  # the model's
    expected: str | None  # the typology as written (scams only)
    sender: str | None
    reasons: list[str]
    text: str


@dataclass
class Figures:
    rows: dict[str, Row] = field(default_factory=dict)
    flagged: list[Error] = field(default_factory=list)
    missed: list[Error] = field(default_factory=list)
    mistyped: list[Error] = field(default_factory=list)

    def total(self) -> Row:
        out = Row()
        for row in self.rows.values():
            for name in ("notices", "flagged", "scams", "caught", "typed"):
                setattr(out, name, getattr(out, name) + getattr(row, name))
        return out


def _path(name: str, fixtures: Path) -> Path:
    if name.endswith(".jsonl") or "/" in name:
        return Path(name)
    return fixtures / f"{name}.jsonl"


def _is_notice(case: dict[str, Any]) -> bool:
    return case.get("kind") == "notice" or case.get("label") == "legit"


def _is_scam(case: dict[str, Any]) -> bool:
    return case.get("label") == "scam" or ("typology" in case and not _is_notice(case))


def figures(names: Sequence[str], fixtures: Path = FIXTURES, threshold: float = 0.5) -> Figures:
    """Score every line of the named sets and count per language."""
    from tangkal.detect import score_messages

    cases: list[tuple[str, dict[str, Any]]] = []
    for name in names:
        path = _path(name, fixtures)
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                cases.append((path.stem, json.loads(line)))
    scores = score_messages([case["text"] for _, case in cases])
    out = Figures()
    for (stem, case), score in zip(cases, scores, strict=True):
        row = out.rows.setdefault(case["lang"], Row())
        hit = score.scam_probability >= threshold
        error = Error(
            stem,
            case["lang"],
            round(score.scam_probability, 3),
            score.typology,
            case.get("typology"),
            case.get("sender"),
            [reason.code for reason in score.reasons],
            case["text"],
        )
        if _is_notice(case):
            row.notices += 1
            if hit:
                row.flagged += 1
                out.flagged.append(error)
        elif _is_scam(case):
            row.scams += 1
            if not hit:
                out.missed.append(error)
                continue
            row.caught += 1
            if score.typology == case.get("typology"):
                row.typed += 1
            else:
                out.mistyped.append(error)
    order = {lang: i for i, lang in enumerate(LANGUAGES)}
    out.rows = dict(sorted(out.rows.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
    return out


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "—"


def table(result: Figures) -> str:
    """The markdown table per language, with the total."""
    lines = [
        "| language | notices flagged | scams caught | typology as written |",
        "|---|---|---|---|",
    ]
    rows = [*result.rows.items(), ("all", result.total())]
    for lang, row in rows:
        name = "**all**" if lang == "all" else NAMES.get(lang, lang)
        caught = f"{row.caught}/{row.scams}" if row.scams else "—"
        typed = f"{row.typed}/{row.scams}" if row.scams else "—"
        lines.append(f"| {name} | {_share(row.flagged, row.notices)} | {caught} | {typed} |")
    return "\n".join(lines)


def _error_line(error: Error, expected: bool) -> str:
    who = f" {error.sender}" if error.sender else ""
    written = f" written {error.expected}," if expected else ""
    reasons = ", ".join(error.reasons) or "no reason"
    return (
        f"- {error.lang}{who}: {error.probability:.3f} ({error.typology};{written} {reasons}) "
        f"{error.text}"
    )


def report(result: Figures) -> str:
    """Table, then the flagged notices, the missed scams and the mistyped ones."""
    parts = [table(result), "", f"Flagged legitimate messages ({len(result.flagged)}):"]
    parts += [_error_line(e, False) for e in result.flagged]
    parts += ["", f"Missed scams ({len(result.missed)}):"]
    parts += [_error_line(e, True) for e in result.missed]
    parts += ["", f"Caught with another typology ({len(result.mistyped)}):"]
    parts += [_error_line(e, True) for e in result.mistyped]
    return "\n".join(parts)


def as_json(result: Figures) -> dict[str, Any]:
    return {
        "rows": {lang: asdict(row) for lang, row in result.rows.items()},
        "total": asdict(result.total()),
        "flagged": [asdict(e) for e in result.flagged],
        "missed": [asdict(e) for e in result.missed],
        "mistyped": [asdict(e) for e in result.mistyped],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sets", nargs="+", help="fixture stems or JSONL paths")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args(argv)
    result = figures(args.sets, threshold=args.threshold)
    if args.json:
        json.dump(as_json(result), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
