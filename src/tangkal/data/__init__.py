"""Data files shipped with Tangkal (allowlist, banks, platforms, rates).

Any layer may read them: the allowlist is the check's trust list, the demo's hub values and
the detector's official call-back numbers, so it is parsed here once for all three.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["allowlist"]


@cache
def allowlist() -> dict[str, Any]:
    """The shipped ``allowlist.json`` (``version`` and ``entries``), parsed once per process."""
    text = resources.files("tangkal.data").joinpath("allowlist.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
