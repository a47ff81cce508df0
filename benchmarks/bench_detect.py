"""Speed of tangkal.detect: model load, batch throughput, single-message latency (JSON out).

Run: ``.venv/bin/python benchmarks/bench_detect.py`` (one process, one core in use).
Reports the median of 5 runs for each figure, as wall-clock time and as CPU time of this
process (``time.process_time``; per call for the single-message p99): on a shared machine
the CPU figure is what one idle core would give. Messages are synthetic, built from a few templates with varying numbers, so
the benchmark needs no data set. The import figures score demo report narratives
(``tangkal.report.demo``, a new seed per run) with ``scam_probabilities`` (the import's
probability-only path) and, in the same run, with ``score_messages``.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

RUNS = 5
BATCH = 10_000

TEMPLATES = [
    "Selamat! Nomor Anda {n} menang hadiah Rp {n} juta. Transfer biaya admin ke rekening {n}",
    "Your OTP is {n}. Do not share this code with anyone.",
    "Hi, are we still meeting at {n}? I'll bring the documents for the {n} project.",
    "งานเสริมออนไลน์ รายได้วันละ {n} บาท แอดไลน์ @job{n} ด่วน",
    "TK {n} +2,000,000VND luc 10:15. SD: {n}VND. ND: chuyen tien",
    "Your parcel {n} is on hold, pay the fee at http://post-{n}.top/pay within 24 hours",
    "Congrats! Nanalo ka ng P{n} sa raffle. Magpadala ng processing fee sa GCash {n}",
]


def _messages(count: int) -> list[str]:
    return [TEMPLATES[i % len(TEMPLATES)].format(n=1000 + i * 37) for i in range(count)]


def _load_seconds() -> tuple[float, float]:
    code = (
        "import time; t=time.perf_counter(); c=time.process_time(); "
        "from tangkal.detect.shipped import message_models, link_model; "
        "from tangkal.detect.cues import load_cues; from tangkal.detect.domains import brands; "
        "message_models(); link_model(); load_cues(); brands(); "
        "print(time.perf_counter()-t, time.process_time()-c)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def _import_scoring() -> dict[str, float]:
    """CPU µs per demo narrative: ``scam_probabilities`` against ``score_messages``."""
    from tangkal.detect import scam_probabilities, score_messages
    from tangkal.report.demo import generate

    fast: list[float] = []
    full: list[float] = []
    for run in range(RUNS):
        texts = [item.report["narrative"] for item in generate(5_000, seed=100 + run)]
        half = len(texts) // 2  # each function scores a half it has not seen (cold caches)
        for scorer, part, out in (
            (scam_probabilities, texts[:half], fast),
            (score_messages, texts[half:], full),
        ):
            cpu = time.process_time()
            scorer(part)
            out.append((time.process_time() - cpu) / len(part) * 1e6)
    return {
        "import_scam_probabilities_cpu_us_per_narrative_median": round(statistics.median(fast), 1),
        "import_score_messages_cpu_us_per_narrative_median": round(statistics.median(full), 1),
    }


def _link_cpu_us(score_links: Callable[[list[str]], object]) -> tuple[float, float]:
    """Median CPU µs of one link alone and of three at once (a message's links): fresh URLs."""
    kinds = ["http://login-{i}.verify-account.top/x", "https://www.example{i}.com/a/b?c={i}",
             "https://shop{i}.co.id/produk/{i}", "bca.co.id.promo-{i}.xyz"]  # fmt: skip
    one, three = [], []
    for i in range(2_000):
        urls = [kind.format(i=i) for kind in kinds]
        cpu = time.process_time()
        score_links(urls[:1])
        one.append((time.process_time() - cpu) * 1e6)
        cpu = time.process_time()
        score_links(urls[1:])
        three.append((time.process_time() - cpu) * 1e6)
    return round(statistics.median(one), 1), round(statistics.median(three), 1)


def main() -> None:
    from tangkal.detect import score_links, score_message, score_messages

    loads = [_load_seconds() for _ in range(RUNS)]
    texts = _messages(BATCH)
    score_messages(texts[:100])  # warm caches (models, regexes)
    rates, cpu_rates = [], []
    for run in range(RUNS):
        batch = [f"{t} #{run}" for t in texts]  # defeat the link cache between runs
        started, cpu = time.perf_counter(), time.process_time()
        score_messages(batch)
        rates.append(BATCH / (time.perf_counter() - started))
        cpu_rates.append(BATCH / (time.process_time() - cpu))
    singles: list[float] = []
    for text in _messages(2_000):
        started = time.perf_counter()
        score_message(text)
        singles.append((time.perf_counter() - started) * 1000)
    singles.sort()
    cpu_singles: list[float] = []  # CPU time per call: unaffected by other jobs' load
    for text in _messages(2_000):
        cpu = time.process_time()
        score_message(text)
        cpu_singles.append((time.process_time() - cpu) * 1000)
    single_cpu_ms = statistics.fmean(cpu_singles)
    cpu_singles.sort()
    urls = [f"http://login-{i}.verify-account{i % 7}.top/x" for i in range(5_000)]
    started = time.perf_counter()
    score_links(urls)
    link_rate = len(urls) / (time.perf_counter() - started)
    link_singles, link_threes = _link_cpu_us(score_links)
    imports = _import_scoring()
    print(
        json.dumps(
            {
                "model_load_seconds_median": round(statistics.median(w for w, _ in loads), 3),
                "model_load_cpu_seconds_median": round(statistics.median(c for _, c in loads), 3),
                "batch_messages_per_second_median": round(statistics.median(rates)),
                "batch_messages_per_cpu_second_median": round(statistics.median(cpu_rates)),
                "single_message_cpu_ms_mean": round(single_cpu_ms, 3),
                "single_message_cpu_ms_p99": round(cpu_singles[int(len(cpu_singles) * 0.99)], 3),
                "single_message_ms_p50": round(singles[len(singles) // 2], 3),
                "single_message_ms_p99": round(singles[int(len(singles) * 0.99)], 3),
                "links_per_second": round(link_rate),
                "single_link_cpu_us_median": link_singles,
                "three_links_cpu_us_median": link_threes,
                **imports,
                "runs": RUNS,
                "batch_size": BATCH,
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
