"""Extraction measured on hand-written messages: precision, recall and F1 per language and kind.

    python benchmarks/fresh_extract.py extract_fresh_a [extract_fresh_b …] [--json]

Each argument is a fixture stem in ``tests/report/fixtures`` (``extract_fresh_a`` reads
``extract_fresh_a.jsonl``) or a path to a JSONL file. A line is one message::

    {"text": "…", "lang": "id", "country": "ID" | null,
     "expected": [{"kind": "bank_account", "value": "1234567890", "bank": "BCA"}, …],
     "note": "…"}

Every text goes through ``tangkal.report.extract.extract`` as ``POST /api/v1/analyze`` sends
it there: the country hint checked and upper-cased by ``check_country``, an empty hint as
none. The set of ``(kind, value)`` pairs found is compared with the set expected, message by
message; a pair in both is a true positive. Prints, per language and per kind, the pairs
expected and found, the true positives, precision, recall and F1; then, for the bank accounts
found whose expected line names a bank, how often the extractor names the same one; then
every missed and every spurious pair with its set and line number. ``--json`` prints the
same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fresh_sets import LANGUAGES, NAMES

from tangkal.report.normalize import KINDS

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "report" / "fixtures"
# One list of kinds (the analyze contract's, in its order) and one of languages with
# their names, shared with the message sets' script.
KIND_ORDER = KINDS


@dataclass(frozen=True)
class Case:
    """One message of a set, with the indicators an analyst wrote down for it."""

    set: str
    line: int
    lang: str
    country: str | None
    text: str
    expected: tuple[tuple[str, str], ...]
    banks: dict[str, str]  # expected account number -> bank code, where the text names one


@dataclass
class Counts:
    """Pairs expected, found and in both, for one language or one kind."""

    expected: int = 0
    found: int = 0
    true_positives: int = 0

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, expected: int, found: int, true_positives: int) -> None:
        self.expected += expected
        self.found += found
        self.true_positives += true_positives

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass(frozen=True)
class Pair:
    """One missed or spurious indicator, located by set and line."""

    set: str
    line: int
    lang: str
    kind: str
    value: str
    bank: str | None = None  # the bank written (misses) or named by the extractor (spurious)


@dataclass(frozen=True)
class BankMismatch:
    """A bank account found whose bank is not the one the line names."""

    set: str
    line: int
    lang: str
    value: str
    expected: str
    found: str | None


@dataclass
class Figures:
    """Everything the comparison counts."""

    languages: dict[str, Counts] = field(default_factory=dict)
    kinds: dict[str, Counts] = field(default_factory=dict)
    total: Counts = field(default_factory=Counts)
    bank_named: int = 0  # bank accounts found whose expected line names the bank
    bank_agree: int = 0  # … and the extractor names the same bank
    bank_mismatches: list[BankMismatch] = field(default_factory=list)
    missed: list[Pair] = field(default_factory=list)
    spurious: list[Pair] = field(default_factory=list)
    messages: int = 0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _path(name: str, fixtures: Path) -> Path:
    if name.endswith(".jsonl") or "/" in name:
        return Path(name)
    return fixtures / f"{name}.jsonl"


def load(names: Sequence[str], fixtures: Path = FIXTURES) -> list[Case]:
    """The messages of the named sets, in order, each with its line number."""
    cases: list[Case] = []
    for name in names:
        path = _path(name, fixtures)
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            expected = tuple(dict.fromkeys((e["kind"], e["value"]) for e in item["expected"]))
            banks = {
                e["value"]: e["bank"]
                for e in item["expected"]
                if e["kind"] == "bank_account" and e.get("bank")
            }
            cases.append(
                Case(
                    path.stem,
                    number,
                    item["lang"],
                    item.get("country"),
                    item["text"],
                    expected,
                    banks,
                )
            )
    return cases


def run(case: Case) -> list[tuple[str, str, str | None]]:
    """``(kind, value, bank)`` of each indicator, extracted as ``POST /api/v1/analyze`` does."""
    from tangkal.report.extract import extract
    from tangkal.vocabulary import check_country

    country = check_country(case.country) if case.country else None
    return [(f.kind, f.value, f.attributes.get("bank")) for f in extract(case.text, country)]


def compare(
    cases: Iterable[Case], found: Iterable[Sequence[tuple[str, str, str | None]]]
) -> Figures:
    """Count each message's expected pairs against the ``(kind, value, bank)`` found for it."""
    out = Figures()
    for case, items in zip(cases, found, strict=True):
        out.messages += 1
        expected = set(case.expected)
        got: dict[tuple[str, str], str | None] = {}
        for kind, value, bank in items:
            got.setdefault((kind, value), bank)
        hits = expected & got.keys()
        lang = out.languages.setdefault(case.lang, Counts())
        lang.add(len(expected), len(got), len(hits))
        out.total.add(len(expected), len(got), len(hits))
        for kind in {k for k, _ in expected | got.keys()}:
            out.kinds.setdefault(kind, Counts()).add(
                sum(k == kind for k, _ in expected),
                sum(k == kind for k, _ in got),
                sum(k == kind for k, _ in hits),
            )
        for kind, value in case.expected:
            if (kind, value) not in got:
                bank = case.banks.get(value) if kind == "bank_account" else None
                out.missed.append(Pair(case.set, case.line, case.lang, kind, value, bank))
        for (kind, value), bank in got.items():
            if (kind, value) not in expected:
                out.spurious.append(Pair(case.set, case.line, case.lang, kind, value, bank))
            elif kind == "bank_account" and value in case.banks:
                out.bank_named += 1
                if bank == case.banks[value]:
                    out.bank_agree += 1
                else:
                    out.bank_mismatches.append(
                        BankMismatch(case.set, case.line, case.lang, value, case.banks[value], bank)
                    )
    order = {lang: i for i, lang in enumerate(LANGUAGES)}
    out.languages = dict(
        sorted(out.languages.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    )
    kinds = {kind: i for i, kind in enumerate(KIND_ORDER)}
    out.kinds = dict(sorted(out.kinds.items(), key=lambda kv: (kinds.get(kv[0], 99), kv[0])))
    return out


def figures(names: Sequence[str], fixtures: Path = FIXTURES) -> Figures:
    """Load the named sets, extract from every message and compare."""
    cases = load(names, fixtures)
    return compare(cases, [run(case) for case in cases])


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _table(title: str, rows: dict[str, Counts], total: Counts, names: dict[str, str]) -> str:
    lines = [
        f"| {title} | expected | found | true positives | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, c in [*rows.items(), ("**all**", total)]:
        lines.append(
            f"| {names.get(key, key)} | {c.expected} | {c.found} | {c.true_positives} | "
            f"{_ratio(c.precision)} | {_ratio(c.recall)} | {_ratio(c.f1)} |"
        )
    return "\n".join(lines)


def _pair_line(pair: Pair) -> str:
    bank = f" ({pair.bank})" if pair.bank else ""
    return f"- {pair.set}:{pair.line} {pair.lang} {pair.kind} {pair.value}{bank}"


def report(result: Figures) -> str:
    """The two tables, the bank agreement, then every miss and every spurious pair."""
    parts = [
        f"{result.messages} messages",
        "",
        _table("language", result.languages, result.total, NAMES),
        "",
        _table("kind", result.kinds, result.total, {}),
        "",
        f"Bank named as written, for the bank accounts found: {result.bank_agree}/"
        f"{result.bank_named}",
    ]
    parts += [
        f"- {m.set}:{m.line} {m.lang} {m.value}: written {m.expected}, found {m.found or 'none'}"
        for m in result.bank_mismatches
    ]
    parts += ["", f"Missed ({len(result.missed)}):"]
    parts += [_pair_line(p) for p in result.missed]
    parts += ["", f"Spurious ({len(result.spurious)}):"]
    parts += [_pair_line(p) for p in result.spurious]
    return "\n".join(parts)


def as_json(result: Figures) -> dict[str, Any]:
    """The same figures as one JSON-ready object."""
    return {
        "messages": result.messages,
        "languages": {lang: c.as_dict() for lang, c in result.languages.items()},
        "kinds": {kind: c.as_dict() for kind, c in result.kinds.items()},
        "total": result.total.as_dict(),
        "banks": {
            "named": result.bank_named,
            "agree": result.bank_agree,
            "mismatches": [asdict(m) for m in result.bank_mismatches],
        },
        "missed": [asdict(p) for p in result.missed],
        "spurious": [asdict(p) for p in result.spurious],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sets", nargs="+", help="fixture stems or JSONL paths")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = figures(args.sets)
    if args.json:
        json.dump(as_json(result), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
