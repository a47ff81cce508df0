"""Run the Alembic migrations shipped inside the package (``tangkal init``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["alembic_config", "current_heads", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> list[str]:
    """Create or upgrade the schema to every head; running it twice changes nothing."""
    # Every domain's migrations branch from the core revision, so "heads" is the target.
    command.upgrade(alembic_config(engine), "heads")
    return current_heads(engine)


def current_heads(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(MigrationContext.configure(conn).get_current_heads())


def script_heads(engine: Engine) -> list[str]:
    return sorted(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
