"""Literal substrings a regular expression cannot match without: a cheap test before a search.

A failing ``re`` search of a pattern such as ``\\b(a/c|acc) (no|name)\\b`` walks the whole
text (about 5 µs for an SMS-sized message), while ``"acc no" in text`` takes a tenth of a
microsecond. :func:`required_literals` reads a pattern's parse tree and returns clauses:
every match contains at least one string of every clause, so a text failing a clause cannot
match and the search is skipped. The clauses are a necessary condition only (a text passing
them is still searched), so skipping never changes a result; ``tests/detect/test_cues.py``
and ``test_literals.py`` check that on every training message and on demo reports.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

# The parser's tree is the only faithful reading of a pattern; typeshed stubs it only as the
# deprecated ``sre_parse``/``sre_constants`` aliases, whose import warns on Python 3.11+.
from re import _constants as const  # type: ignore[attr-defined]  # see above
from re import _parser as parser  # type: ignore[attr-defined]  # see above
from typing import Any

__all__ = ["Clauses", "literal_gate", "max_width", "passes", "required_literals"]

Clauses = tuple[tuple[str, ...], ...]  # AND of ORs of substrings
_MAX_SET = 64  # largest finite set of strings kept while concatenating a literal run
_MAX_CLASS = 12  # largest character class expanded into single characters


def _class_chars(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is const.LITERAL:
            chars.add(chr(av))
        elif op is const.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # negated classes, categories (\d, \w), wide ranges
    return chars if len(chars) <= _MAX_CLASS else None


def _finite(item: tuple[Any, Any]) -> set[str] | None:
    """Every string ``item`` can match, when that set is small; else ``None``."""
    op, av = item
    if op is const.LITERAL:
        return {chr(av)}
    if op is const.AT:
        return {""}  # \b, ^, $: zero width
    if op is const.IN:
        return _class_chars(av)
    if op is const.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _finite_seq(sub)
    if op is const.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            strings = _finite_seq(alternative)
            if strings is None or len(out) + len(strings) > _MAX_SET:
                return None
            out |= strings
        return out
    if op in (const.MAX_REPEAT, const.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        strings = _finite_seq(av[2])
        return None if strings is None else strings | {""}
    return None


def _finite_seq(seq: Sequence[tuple[Any, Any]]) -> set[str] | None:
    out = {""}
    for item in seq:
        strings = _finite(item)
        if strings is None or len(out) * len(strings) > _MAX_SET:
            return None
        out = {a + b for a in out for b in strings}
    return out


def _best(clauses: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The clause whose shortest string is longest: the rarest to pass by chance."""
    return max(clauses, key=lambda c: min(map(len, c)), default=None)


def _item_clauses(item: tuple[Any, Any]) -> list[tuple[str, ...]]:
    """Clauses of one item that is not a small finite set (groups, alternations, repeats)."""
    op, av = item
    if op is const.SUBPATTERN and not (av[1] or av[2]):
        return _seq_clauses(av[3])
    if op is const.BRANCH:
        # A match takes one alternative, so it contains a string of that alternative's best
        # clause: the union of those clauses holds, unless an alternative needs nothing.
        union: set[str] = set()
        for alternative in av[1]:
            best = _best(_seq_clauses(alternative))
            if best is None:
                return []
            union.update(best)
        return [tuple(sorted(union))]
    if op in (const.MAX_REPEAT, const.MIN_REPEAT) and av[0] >= 1:
        return _seq_clauses(av[2])  # the repeated part occurs at least once
    return []  # anything else (lookarounds, \w+, .*) requires no literal


def _seq_clauses(seq: Sequence[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    return [clause for clause, _ in _placed_clauses(seq)]


def _placed_clauses(seq: Sequence[tuple[Any, Any]]) -> list[tuple[tuple[str, ...], int]]:
    """Clauses of a sequence, each with the index of the last item its strings lie in."""
    clauses: list[tuple[tuple[str, ...], int]] = []
    run = {""}  # strings the current run of consecutive finite items can match

    def flush(last: int) -> None:
        if "" not in run:
            clauses.append((tuple(sorted(run)), last))

    for index, item in enumerate(seq):
        strings = _finite(item)
        if strings is not None and len(run) * len(strings) <= _MAX_SET:
            run = {a + b for a in run for b in strings}
            continue
        flush(index - 1)
        if strings is not None:
            run = strings
            continue
        run = {""}
        clauses.extend((clause, index) for clause in _item_clauses(item))
    flush(len(seq) - 1)
    return clauses


def required_literals(pattern: re.Pattern[str]) -> Clauses:
    """Clauses (AND of ORs) of substrings every match of ``pattern`` contains.

    >>> required_literals(re.compile(r"\\b(a/c|acc) (no|name)\\b"))
    (('a/c name', 'a/c no', 'acc name', 'acc no'),)
    >>> required_literals(re.compile(r"\\b(send|give)\\b.{0,30}\\b(money|fee)"))
    (('give', 'send'), ('fee', 'money'))
    """
    return literal_gate(pattern)[0]


def literal_gate(pattern: re.Pattern[str]) -> tuple[Clauses, int]:
    """:func:`required_literals`, and how far the first clause's strings end into a match.

    A match contains a string of the first clause ending at most ``reach`` characters after
    the match starts (``sys.maxsize`` when unbounded), so a match cannot start more than
    ``reach - 1`` characters before the end of the earliest such string in a text.

    >>> literal_gate(re.compile(r"\\b(wa|line)\\b.{0,6}\\d+"))
    ((('line', 'wa'),), 4)
    """
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return (), sys.maxsize  # case-insensitive literals would need case variants
    parsed = parser.parse(pattern.pattern, pattern.flags)
    items = list(parsed)
    reach: dict[tuple[str, ...], int] = {}
    for clause, last in _placed_clauses(items):
        if clause and all(clause):
            # "slot" is in every text that holds "slots": keep the shortest strings only.
            key = tuple(
                sorted(a for a in set(clause) if not any(b != a and b in a for b in clause))
            )
            prefix = parser.SubPattern(parsed.state, items[: last + 1]).getwidth()[1]
            width = prefix if prefix < const.MAXREPEAT else sys.maxsize
            reach[key] = min(reach.get(key, sys.maxsize), width)
    # The most selective clause first, so a text usually fails on the first test.
    clauses = tuple(sorted(reach, key=lambda c: (-min(map(len, c)), len(c), c)))
    return clauses, (reach[clauses[0]] if clauses else sys.maxsize)


def _has_lookaround(items: Any) -> bool:
    """Whether a parsed pattern holds a look-ahead or look-behind at any depth."""
    for op, av in items:
        if op in (const.ASSERT, const.ASSERT_NOT):
            return True
        for part in av if isinstance(av, (list, tuple)) else ():
            subs = part if isinstance(part, list) else [part]  # a branch's alternatives
            if any(isinstance(sub, parser.SubPattern) and _has_lookaround(sub) for sub in subs):
                return True
    return False


def max_width(pattern: re.Pattern[str]) -> int:
    """The longest string ``pattern`` can match; ``sys.maxsize`` when unbounded.

    Also ``sys.maxsize`` for patterns with look-arounds, which read past their match.

    >>> max_width(re.compile(r"\\b(send|give)\\b.{0,30}\\b(money|fee)")) == 39
    True
    >>> max_width(re.compile("a+")) == max_width(re.compile("a(?=b)")) == sys.maxsize
    True
    """
    parsed = parser.parse(pattern.pattern, pattern.flags)
    width = parsed.getwidth()[1]
    if width >= const.MAXREPEAT or _has_lookaround(parsed):
        return sys.maxsize
    return int(width)


def passes(clauses: Clauses, text: str) -> bool:
    """Whether ``text`` contains a string of every clause (the search may then match)."""
    for clause in clauses:  # loops, not all(any(...)): generators cost more than the tests
        for string in clause:
            if string in text:
                break
        else:
            return False
    return True
