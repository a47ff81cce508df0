"""Tangkal: report, check, detect, share, link, act and measure online scams across ASEAN.

The library is the product; the ``tangkal`` command and the web app are thin shells on it.

>>> from tangkal import normalize
>>> normalize("0812-3456-7890", country="ID").value
'+6281234567890'
"""

from tangkal.check.analyze import analyze
from tangkal.check.lookup import check_many, check_one
from tangkal.config import Settings
from tangkal.errors import TangkalError
from tangkal.report.extract import extract
from tangkal.report.intake import file_reports, prepare
from tangkal.report.normalize import normalize
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
