"""Rebuilding the shipped domain lists in ``data/`` from ``../shared/data``.

Written with fixed ordering and a zero gzip timestamp, so a rebuild from the same inputs
gives byte-identical files.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

from tangkal.detect.corpus import read_lines, read_popular_domains

__all__ = ["write_reference_lists"]

_SUBLIME = "benign_domains_tranco_sublime"


def _write(path: Path, items: list[str]) -> None:
    data = ("\n".join(items) + "\n").encode()
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)


def extra_shorteners() -> set[str]:
    """Shorteners and link-in-bio pages missing from Sublime's list (``data/link_shorteners.txt``)."""
    text = resources.files("tangkal.data").joinpath("link_shorteners.txt").read_text("utf-8")
    return {line.strip().lower() for line in text.splitlines() if line.strip()[:1] not in ("", "#")}


def write_reference_lists(root: Path, out: Path) -> dict[str, int]:
    """Write popular domains, shorteners, hosting platforms and abused TLDs; return counts."""
    popular = read_popular_domains(root)
    sublime = {x.lower() for x in read_lines(root / _SUBLIME / "url_shorteners.txt")}
    shorteners = sorted(sublime | extra_shorteners())
    hosting = set(read_lines(root / _SUBLIME / "free_subdomain_hosts.txt"))
    hosting |= set(read_lines(root / _SUBLIME / "free_file_hosts.txt"))
    polkadot = root / "crypto_scam_polkadot/all.json"
    if polkadot.exists():
        allow = json.loads(polkadot.read_text("utf-8"))["allow"]
        hosting |= {entry.removeprefix("*.") for entry in allow}
    tlds = sorted(
        {x.lower().lstrip(".") for x in read_lines(root / _SUBLIME / "suspicious_tlds.txt")}
    )
    lists = {
        "popular_domains.txt.gz": popular,
        "shorteners.txt": shorteners,
        "free_hosts.txt": sorted(x.lower() for x in hosting),
        "suspicious_tlds.txt": tlds,
    }
    if not popular:
        raise FileNotFoundError(f"no Tranco list under {root / _SUBLIME}")
    for name, items in lists.items():
        _write(out / name, items)
    return {name: len(items) for name, items in lists.items()}
