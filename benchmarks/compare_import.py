"""Stored tables after a scenario of imports, compared between two source trees.

Each tree runs the same scenario in a fresh process (``PYTHONPATH`` = the tree) on a fresh
store, then dumps every table the import writes; the two dumps must be equal row for row:

1. 6,000 demo reports (JSON Lines, with the first 40 repeated at the end), two workers;
2. the same file again (everything a duplicate);
3. 500 of those reports under new external ids from an organisation, not trusted yet;
4. an overlapping file from the same organisation, now trusted (3,000 of the first file's
   reports under new external ids and 2,000 new ones, two of them broken): new reporters,
   known ones promoted to trusted; one worker, batches of 700;
5. a CSV of 800 rows, two of them broken, prepared in this process (``workers=0``);
6. a strict import with a broken row (rolled back: nothing stored).

Left out of the comparison, because they are random or the time of the run: a report's
``reference`` and ``status_secret_hash``, an indicator's ``updated_at``, and an audit row's
``at``, ``prev_hash`` and ``hash``. Everything else is compared, ids included, along with
each import's result (rows, stored, duplicates, batches, rejected lines and reasons).

    python benchmarks/compare_import.py /tmp/base/src src            # SQLite
    python benchmarks/compare_import.py /tmp/base/src src --postgres  # and PostgreSQL

PostgreSQL runs use a database of their own on 127.0.0.1:5432 (``TANGKAL_TEST_PG_ADMIN_URL``,
as the test suite), dropped afterwards. Exits non-zero when anything differs.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

PG_ADMIN_URL = os.environ.get(
    "TANGKAL_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
# Columns left out (random, or the time of the run), per table.
SKIP = {
    "reports": {"reference", "status_secret_hash"},
    "indicators": {"updated_at"},
    "audit_log": {"at", "prev_hash", "hash"},
}
TABLES = ("reports", "indicators", "report_indicators", "indicator_reporters", "audit_log")


def _files(tmp: Path) -> dict[str, Path]:
    """The scenario's input files (the same bytes for both trees: generated here)."""
    import orjson

    from tangkal.report.demo import generate

    reports = [item.report for item in generate(8_000, seed=5, until=UNTIL)]
    first = reports[:6_000]
    paths = {name: tmp / f"{name}.{ext}" for name, ext in
             [("first", "jsonl"), ("early", "jsonl"), ("overlap", "jsonl"), ("table", "csv"),
              ("strict", "jsonl")]}  # fmt: skip
    with paths["first"].open("wb") as fh:
        for report in first + first[:40]:
            fh.write(orjson.dumps(report) + b"\n")
    with paths["early"].open("wb") as fh:
        for i, report in enumerate(first[3_000:3_500]):
            fh.write(orjson.dumps({**report, "external_id": f"early:{i}"}) + b"\n")
    with paths["overlap"].open("wb") as fh:
        for i, report in enumerate(first[3_000:] + reports[6_000:8_000]):
            fh.write(orjson.dumps({**report, "external_id": f"bank:{i}"}) + b"\n")
            if i in (100, 2_500):
                fh.write(b'{"victim_country": "XX", "narrative": "broken"}\n')
    with paths["table"].open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["external_id", "victim_country", "received_at", "typology", "narrative",
                      "loss_amount", "loss_currency", "phone", "url", "victim_contact_name"])  # fmt: skip
        for i, report in enumerate(reports[2_000:2_800]):
            given = {g["kind"]: g["value"] for g in report.get("indicators", [])}
            amount = report.get("loss_amount") or ""
            out.writerow([
                f"csv:{i}", report["victim_country"], report["received_at"], report["typology"],
                report["narrative"], "-5" if i == 10 else amount,
                report.get("loss_currency") or "" if amount else "",
                "not a phone" if i == 500 else given.get("phone", ""), given.get("url", ""),
                (report.get("victim_contact") or {}).get("name", ""),
            ])  # fmt: skip
    with paths["strict"].open("wb") as fh:
        for report in reports[7_000:7_300]:
            fh.write(orjson.dumps({**report, "external_id": f"strict:{report['external_id']}"}))
            fh.write(b"\n")
        fh.write(b"not json\n")
    return paths


def _scenario(url: str, tmp: Path) -> dict[str, Any]:
    """Run the imports on a fresh store at ``url``; the results and the tables' rows."""
    from sqlalchemy import text

    from tangkal.access.roles import Principal
    from tangkal.check.allowlist import load_shipped
    from tangkal.report.importer import import_file
    from tangkal.store import Store, upgrade

    paths = _files(tmp)
    store = Store(url)
    upgrade(store.engine)
    with store.begin() as session:
        load_shipped(session)
    bank = Principal(org_id=1, org_name="Bank X", org_country="ID", org_type="bank",
                     role="reporter")  # fmt: skip
    with store.begin() as session:
        session.execute(
            text("INSERT INTO organisations (id, name, country, type, trusted, created_at) "
                 "VALUES (1, 'Bank X', 'ID', 'bank', :yes, :at)"),
            {"yes": True, "at": UNTIL},
        )  # fmt: skip
    results = [
        import_file(store, paths["first"], workers=2, batch=2_500),
        import_file(store, paths["first"], workers=2, batch=2_500),
        import_file(store, paths["early"], workers=1, reporter_key="org:1", principal=bank),
        import_file(
            store,
            paths["overlap"],
            workers=1,
            batch=700,
            reporter_key="org:1",
            principal=bank,
            trusted=True,
        ),
        import_file(store, paths["table"], workers=0, batch=300, reporter_key="hotline"),
        import_file(store, paths["strict"], workers=1, strict=True),
    ]
    tables: dict[str, list[list[Any]]] = {}
    with store.read() as session:
        for table in TABLES:
            result = session.execute(text(f"SELECT * FROM {table}"))
            columns: list[str] = list(result.keys())
            names = [c for c in columns if c not in SKIP.get(table, ())]
            rows = [[_plain(row._mapping[c]) for c in names] for row in result]
            tables[table] = [names, *sorted(rows, key=json.dumps)]
    store.close()
    return {"results": [r.as_dict() for r in results], "tables": tables}


def _plain(value: Any) -> Any:
    """A value as JSON can hold it, the same on both trees (the store's own type kept)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return f"{type(value).__name__}:{value}"


def _pg_database() -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"tangkal_compare_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _child(backend: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            dump = _scenario(f"sqlite:///{tmp}/compare.db", Path(tmp))
        else:
            name, url = _pg_database()
            try:
                dump = _scenario(url, Path(tmp))
            finally:
                _drop(name)
    out.write_bytes(json.dumps(dump).encode())


def _run(tree: Path, backend: str, out: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "PYTHONHASHSEED": "0"}
    command = [sys.executable, __file__, "--child", backend, str(out)]
    subprocess.run(command, env=env, check=True)
    loaded: dict[str, Any] = json.loads(out.read_bytes())
    return loaded


def _digest(rows: list[Any]) -> str:
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:12]


def compare(old: Path, new: Path, backend: str) -> bool:
    """Run the scenario on both trees; print per table the row count and whether it matches."""
    with tempfile.TemporaryDirectory() as tmp:
        a = _run(old, backend, Path(tmp) / "old.json")
        b = _run(new, backend, Path(tmp) / "new.json")
    same: bool = a["results"] == b["results"]
    print(f"{backend}: import results {'identical' if same else 'DIFFER'}: "
          f"{[(r['stored'], r['duplicates'], len(r['rejected'])) for r in b['results']]}")  # fmt: skip
    for table in TABLES:
        rows_a, rows_b = a["tables"][table], b["tables"][table]
        equal: bool = rows_a == rows_b
        same = same and equal
        print(f"{backend}: {table}: {len(rows_b) - 1:,} rows, columns {len(rows_b[0])}, "
              f"{'identical' if equal else 'DIFFER'} ({_digest(rows_a)} / {_digest(rows_b)})")  # fmt: skip
        if not equal:
            extra = [r for r in rows_b[1:] if r not in rows_a[1:]][:3]
            print(f"  first rows only in the new tree: {extra}")
    return same


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="The old tree's src folder.")
    parser.add_argument("new", type=Path, help="The new tree's src folder.")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too.")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.postgres else ["sqlite"]
    ok = all([compare(args.old, args.new, backend) for backend in backends])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
