"""Instruction counts of one call in a fresh process, by callgrind (load-proof).

The ``instructions_*.py`` scripts re-run themselves as ``SCRIPT --child MODE`` under valgrind
with instrumentation off; the child warms up and hands ``measure()`` the call to count, run
inside ``functools.reduce`` (a C function nothing else here calls), which is the
only function whose instructions are collected.
"""

from __future__ import annotations

import functools
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def measure(work: Callable[[], object]) -> None:
    """In the child, after its warm-up: instrument from here, and run ``work`` as the one call
    whose instructions are collected."""
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
    functools.reduce(lambda _, call: call(), [work], None)


def count(script: str, src: Path, mode: str) -> int:
    """Instructions collected in ``functools.reduce`` of ``script --child mode`` on ``src``."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
            "--toggle-collect=functools_reduce", f"--callgrind-out-file={tmp}/out",
            sys.executable, script, "--child", mode,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(src.resolve()), "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : ([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(done.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


class Served:
    """A uvicorn process under callgrind, instrumentation off until :meth:`instrument`."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, out: Path) -> None:
        self.process = process
        self.pid = str(process.pid)
        self.out = out
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, path: str, body: bytes | None = None) -> None:
        """GET ``path``, or POST ``body`` as JSON; anything but 200 stops the count."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.conn.request("POST" if body is not None else "GET", path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")

    def _control(self, *args: str) -> None:
        subprocess.run(["callgrind_control", *args, self.pid], capture_output=True, check=True)

    def instrument(self) -> None:
        self._control("-i", "on")

    def count(self, label: str, requests: Sequence[tuple[str, bytes | None]]) -> int:
        """Instructions the server spent on ``requests`` (path, body), sent one after another."""
        self._control("-z")
        for path, body in requests:
            self.request(path, body)
        self._control("-d", label)
        dumps = sorted(self.out.parent.glob(f"{self.out.name}.*"), key=lambda p: p.stat().st_mtime)
        text = dumps[-1].read_text(errors="replace")
        total = re.search(r"^summary: (\d+)", text, re.M) or re.search(
            r"^totals: (\d+)", text, re.M
        )
        if total is None:
            raise RuntimeError(f"no totals in {dumps[-1]}")
        return int(total.group(1))


@contextmanager
def served(app: str, port: int, env: dict[str, str]) -> Iterator[Served]:
    """``app`` served by uvicorn (as ``tangkal serve`` runs it, one process) under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={tmp}/out", sys.executable, "-m", "uvicorn", app,
            "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
        ]  # fmt: skip
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 600
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("server did not start") from None
                    time.sleep(1)
            server = Served(process, port, Path(tmp) / "out")
            yield server
            server.conn.close()
        finally:
            process.terminate()
            process.wait(timeout=120)
