"""Settings of one Tangkal node, each with its name, default and help.

Read from ``TANGKAL_*`` environment variables, then a ``.env`` file in the working
directory, then the defaults below. Nothing reads the environment at import time:
callers build ``Settings.from_env()`` and pass it down (``create_app(settings)``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Secret", "Settings"]


class Secret(str):
    """A string that never prints itself, so secrets stay out of logs and tracebacks."""

    def __repr__(self) -> str:
        return "Secret('**********')"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Configuration of one node; see ``tangkal settings`` for the documented list."""

    database_url: str = _setting(
        "sqlite:///var/tangkal.db",
        "SQLAlchemy URL of the store: SQLite (default) or postgresql+psycopg://…",
    )
    node_name: str = _setting("tangkal-local", "Name of this node, shown to peers.")
    node_country: str = _setting("ID", "ISO 3166-1 alpha-2 country of this node.")
    public_rate_limit: int = _setting(
        120, "Requests per minute allowed to one client on public endpoints (0 disables)."
    )
    max_body_bytes: int = _setting(
        5_000_000, "Largest request body accepted, in bytes (batch check of 10,000 fits)."
    )
    max_batch: int = _setting(10_000, "Most values in one batch check or analyze request.")
    default_language: str = _setting("en", "Language of pages when the browser asks none.")
    data_dir: str = _setting("var", "Folder for node-local files: keys, exports, uploads.")
    link_degree_cap: int = _setting(
        1000, "A value shared by more reports than this never links them (0: nothing links)."
    )
    secret_key: Secret = _setting(
        Secret(""), "Key for signed links; generated into data_dir when empty."
    )
    sync_interval_seconds: int = _setting(
        60, "Seconds between background pulls from every peer in `tangkal serve` (0 disables)."
    )
    measure_min_count: int = _setting(
        5, "Counts below this are shown as '<N' in figures shared beyond the node (0: none)."
    )
    measure_refresh_seconds: int = _setting(
        300,
        "Seconds between refreshes of Measure's daily summaries by `tangkal serve` "
        "(one refresher process whatever --workers; 0 disables: use cron).",
    )
    regional_secret: Secret = _setting(
        Secret(""), "Secret shared by the member nodes' operators for 'seen elsewhere?' hashes."
    )

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
    ) -> Settings:
        """Environment first, then ``.env``, then defaults."""
        values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            for line in env_file.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    key, _, val = line.partition("=")
                    values[key.strip()] = val.strip().strip('"')
        values.update(os.environ if environ is None else environ)
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            env_name = "TANGKAL_" + f.name.upper()
            if env_name not in values:
                continue
            raw = values[env_name]
            if f.type in ("int", int):
                kwargs[f.name] = int(raw)
            elif f.name in ("secret_key", "regional_secret"):
                kwargs[f.name] = Secret(raw)
            else:
                kwargs[f.name] = raw
        return cls(**kwargs)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def documented(cls) -> list[tuple[str, str, str]]:
        """(environment variable, default, help) for every setting."""
        return [
            ("TANGKAL_" + f.name.upper(), str(f.default), f.metadata["help"])
            for f in dataclasses.fields(cls)
        ]
