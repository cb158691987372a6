#!/usr/bin/env python3
"""Benchmark: the open-access API under 50 concurrent connections, and big downloads.

    python scripts/bench_api.py [--seconds 15] [--download-mb 500]

With the sample agencies published into a fresh store and `glasswall serve` running on
127.0.0.1, `wrk` (Debian package; installed if missing) drives 50 connections for
`--seconds` at each endpoint and reports p50/p95/p99 latency and requests/s. Then a
synthetic projects resource of about `--download-mb` MB is published and downloaded
raw and as `?bom=1` while the server's resident memory is sampled every 50 ms; the same
file served by Python's `http.server` is the reference for throughput.
Results go to bench-results/api.json and api.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_output import write_results  # noqa: E402

from portal.config import load_settings  # noqa: E402
from portal.publishing.demo import publish_samples  # noqa: E402
from portal.serving.launch import free_port, start_server, wait_until_healthy  # noqa: E402
from portal.store import Store, catalog  # noqa: E402

CONNECTIONS = 50
# Each request a different (ignored) parameter: the answer cache never hits, the action runs.
DISTINCT_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&nocache=" .. counter .. "-" .. math.random(1, 1e9))
end
"""
REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, '
    .. '"p99_ms": %.2f, "errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""
ENDPOINTS = {
    "package_show": "/api/3/action/package_show?id=mrud-yazd--infrastructure-projects",
    "package_search (q, 2 facets)": "/api/3/action/package_search?q="
    + quote("یزد")
    + "&facet.field="
    + quote('["organization","province"]'),
    "datastore_search (limit 100)": "/api/3/action/datastore_search?resource_id="
    + quote("mcls-yazd/labour-indicators/observations")
    + "&limit=100",
}


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def load(wrk: str, url: str, seconds: int, script: Path) -> dict:
    """wrk's figures for one URL; `script` decides whether every request is the same."""
    done = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 1)
    return result


class RssSampler(threading.Thread):
    """The peak resident memory of a process, sampled from /proc every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def rss(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.05)


def timed_download(url: str, pid: int) -> dict:
    sampler = RssSampler(pid)
    before = sampler.rss()
    sampler.start()
    size, start = 0, time.perf_counter()
    with httpx.stream("GET", url, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_raw(1024 * 1024):
            size += len(chunk)
    seconds = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    return {
        "bytes": size,
        "seconds": round(seconds, 2),
        "mb_per_s": round(size / seconds / 1e6, 1),
        "rss_before_mb": round(before / 1e6, 1),
        "rss_peak_mb": round(sampler.peak / 1e6, 1),
    }


def big_resource(home: Path, megabytes: int) -> tuple[str, Path]:
    """Publish a synthetic projects package of about `megabytes` MB; its raw URL and object."""
    rows = megabytes * 1_000_000 // 290
    data = home.parent / "synthetic"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_datasets.py"), "synthetic",
         "--projects", str(rows), "--agencies", "1", "--out", str(data)],
        check=True,
    )  # fmt: skip
    settings = replace(load_settings(home), max_upload_bytes=4 * megabytes * 1_000_000)
    store = Store(home)
    results = publish_samples(store, settings, data)
    version = results[0].version
    entry = version.resources[0]
    path = store.objects.path(entry.sha256)
    store.close()
    return f"/download/{version.agency}/{version.dataset}/{version.number}/{entry.name}.csv", path


def downloads(home: Path, base: str, pid: int, megabytes: int) -> dict:
    url, path = big_resource(home, megabytes)
    raw = timed_download(base + url, pid)
    bom = timed_download(base + url + "?bom=1", pid)
    port = free_port()
    reference = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=path.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/")
        static = timed_download(f"http://127.0.0.1:{port}/{path.name}", reference.pid)
    finally:
        reference.terminate()
        reference.wait()
    return {"raw": raw, "bom": bom, "http.server": static}


def wait_until_ready(url: str) -> None:
    for _ in range(100):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)


def markdown(result: dict) -> str:
    lines = [
        f"Loopback, {CONNECTIONS} connections, wrk -t2 for {result['seconds']} s per endpoint, "
        f"{os.cpu_count()} cores shared by wrk and the server; sample agencies published.",
        "",
        "| endpoint | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in result["endpoints"].items():
        figures = [f"{r['requests_per_s']:,}", r["p50_ms"], r["p95_ms"], r["p99_ms"], r["errors"]]
        lines.append(f"| {name} | " + " | ".join(str(f) for f in figures) + " |")
    d = result["downloads"]
    ratio = d["raw"]["mb_per_s"] / d["http.server"]["mb_per_s"]
    lines += [
        "",
        f"Download of a {d['raw']['bytes'] / 1e6:,.0f} MB published resource (one client):",
        "",
        "| download | MB/s | server RSS before (MB) | server RSS peak (MB) |",
        "|---|---:|---:|---:|",
        *(
            f"| {label} | {d[key]['mb_per_s']} | {d[key]['rss_before_mb']} | {d[key]['rss_peak_mb']} |"
            for key, label in (
                ("raw", "raw `.csv` (exact bytes)"),
                ("bom", "`?bom=1` (re-encoded, formula-safe)"),
                ("http.server", "reference: `python -m http.server`, same file"),
            )
        ),
        "",
        f"Raw download throughput is {ratio:.2f}x the reference static server's.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--download-mb", type=int, default=500)
    args = parser.parse_args()
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "var"
        store = Store(home)
        store.init()
        publish_samples(store, load_settings(home))
        assert len(catalog.datasets(store.conn)) == 4
        store.close()
        port = free_port()
        server = start_server(home, port)
        base = f"http://127.0.0.1:{port}"
        try:
            assert wait_until_healthy(base, timeout=120)
            same = Path(folder) / "same.lua"
            same.write_text(REPORT_LUA)
            distinct = Path(folder) / "distinct.lua"
            distinct.write_text(DISTINCT_LUA + REPORT_LUA)
            endpoints = {}
            for name, path in ENDPOINTS.items():
                assert httpx.get(base + path, timeout=60).status_code == 200  # warm the caches
                for kind, script in (("answer cached", same), ("computed each time", distinct)):
                    endpoints[f"{name}, {kind}"] = load(wrk, base + path, args.seconds, script)
                    print(name, kind, endpoints[f"{name}, {kind}"], flush=True)
            result = {
                "seconds": args.seconds,
                "endpoints": endpoints,
                "downloads": downloads(home, base, server.pid, args.download_mb),
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    write_results("api", result, markdown(result))


if __name__ == "__main__":
    main()
