#!/usr/bin/env python3
"""Benchmark: how many concurrent citizens the glass wall holds (Streamlit's own protocol).

    python scripts/bench_crowd.py [--workers 2] [--levels 1 10 50 100 150 200 300 400]
                                  [--hold 20] [--projects 100000] [--validate] [--name crowd]
                                  [--readers 1500]

Each simulated citizen loads the page (`GET /`; behind HAProxy it may come from the
balancer's cache, and the websocket's answer carries the sticky cookie), opens the page
websocket `/_stcore/stream` as a browser tab does, and runs the
home, projects and a dataset page in turn (BackMsg `rerun_script` with the page and its
query string, ForwardMsgs read until `script_finished`), thinking 1-3 s between page
runs. Every other round it also reads the Action API (`package_show`) and downloads a
published CSV, as journalists' scripts do beside the citizens. Citizens are added level
by level (1 ... 400) and stay; each level is held `--hold` seconds.

Per level (a page run counts in the level during which it finished): p50/p95/p99 page
run, page runs/s, errors (a page run that timed out, raised, or lost its socket; an HTTP
answer other than 200), API and download p95, the server's RSS (every process of
`glasswall serve`: workers and HAProxy) and its CPU use, and this load generator's own
CPU (it shares the two cores with the server). `--validate` first
checks the protocol against a real Chromium tab: the same elements arrive for each page.
Loopback only; bounded by the levels, `--hold` and `--max-seconds`.
`--readers N` adds a news spike beside the explorers: N readers of the server-rendered
pages (scripts/bench_readers.py, in its own process, on the same server) arrive first and
stay through every level; their answer times are reported with the explorers'.
Results: bench-results/NAME.json and NAME.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import websockets  # noqa: E402
from bench_output import run_fast, write_results  # noqa: E402

from portal.serving.launch import CHROMIUM_FLAGS, free_port, start_server, wait_until_healthy  # noqa: E402
from portal.serving.page_client import PageClient, PageRun, record  # noqa: E402

PAGE_TIMEOUT = 30.0
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Sample:
    level: int
    kind: str  # "page", "api", "download"
    seconds: float
    ok: bool
    what: str = ""
    page: str = ""  # which page a page run drew


@dataclass
class Crowd:
    base: str
    pages: list[tuple[str, str]]
    api_path: str
    download_path: str
    level: int = 0
    samples: list[Sample] = field(default_factory=list)
    retries: dict[int, int] = field(default_factory=dict)  # per level: GETs sent again
    stop: asyncio.Event = field(default_factory=asyncio.Event)


# --- the server's processes -------------------------------------------------------------


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def server_usage(root: int) -> tuple[float, int, int]:
    """CPU seconds so far, resident bytes, and process count of `root` and its descendants."""
    cpu, rss, count = 0.0, 0, 0
    for pid in _tree(root):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICKS
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
            count += 1
    return cpu, rss, count


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- one citizen ------------------------------------------------------------------------


async def _get(crowd: Crowd, client: httpx.AsyncClient, path: str) -> httpx.Response:
    """GET as a browser does: a request sent on a kept-alive connection that the other
    side closed at that moment is sent once more (counted as a retry, not hidden)."""
    try:
        return await client.get(path, timeout=PAGE_TIMEOUT)
    except httpx.RemoteProtocolError:
        crowd.retries[crowd.level] = crowd.retries.get(crowd.level, 0) + 1
        return await client.get(path, timeout=PAGE_TIMEOUT)


async def _http(crowd: Crowd, client: httpx.AsyncClient, kind: str, path: str) -> None:
    start = time.perf_counter()
    try:
        response = await _get(crowd, client, path)
        ok, what = response.status_code == 200, str(response.status_code)
    except httpx.HTTPError as error:
        ok, what = False, type(error).__name__
    crowd.samples.append(Sample(crowd.level, kind, time.perf_counter() - start, ok, what))


async def citizen(crowd: Crowd, number: int, client: httpx.AsyncClient) -> None:
    rng = random.Random(number)
    rounds = 0
    while not crowd.stop.is_set():
        try:
            landing = await _get(crowd, client, "/")
            cookie = "; ".join(f"{k}={v}" for k, v in landing.cookies.items())
            async with PageClient(crowd.base, cookie=cookie, timeout=PAGE_TIMEOUT) as tab:
                while not crowd.stop.is_set():
                    for page, query in crowd.pages:
                        run = await tab.run(page, query)
                        what = run.status if not run.exceptions else "exception"
                        # Counted in the level during which it finished (throughput per level).
                        crowd.samples.append(
                            Sample(crowd.level, "page", run.seconds, run.ok, what, page)
                        )
                        await _think(crowd, rng)
                    rounds += 1
                    if rounds % 2 == number % 2:
                        await _http(crowd, client, "api", crowd.api_path)
                        await _http(crowd, client, "download", crowd.download_path)
        except (OSError, httpx.HTTPError, websockets.WebSocketException, TimeoutError) as error:
            crowd.samples.append(Sample(crowd.level, "page", 0.0, False, type(error).__name__))
            await _think(crowd, rng)  # a browser waits before it reconnects


async def _think(crowd: Crowd, rng: random.Random) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(crowd.stop.wait(), rng.uniform(1.0, 3.0))


# --- the ramp ---------------------------------------------------------------------------


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def summarise(crowd: Crowd, level: int, seconds: float, usage: dict[str, float]) -> dict:
    mine = [s for s in crowd.samples if s.level == level]
    pages = [s for s in mine if s.kind == "page"]
    good = [s.seconds for s in pages if s.ok]
    errors = Counter(s.what for s in mine if not s.ok)
    side = {
        kind: _quantile([s.seconds for s in mine if s.kind == kind and s.ok], 0.95)
        for kind in ("api", "download")
    }
    per_page = {
        name: _quantile([s.seconds for s in pages if s.ok and s.page == name], 0.95)
        for name in sorted({s.page for s in pages if s.page})
    }
    return {
        "citizens": level,
        "page_runs": len(pages),
        "p50": _quantile(good, 0.50),
        "p95": _quantile(good, 0.95),
        "p99": _quantile(good, 0.99),
        "p95_per_page": per_page,
        "page_runs_per_s": round(len(good) / seconds, 1),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "http_retries": crowd.retries.get(level, 0),
        "api_requests": sum(1 for s in mine if s.kind == "api"),
        "api_p95": side["api"],
        "download_p95": side["download"],
        **usage,
    }


async def ramp(args: argparse.Namespace, crowd: Crowd, server_pid: int) -> list[dict]:
    results: list[dict] = []
    tasks: list[asyncio.Task[None]] = []
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200)
    started = time.monotonic()
    idle_rss = server_usage(server_pid)[1]
    async with httpx.AsyncClient(base_url=crowd.base, limits=limits) as client:
        for level in args.levels:
            if time.monotonic() - started + args.hold > args.max_seconds:
                print(f"stopping before {level} citizens: --max-seconds reached", flush=True)
                break
            crowd.level = level
            cpu0, own0, wall0 = server_usage(server_pid)[0], own_cpu(), time.monotonic()
            for number in range(len(tasks), level):
                tasks.append(asyncio.create_task(citizen(crowd, number, client)))
                await asyncio.sleep(min(0.02, args.hold / 4 / max(level, 1)))
            await asyncio.sleep(max(0.0, args.hold - (time.monotonic() - wall0)))
            wall = time.monotonic() - wall0
            cpu1, rss, processes = server_usage(server_pid)
            usage = {
                "server_cpu_pct": round(100 * (cpu1 - cpu0) / wall),
                "server_rss_mb": round(rss / 2**20),
                "server_processes": processes,
                # growth over the idle server, per citizen (0 while within the noise)
                "rss_per_citizen_mb": max(0.0, round((rss - idle_rss) / 2**20 / level, 2)),
                "loadgen_cpu_pct": round(100 * (own_cpu() - own0) / wall),
            }
            results.append(summarise(crowd, level, wall, usage))
            print(results[-1], flush=True)
        crowd.stop.set()
        _, late = await asyncio.wait(tasks, timeout=5)
        for task in late:  # a citizen still waiting on a page run: the figures are taken
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return results


# --- the protocol, checked against Chromium ---------------------------------------------


def chromium_elements(base: str, page: str, query: str) -> list[str]:
    """The element types a real Chromium tab receives for one page, in order."""
    from playwright.sync_api import sync_playwright
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    run = PageRun(page)
    finished = []

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, str) or finished:
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "new_session":
            run.elements.clear()
        record(message, run)
        if message.WhichOneof("type") == "script_finished" and message.script_finished == 0:
            finished.append(True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        tab = browser.new_page()
        tab.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        tab.goto(f"{base}/{'' if page == 'home' else page}?{query}")
        deadline = time.monotonic() + 120
        while not finished and time.monotonic() < deadline:
            tab.wait_for_timeout(200)
        browser.close()
    return run.elements


async def _client_elements(base: str, page: str, query: str) -> list[str]:
    async with PageClient(base, timeout=120) as tab:
        return (await tab.run(page, query)).elements


def validate(base: str, pages: list[tuple[str, str]]) -> list[dict]:
    checks = []
    for page, query in pages:
        browser = Counter(chromium_elements(base, page, query))
        ours = Counter(asyncio.run(_client_elements(base, page, query)))
        checks.append(
            {
                "page": page,
                "query": query,
                "elements": sum(ours.values()),
                "same": browser == ours,
                "browser_only": dict(browser - ours),
                "client_only": dict(ours - browser),
            }
        )
        print(checks[-1], flush=True)
    return checks


# --- set-up and report ------------------------------------------------------------------


def publish(home: Path, projects: int | None) -> None:
    if projects:
        from bench_web import publish_catalog

        publish_catalog(home, projects, agencies=30)
        return
    from portal.config import load_settings
    from portal.publishing.demo import publish_samples
    from portal.store import Store

    store = Store(home)
    store.init()
    publish_samples(store, load_settings(home))
    store.close()


def _targets(base: str) -> tuple[str, str, str]:
    """A dataset reference for the dataset page, its package_show path and a CSV URL."""
    packages = httpx.get(f"{base}/api/3/action/package_list", timeout=60).json()["result"]
    name = sorted(packages)[0]
    package = httpx.get(f"{base}/api/3/action/package_show?id={name}", timeout=60).json()
    agency, dataset = name.split("--", 1)
    resource_name = package["result"]["resources"][0]["name"]
    return (
        f"{agency}/{dataset}",
        f"/api/3/action/package_show?id={name}",
        f"/download/{agency}/{dataset}/latest/{resource_name}.csv",
    )


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def start_readers(
    args: argparse.Namespace, base: str, server_pid: int, out: Path
) -> subprocess.Popen[str]:
    """The reader spike in its own process on the same server; returns once it measures."""
    hold = len(args.levels) * args.hold  # the readers' window is the explorers' ramp
    command = [sys.executable, str(REPO / "scripts" / "bench_readers.py"), "--base", base]
    command += ["--server-pid", str(server_pid), "--levels", str(args.readers)]
    command += ["--hold", str(hold), "--max-seconds", str(hold + 60), "--workers"]
    command += [str(args.workers), "--name", "readers", "--out", str(out)]
    spike = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert spike.stdout is not None
    for line in spike.stdout:
        if line.startswith("measuring"):
            print(f"beside the explorers: {line.strip()}", flush=True)
            return spike
    sys.exit(f"the reader spike ended before it measured (exit {spike.wait()})")


def readers_result(spike: subprocess.Popen[str], out: Path) -> dict:
    """The readers' figures, once their hold (as long as the explorers' ramp) is over."""
    spike.communicate(timeout=180)
    return json.loads((out / "readers.json").read_text())


def markdown(meta: dict, results: list[dict], checks: list[dict]) -> str:
    lines = [
        f"Catalog: {meta['catalog']}; `glasswall serve --workers {meta['workers']}` "
        f"(HAProxy in front when more than one); {meta['cores']} cores shared with the "
        f"load generator; each level held {meta['hold']} s; think time 1-3 s.",
        "",
        "| concurrent citizens | p50 page run (s) | p95 (s) | p99 (s) | page runs/s | errors "
        "| HTTP retries | API p95 (s) | download p95 (s) | server CPU % | server RSS (MiB) "
        "| RSS per citizen (MiB) | load generator CPU % |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cells = [
            r["citizens"],
            r["p50"],
            r["p95"],
            r["p99"],
            r["page_runs_per_s"],
            r["errors"],
            r.get("http_retries", 0),
            r["api_p95"],
            r["download_p95"],
            r["server_cpu_pct"],
            r["server_rss_mb"],
            r["rss_per_citizen_mb"],
            r["loadgen_cpu_pct"],
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if checks:
        same = all(c["same"] for c in checks)
        counted = ", ".join(f"{c['page']} {c['elements']}" for c in checks)
        lines += [
            "",
            f"Protocol check against Chromium: {'the same' if same else 'DIFFERENT'} "
            f"elements per page ({counted}).",
        ]
    return "\n".join(lines) + "\n"


def _readers_markdown(readers: dict) -> str:
    """The readers' table under the explorers', as bench_readers writes it."""
    from bench_readers import markdown as readers_table

    lines = ["", "Beside the explorers, through every level, on the same server:", ""]
    return "\n".join(lines) + readers_table(readers["meta"], readers["levels"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--levels", type=int, nargs="+", default=[1, 10, 50, 100, 150, 200, 300, 400]
    )
    parser.add_argument("--hold", type=float, default=20.0, help="seconds at each level")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--projects", type=int, help="a synthetic catalog of N projects")
    parser.add_argument("--validate", action="store_true", help="check against Chromium first")
    parser.add_argument("--max-seconds", type=float, default=540.0)
    parser.add_argument("--readers", type=int, help="N readers of the door pages beside")
    parser.add_argument("--name", default="crowd")
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "var"
        publish(home, args.projects)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with (Path(folder) / "server.log").open("w") as log:
            server = start_server(home, port, log, workers=args.workers)
            try:
                if not wait_until_healthy(base, timeout=180):
                    sys.exit((Path(folder) / "server.log").read_text())
                dataset, api_path, download_path = _targets(base)
                pages = [
                    ("home", "lang=fa"),
                    ("projects", "lang=fa"),
                    ("dataset", f"lang=fa&dataset={dataset}"),
                ]
                checks = validate(base, pages) if args.validate else []
                crowd = Crowd(base, pages, api_path, download_path)
                spike = (
                    start_readers(args, base, server.pid, Path(folder)) if args.readers else None
                )
                results = run_fast(ramp(args, crowd, server.pid))
                readers = readers_result(spike, Path(folder)) if spike else None
            finally:
                server.terminate()
                server.wait(timeout=60)
    meta = {
        "catalog": f"synthetic, {args.projects:,} projects" if args.projects else "sample data",
        "workers": args.workers,
        "cores": os.cpu_count(),
        "hold": args.hold,
        "python": sys.version.split()[0],
    }
    data = {"meta": meta, "levels": results, "protocol_check": checks, "readers": readers}
    table = markdown(meta, results, checks)
    if readers:
        table += _readers_markdown(readers)
    write_results(args.name, data, table, args.out)


if __name__ == "__main__":
    main()
