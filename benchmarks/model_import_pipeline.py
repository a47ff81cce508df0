"""A time-step model of the import pipeline on shared cores: how many worker tasks in flight
keep the workers busy while the main process writes.

Wall-clock runs on a shared 2-core machine say more about the neighbours than about the
pipeline's shape. This model takes the measured CPU costs (a worker's and the writer's µs of
CPU per report) and plays ``importer._prepared_chunks`` and ``import_file``'s loop: the main
process submits tasks while fewer than ``ahead`` are in flight, then waits for the oldest, and
after a batch's tasks writes the batch (submitting nothing meanwhile); the workers take tasks
in order; runnable processes share the cores equally. Prints reports/s per ``ahead`` and the
share of the CPU bound (cores / (worker + writer CPU per report)).

    python benchmarks/model_import_pipeline.py --worker-us 545 --writer-us 275
"""

from __future__ import annotations

import argparse
from collections import deque


def simulate(
    ahead: int,
    *,
    worker_us: float,
    writer_us: float,
    reports: int = 200_000,
    batch: int = 10_000,
    task: int = 2_000,
    workers: int = 2,
    cores: int = 2,
    step: float = 0.002,
) -> float:
    """Reports per second of the modelled pipeline."""
    tasks = reports // task
    per_batch = batch // task
    done = [False] * tasks
    queue: deque[int] = deque()
    running: list[int | None] = [None] * workers
    left = [0.0] * workers
    submitted = popped = in_batch = 0
    state, write_left, clock = "submit", 0.0, 0.0
    while popped < tasks or state == "write":
        moved = True
        while moved:  # the main process's bookkeeping takes no time in the model
            moved = False
            if state == "submit":
                if submitted < tasks and submitted - popped < ahead:
                    queue.append(submitted)
                    submitted += 1
                    moved = True
                elif popped < tasks:
                    state, moved = "wait", True
            elif state == "wait" and done[popped]:
                popped += 1
                in_batch += 1
                moved = True
                if in_batch == per_batch or popped == tasks:
                    state, write_left, in_batch = "write", in_batch * task * writer_us / 1e6, 0
                else:
                    state = "submit"
        for i in range(workers):
            if running[i] is None and queue:
                running[i] = queue.popleft()
                left[i] = task * worker_us / 1e6
        busy = (state == "write") + sum(r is not None for r in running)
        if busy == 0:
            break
        share = min(1.0, cores / busy) * step
        if state == "write":
            write_left -= share
            if write_left <= 0:
                state = "submit"
        for i in range(workers):
            current = running[i]
            if current is not None:
                left[i] -= share
                if left[i] <= 0:
                    done[current] = True
                    running[i] = None
        clock += step
    return reports / clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-us", type=float, default=545.0, help="CPU per report.")
    parser.add_argument("--writer-us", type=float, default=275.0, help="CPU per report.")
    parser.add_argument("--ahead", type=int, nargs="+", default=[4, 9])
    args = parser.parse_args()
    bound = 2 / ((args.worker_us + args.writer_us) / 1e6)
    for ahead in args.ahead:
        rate = simulate(ahead, worker_us=args.worker_us, writer_us=args.writer_us)
        print(
            f"{ahead} tasks in flight: {rate:,.0f} reports/s ({rate / bound:.0%} of {bound:,.0f})"
        )


if __name__ == "__main__":
    main()
