"""Real stores and real servers for the whole suite.

Every test that asks for ``store`` runs twice: on a SQLite file and on a PostgreSQL
database of its own (created on 127.0.0.1:5432 and dropped afterwards). PostgreSQL being
unreachable is an error, never a skip. Servers are uvicorn on a free loopback port.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tangkal.check.allowlist import load_shipped
from tangkal.config import Settings
from tangkal.models import metadata
from tangkal.store import Store, upgrade
from tangkal.web.app import create_app

PG_ADMIN_URL = os.environ.get(
    "TANGKAL_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


def _create_pg_database() -> str:
    name = f"tangkal_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a missing PostgreSQL must fail the run, not skip it
        raise RuntimeError(
            f"PostgreSQL is required for the test suite and is not reachable at "
            f"{PG_ADMIN_URL}: {exc}"
        ) from exc
    finally:
        admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def new_store_url(backend: str, tmp: Path) -> str:
    """A fresh, empty database URL (callers drop PostgreSQL ones with ``drop_store_url``)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'tangkal-{uuid.uuid4().hex[:8]}.db'}"
    return _create_pg_database()


def drop_store_url(url: str) -> None:
    if url.startswith("postgresql"):
        _drop_pg_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def session_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    url = new_store_url(backend, tmp_path_factory.mktemp(backend))
    store = Store(url)
    upgrade(store.engine)
    yield store
    store.close()
    drop_store_url(url)


def clean(store: Store) -> None:
    """Empty every table and reload the shipped allowlist, as after ``tangkal init``."""
    tables = list(reversed(metadata.sorted_tables))
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())
    with store.begin() as session:
        load_shipped(session)


@pytest.fixture
def store(session_store: Store) -> Iterator[Store]:
    """A clean store on the current backend; emptied again before the next test."""
    clean(session_store)
    yield session_store


@pytest.fixture
def settings(session_store: Store, tmp_path: Path) -> Settings:
    return Settings(
        database_url=session_store.url,
        public_rate_limit=100_000,
        data_dir=str(tmp_path / "var"),
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on a loopback port, in a thread of the test process."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_app(
    session_store: Store, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    cfg = Settings(
        database_url=session_store.url,
        public_rate_limit=100_000,
        data_dir=str(tmp_path_factory.mktemp("var")),
    )
    with LiveServer(create_app(cfg, session_store)) as server:
        yield server


@pytest.fixture
def server(store: Store, live_app: LiveServer) -> LiveServer:
    """The session's server, over a freshly cleaned store."""
    return live_app


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture
def runner(store: Store, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The CLI, in-process, on the test's store (modules that need more settings override it)."""
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    return CliRunner()
