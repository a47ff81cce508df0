"""Tangkal: report, check, detect, share, link, act and measure online scams across ASEAN.

The library is the product; the ``tangkal`` command and the web app are thin shells on it.
The names below are imported on first use (PEP 562), so ``import tangkal.detect`` in a
scoring worker does not pay for the store, SQLAlchemy and the check layer.

>>> from tangkal import normalize
>>> normalize("0812-3456-7890", country="ID").value
'+6281234567890'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tangkal.check.analyze import analyze
    from tangkal.check.lookup import check_many, check_one
    from tangkal.config import Settings
    from tangkal.errors import TangkalError
    from tangkal.report.extract import extract
    from tangkal.report.intake import file_reports
    from tangkal.report.normalize import normalize
    from tangkal.report.prepare import prepare
    from tangkal.report.schema import parse_report
    from tangkal.store import Store, upgrade

__all__ = [
    "Settings",
    "Store",
    "TangkalError",
    "analyze",
    "check_many",
    "check_one",
    "extract",
    "file_reports",
    "normalize",
    "parse_report",
    "prepare",
    "upgrade",
]

_HOME = {
    "Settings": "tangkal.config",
    "Store": "tangkal.store",
    "TangkalError": "tangkal.errors",
    "analyze": "tangkal.check.analyze",
    "check_many": "tangkal.check.lookup",
    "check_one": "tangkal.check.lookup",
    "extract": "tangkal.report.extract",
    "file_reports": "tangkal.report.intake",
    "normalize": "tangkal.report.normalize",
    "parse_report": "tangkal.report.schema",
    "prepare": "tangkal.report.prepare",
    "upgrade": "tangkal.store",
}


def __getattr__(name: str) -> Any:
    """Import a public name (or a subpackage, as the eager imports used to) on first use."""
    home = _HOME.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
