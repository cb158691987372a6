#!/usr/bin/env python3
"""Benchmark: Glass Wall's CKAN-compatible API beside a real CKAN 2.11, and push times.

    python scripts/bench_ckan.py [--calls 500] [--datasets 1000]

In one run: the sample agencies are published into a fresh store and served by
`glasswall serve`; a test CKAN (scripts/ckan_stand.py: CKAN 2.11.6 dev server, threaded,
PostgreSQL, Redis and the PostgreSQL stand-in for Solr) receives them with
`glasswall ckan push`. Then `--calls` sequential calls (one keep-alive client) of
package_show and package_search go to each, and p50/p95 are compared. Last, a synthetic
catalog of `--datasets` agencies with one dataset each is published and pushed, twice
(the second push has nothing to send). Results go to bench-results/ckan.json and ckan.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_output import write_results  # noqa: E402

from portal.config import load_settings  # noqa: E402
from portal.federation.client import CkanPortal  # noqa: E402
from portal.federation.push import PushOptions, push  # noqa: E402
from portal.metadata.snapshot import SNAPSHOTS  # noqa: E402
from portal.publishing.demo import publish_samples  # noqa: E402
from portal.serving.launch import free_port, start_server, wait_until_healthy  # noqa: E402
from portal.store import Store  # noqa: E402

CALLS = {
    "package_show": ("package_show", {"id": "mrud-yazd--infrastructure-projects"}),
    "package_search": ("package_search", {"q": "Yazd", "facet.field": '["organization"]'}),
}


def latencies(base: str, action: str, params: dict[str, str], calls: int) -> dict[str, float]:
    times = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for attempt in range(calls + 10):
            start = time.perf_counter()
            response = client.get(f"/api/3/action/{action}", params=params)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200 and response.json()["success"], response.text[:300]
            if attempt >= 10:  # the first calls warm caches and connections
                times.append(elapsed * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "calls": len(times),
    }


def timed_push(home: Path, portal: CkanPortal) -> dict[str, float]:
    store = Store(home)
    start = time.perf_counter()
    report = push(store, SNAPSHOTS.current(home), portal, PushOptions())
    seconds = time.perf_counter() - start
    store.close()
    return {"seconds": round(seconds, 2), "steps": len(report.steps),
            "unchanged": report.count("unchanged")}  # fmt: skip


def stand(action: str, root: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "ckan_stand.py"), action, "--dir", str(root)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1]) if action == "up" else {}


def synthetic_catalog(home: Path, datasets: int) -> float:
    data = home.parent / "synthetic"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_datasets.py"), "synthetic",
         "--projects", str(datasets * 20), "--agencies", str(datasets), "--out", str(data)],
        check=True,
    )  # fmt: skip
    store = Store(home)
    store.init()
    start = time.perf_counter()
    publish_samples(store, load_settings(home), data)
    store.close()
    return time.perf_counter() - start


def markdown(r: dict) -> str:
    lines = [
        f"One run on this {r['cores']}-core machine; sequential calls with one keep-alive client, "
        f"{r['calls']} timed calls per row (after 10 warm-up calls). CKAN {r['ckan_version']} "
        "dev server (threaded) with PostgreSQL, Redis and the PostgreSQL stand-in for Solr.",
        "",
        "| action | Glass Wall p50 (ms) | Glass Wall p95 (ms) | CKAN p50 (ms) | CKAN p95 (ms) | CKAN / Glass Wall (p50) | (p95) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in r["latency"].items():
        g, c = row["glasswall"], row["ckan"]
        lines.append(
            f"| {name} | {g['p50_ms']} | {g['p95_ms']} | {c['p50_ms']} | {c['p95_ms']} | "
            f"{c['p50_ms'] / g['p50_ms']:.1f}x | {c['p95_ms'] / g['p95_ms']:.1f}x |"
        )
    lines += [
        "",
        "| push | datasets | first push (s) | second push, nothing new (s) |",
        "|---|---:|---:|---:|",
    ]
    for name, row in r["push"].items():
        lines.append(
            f"| {name} | {row['datasets']} | {row['first']['seconds']} | {row['second']['seconds']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--datasets", type=int, default=1000)
    args = parser.parse_args()
    import os

    result: dict = {"calls": args.calls, "cores": os.cpu_count(), "latency": {}, "push": {}}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ckan_root = Path(f"/tmp/glasswall-bench-ckan-{os.getpid()}")
        info = stand("up", ckan_root)
        result["ckan_version"] = info["ckan_version"]
        server = None
        try:
            home = root / "samples" / "var"
            store = Store(home)
            store.init()
            publish_samples(store, load_settings(home))
            store.close()
            portal = CkanPortal(info["url"], info["apikey"])
            first, second = timed_push(home, portal), timed_push(home, portal)
            result["push"]["sample catalog"] = {"datasets": 4, "first": first, "second": second}
            port = free_port()
            server = start_server(home, port)
            base = f"http://127.0.0.1:{port}"
            assert wait_until_healthy(base, timeout=120)
            for name, (action, params) in CALLS.items():
                result["latency"][name] = {
                    "glasswall": latencies(base, action, params, args.calls),
                    "ckan": latencies(info["url"], action, params, args.calls),
                }
                print(name, result["latency"][name], flush=True)
            server.terminate()
            server.wait(timeout=30)
            server = None
            big = root / "big" / "var"
            publish_seconds = synthetic_catalog(big, args.datasets)
            first, second = timed_push(big, portal), timed_push(big, portal)
            result["push"]["synthetic catalog"] = {
                "datasets": args.datasets, "publish_seconds": round(publish_seconds, 1),
                "first": first, "second": second,
            }  # fmt: skip
            print(result["push"], flush=True)
        finally:
            if server is not None:
                server.terminate()
            stand("down", ckan_root)
    write_results("ckan", result, markdown(result))


if __name__ == "__main__":
    main()
