"""The shipped migrations build exactly the models' schema, on both stores, idempotently."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tangkal.models import metadata
from tangkal.store import Store, upgrade
from tangkal.store.migrate import current_heads, script_heads
from tests.conftest import drop_store_url, new_store_url


def test_upgrade_is_idempotent_and_matches_models(backend: str, tmp_path: Path) -> None:
    url = new_store_url(backend, tmp_path)
    store = Store(url)
    try:
        first = upgrade(store.engine)
        second = upgrade(store.engine)
        assert first == second == script_heads(store.engine)
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        store.close()
        drop_store_url(url)


def test_fresh_store_has_no_heads(backend: str, tmp_path: Path) -> None:
    url = new_store_url(backend, tmp_path)
    store = Store(url)
    try:
        assert current_heads(store.engine) == []
    finally:
        store.close()
        drop_store_url(url)


def test_sqlite_store_uses_wal(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()
