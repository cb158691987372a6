#!/usr/bin/env python3
"""Benchmark: a news spike of readers opening shared links (the server-rendered pages).

    python scripts/bench_readers.py [--workers 2] [--levels 500 1000 2000] [--hold 15]
                                    [--projects 100000] [--name readers]
                                    [--base http://127.0.0.1:PORT --server-pid PID]

Each simulated reader keeps one HTTP/1.1 connection, as a browser does, and opens shared
links in turn (home, the catalogue, a dataset, a project card, an agency), asking for
brotli like a browser and thinking 0.5-1.5 s between links. Readers are added level by
level and stay; each level is held `--hold` seconds. The load generator is a minimal
keep-alive client on asyncio streams (httpx would spend the cores the server needs).

Per level: p50/p95/p99 answer time (request sent to last byte), answers/s, errors (no
answer within 10 s, a lost connection, a status other than 200), the server's CPU and RSS
(every process of `glasswall serve`: workers and HAProxy) and this generator's own CPU
(it shares the two cores). Loopback only; bounded by the levels, `--hold` and
`--max-seconds`. Results: bench-results/NAME.json and NAME.md.

With `--base` the readers go to a server that is already running (no catalog published,
no server started), so that another load can share it: `bench_crowd.py --readers N` runs
this beside its Streamlit explorers. A line `measuring N readers` is printed when a
level's hold begins.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import httpx  # noqa: E402
from bench_crowd import own_cpu, publish, server_usage  # noqa: E402
from bench_output import run_fast, write_results  # noqa: E402

from portal.serving.launch import free_port, start_server, wait_until_healthy  # noqa: E402

ANSWER_TIMEOUT = 10.0


@dataclass
class Spike:
    host: str
    port: int
    links: list[str]
    level: int = 0
    samples: list[tuple[int, float, bool]] = field(default_factory=list)  # level, s, ok
    stop: asyncio.Event = field(default_factory=asyncio.Event)


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked); its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = head.lower()
    length = re.search(rb"\r\ncontent-length: *(\d+)", headers)
    if length:
        await reader.readexactly(int(length.group(1)))
    elif b"transfer-encoding: chunked" in headers:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def reader_task(spike: Spike, number: int) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, 1.5))  # readers arrive spread out, not in one tick
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while not spike.stop.is_set():
        link = rng.choice(spike.links)
        request = (
            f"GET {link} HTTP/1.1\r\nHost: {spike.host}:{spike.port}\r\n"
            "Accept-Encoding: br, gzip\r\nUser-Agent: bench-readers\r\n\r\n"
        ).encode()
        started, level = time.perf_counter(), spike.level
        ok = False
        try:
            if connection is None:
                connection = await asyncio.wait_for(
                    asyncio.open_connection(spike.host, spike.port), ANSWER_TIMEOUT
                )
            connection[1].write(request)
            status = await asyncio.wait_for(_answer(connection[0]), ANSWER_TIMEOUT)
            ok = status == 200
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            if connection is not None:
                connection[1].close()
            connection = None
        spike.samples.append((level, time.perf_counter() - started, ok))
        await asyncio.sleep(rng.uniform(0.5, 1.5))
    if connection is not None:
        connection[1].close()


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def _usage(server_pid: int | None) -> tuple[float, int, int]:
    """The server's CPU seconds, RSS and processes; zeros when its process is not known."""
    return server_usage(server_pid) if server_pid else (0.0, 0, 0)


async def ramp(args: argparse.Namespace, spike: Spike, server_pid: int | None) -> list[dict]:
    results, tasks = [], []
    deadline = time.monotonic() + args.max_seconds
    for level in args.levels:
        if time.monotonic() > deadline:
            break
        spike.level = level
        tasks += [asyncio.create_task(reader_task(spike, n)) for n in range(len(tasks), level)]
        await asyncio.sleep(2.0)  # let the new readers arrive before measuring
        cpu0, own0, t0 = _usage(server_pid)[0], own_cpu(), time.monotonic()
        first = len(spike.samples)
        print(f"measuring {level} readers", flush=True)
        await asyncio.sleep(args.hold)
        seconds = time.monotonic() - t0
        cpu1, rss, processes = _usage(server_pid)
        taken = [s for s in spike.samples[first:] if s[0] == level]
        times = [s[1] for s in taken if s[2]]
        results.append(
            {
                "readers": level,
                "answers": len(times),
                "answers_per_s": round(len(times) / seconds, 1),
                "p50_s": _quantile(times, 0.50),
                "p95_s": _quantile(times, 0.95),
                "p99_s": _quantile(times, 0.99),
                "errors": len(taken) - len(times),
                "server_cpu_pct": round(100 * (cpu1 - cpu0) / seconds) if server_pid else None,
                "server_rss_mb": round(rss / 2**20) if server_pid else None,
                "server_processes": processes if server_pid else None,
                "generator_cpu_pct": round(100 * (own_cpu() - own0) / seconds),
            }
        )
        print(results[-1], flush=True)
    spike.stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return results


def shared_links(base: str, cards: int = 50) -> list[str]:
    """The links a spike shares: home, the catalogue, each dataset, agencies, project cards."""
    sitemap = httpx.get(f"{base}/sitemap.xml", timeout=60).text
    if "<sitemapindex" in sitemap:  # past 50,000 addresses: read the first part
        sitemap = httpx.get(f"{base}/sitemap-1.xml", timeout=60).text
    addresses = [loc.replace(base, "") for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    datasets = [a for a in addresses if a.startswith("/dataset?")]
    projects = [a for a in addresses if a.startswith("/projects?")][:cards]
    agencies = [a for a in addresses if a.startswith("/agencies?")][:5]
    return ["/", "/", "/dataset", "/projects", *datasets, *agencies, *projects]


def markdown(meta: dict, results: list[dict]) -> str:
    lines = [
        f"Readers on {meta['workers']} worker(s), {meta['catalog']}, think 0.5-1.5 s, "
        f"hold {meta['hold']} s per level, links: {meta['links']}.",
        "",
        "| readers | answers/s | p50 s | p95 s | p99 s | errors | server CPU % | server RSS MB | generator CPU % |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['readers']} | {r['answers_per_s']} | {r['p50_s']} | {r['p95_s']} | "
            f"{r['p99_s']} | {r['errors']} | {r['server_cpu_pct']} | {r['server_rss_mb']} | "
            f"{r['generator_cpu_pct']} |"
        )
    return "\n".join(lines) + "\n"


def spike_on(args: argparse.Namespace, base: str, server_pid: int | None) -> tuple[list, int]:
    """The ramp against the server at `base`; the results and how many distinct links."""
    links = shared_links(base)
    for link in set(links):  # each page drawn once, as after a publication
        httpx.get(base + link, headers={"Accept-Encoding": "br"}, timeout=60)
    address = urlsplit(base)
    spike = Spike(address.hostname or "127.0.0.1", address.port or 80, links)
    return run_fast(ramp(args, spike, server_pid)), len(set(links))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--hold", type=float, default=15.0, help="seconds at each level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--projects", type=int, help="a synthetic catalog of N projects")
    parser.add_argument("--base", help="a running server to read from (nothing started)")
    parser.add_argument("--server-pid", type=int, help="with --base: its process, for CPU/RSS")
    parser.add_argument("--max-seconds", type=float, default=240.0)
    parser.add_argument("--name", default="readers")
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    if args.base:
        results, links = spike_on(args, args.base.rstrip("/"), args.server_pid)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-readers-") as tmp:
            home = Path(tmp) / "var"
            publish(home, args.projects)
            port = free_port()
            with (Path(tmp) / "server.log").open("w") as log:
                server = start_server(home, port, log, workers=args.workers)
                try:
                    base = f"http://127.0.0.1:{port}"
                    if not wait_until_healthy(base, timeout=120):
                        sys.exit((Path(tmp) / "server.log").read_text())
                    results, links = spike_on(args, base, server.pid)
                finally:
                    server.terminate()
                    server.wait(timeout=30)
    meta = {
        "workers": args.workers,
        "catalog": f"{args.projects} synthetic projects" if args.projects else "the sample data",
        "hold": args.hold,
        "links": links,
    }
    write_results(args.name, {"meta": meta, "levels": results}, markdown(meta, results), args.out)


if __name__ == "__main__":
    main()
