"""The public whole-message check over HTTP: POST /api/v1/analyze under wrk, 2 workers.

    .venv/bin/python benchmarks/bench_analyze_api.py [--duration 10] [--connections 64] [--unique N]

Serves a fresh store with Tangkal's ASGI app (uvicorn, 2 workers, as `tangkal serve`), posts
demo-style scam messages (picked at random from 1,000 per request) with wrk, and, in the same
run, loads the bare `GET /healthz` of the same server as the HTTP floor. Needs `wrk`.
With ``--unique N``, a second measured run posts N further messages in order, each at most
once (N must exceed the requests sent: `all_unique` says whether it did): no per-link cache of
the server has seen their links' exact URLs, though popular hosts (wa.me, bit.ly) recur as
in real traffic. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import time

import orjson
from loadgen import OUT, VENV_BIN, run_wrk, serve, stop, wrk

from tangkal.report.demo import generate

PORT = 8121
# wrk picks one of the bodies per request; a Lua table of JSON strings.
_LUA = """
local bodies = {BODIES}
math.randomseed(42)
request = function()
  local body = bodies[math.random(1, #bodies)]
  return wrk.format("POST", "/api/v1/analyze", {["Content-Type"] = "application/json"}, body)
end
"""


# Each wrk thread reads the bodies file and posts every other line (thread 0 the even lines,
# thread 1 the odd ones), in order: no body is sent twice until the file is used up.
_LUA_UNIQUE = """
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  bodies = {}
  local k = 0
  for line in io.lines("{PATH}") do
    if k % 2 == id then bodies[#bodies + 1] = line end
    k = k + 1
  end
  sent = 0
end
request = function()
  sent = sent + 1
  local body = bodies[(sent - 1) % #bodies + 1]
  return wrk.format("POST", "/api/v1/analyze", {["Content-Type"] = "application/json"}, body)
end
"""


def bodies(n: int, seed: int = 11) -> list[str]:
    out = []
    for item in generate(n, seed=seed):
        text = item.report.get("narrative") or "Transfer ke BCA 7651234567 a.n. Budi"
        out.append(orjson.dumps({"text": text, "country": item.report["victim_country"]}).decode())
    return out


def post_wrk(texts: list[str], duration: int, connections: int) -> dict[str, float]:
    script = OUT / "wrk_analyze.lua"
    lua_strings = ",".join("[==[" + t + "]==]" for t in texts)
    script.write_text(_LUA.replace("{BODIES}", "{" + lua_strings + "}"))
    return run_wrk(script, PORT, duration, connections)


def post_unique(texts: list[str], duration: int, connections: int) -> dict[str, float]:
    """Post each body at most once, in order, over wrk's two threads."""
    path = OUT / "analyze_unique.jsonl"
    path.write_text("\n".join(texts) + "\n")
    script = OUT / "wrk_analyze_unique.lua"
    script.write_text(_LUA_UNIQUE.replace("{PATH}", str(path)))
    result = run_wrk(script, PORT, duration, connections)
    sent = result["rps"] * duration
    return {**result, "bodies": len(texts), "all_unique": sent < len(texts)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument(
        "--unique", type=int, default=0, help="also post N never-repeated messages (e.g. 30000)"
    )
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "analyze-api.db"
    for suffix in ("", "-wal", "-shm"):
        (OUT / f"analyze-api.db{suffix}").unlink(missing_ok=True)
    env = {
        **os.environ,
        "TANGKAL_DATABASE_URL": f"sqlite:///{db}",
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
    }
    texts = bodies(1000)
    rng = random.Random(1)
    rng.shuffle(texts)
    known = set(texts)
    fresh = [t for t in bodies(args.unique, seed=12) if t not in known] if args.unique else []
    result: dict[str, object] = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": os.getloadavg()[0],
        "mean_text_chars": round(sum(len(orjson.loads(t)["text"]) for t in texts) / len(texts)),
    }
    subprocess.run([str(VENV_BIN / "tangkal"), "init"], env=env, check=True, capture_output=True)
    proc = serve("tangkal.web.asgi:app", PORT, env)
    try:
        post_wrk(texts, 3, args.connections)  # warm-up: models load in each worker
        result["healthz_floor"] = wrk("/healthz?%d", PORT, 1, args.duration, args.connections)
        result["analyze"] = post_wrk(texts, args.duration, args.connections)
        if args.unique:
            result["analyze_unique"] = post_unique(fresh, args.duration, args.connections)
    finally:
        stop(proc)
    result["load_after"] = os.getloadavg()[0]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
