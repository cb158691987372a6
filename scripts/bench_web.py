#!/usr/bin/env python3
"""Benchmark: the glass wall's pages on synthetic catalogs, served as citizens get them.

    python scripts/bench_web.py [--projects 10000 100000 1000000] [--agencies 30]

For each size it publishes a synthetic catalog (the foundation generator: M agencies
sharing N projects, labelled as synthetic) into a fresh store, serves it with
`glasswall serve --workers 1`, and times page runs over Streamlit's own websocket
protocol (`portal/serving/page_client.py`, as `bench_crowd.py` does):
  * the first run of the home and projects pages after the server starts (every
    projects file is read: from the columnar cache written at publish time);
  * the first run after a publication while the server runs (one more dataset of
    one agency is published next to the others, then each page runs once);
  * a warm run (median of five);
  * the time until the home page's headline figures are visible in headless Chromium,
    median of three fresh page loads.
Results go to bench-results/web.json and web.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_output import write_results  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from portal.serving.launch import CHROMIUM_FLAGS, free_port, start_server, wait_until_healthy  # noqa: E402
from portal.serving.page_client import PageClient  # noqa: E402

PAGES = ("home", "projects")


def publish_catalog(home: Path, projects: int, agencies: int) -> None:
    data = home.parent / "synthetic"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "generate_datasets.py"),
            "synthetic",
            "--projects",
            str(projects),
            "--agencies",
            str(agencies),
            "--out",
            str(data),
        ],
        check=True,
    )
    from portal.config import load_settings
    from portal.publishing.demo import publish_samples
    from portal.store import Store

    settings = load_settings(home)
    store = Store(home)
    store.init()
    publish_samples(store, settings, data)
    store.close()


async def _timed(base: str, page: str) -> float:
    """One page run in a fresh tab (its own session), in seconds."""
    async with PageClient(base, timeout=600) as tab:
        run = await tab.run(page, "lang=fa")
    if not run.ok:
        sys.exit(f"{page}: {run.status} {run.exceptions}")
    return run.seconds


def publish_one_more(home: Path) -> None:
    """A publication while the portal serves: the first synthetic agency's package again,
    as a second dataset of that agency (its projects join the catalog)."""
    from portal.config import load_settings
    from portal.publishing.publish import publish
    from portal.store import Store, catalog

    source = next(p for p in sorted((home.parent / "synthetic").iterdir()) if p.is_dir())
    copy = home.parent / "one-more"
    shutil.copytree(source, copy)
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = f"{descriptor['name']}-second"
    (copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    store = Store(home)
    try:
        agency = next(d.agency for d in catalog.datasets(store.conn))
        publish(store, copy, load_settings(home), agency_slug=agency)
    finally:
        store.close()


def served_runs(home: Path) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (home.parent / "server.log").open("w") as log:
        server = start_server(home, port, log, workers=1)
        try:
            if not wait_until_healthy(base, timeout=300):
                sys.exit((home.parent / "server.log").read_text())
            out: dict = {f"{page}_page": {} for page in PAGES}
            for page in PAGES:
                out[f"{page}_page"]["after_start"] = asyncio.run(_timed(base, page))
            publish_one_more(home)
            for page in PAGES:
                out[f"{page}_page"]["after_publication"] = asyncio.run(_timed(base, page))
            for page in PAGES:
                warm = [asyncio.run(_timed(base, page)) for _ in range(5)]
                out[f"{page}_page"]["warm"] = statistics.median(warm)
            out["browser_headline_seconds"] = browser_time(base)
            return {k: _rounded(v) for k, v in out.items()}
        finally:
            server.terminate()
            server.wait(timeout=60)


def _rounded(value: object) -> object:
    if isinstance(value, dict):
        return {k: round(v, 3) for k, v in value.items()}
    return round(value, 2) if isinstance(value, float) else value


def browser_time(base: str) -> float:
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        context = browser.new_context()  # one visitor: the app's scripts come from cache
        for attempt in range(4):
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{base}/")
            page.locator('[data-testid="stMetricValue"]').nth(6).wait_for(timeout=120_000)
            if attempt:  # the first load also warms the browser's cache
                times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return statistics.median(times)


def measure(projects: int, agencies: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "var"
        start = time.perf_counter()
        publish_catalog(home, projects, agencies)
        setup = time.perf_counter() - start
        result = {
            "projects": projects,
            "agencies": agencies,
            "publish_seconds": round(setup, 1),
            **served_runs(home),
        }
    print(json.dumps(result), flush=True)
    return result


def markdown(results: list[dict]) -> str:
    lines = [
        "Page runs on `glasswall serve --workers 1`, over Streamlit's websocket protocol; seconds.",
        "",
        "| projects | agencies | publish (s) | home: first run after start | home: first run after "
        "a publication | home: warm | projects: first run after start | projects: first run "
        "after a publication | projects: warm | headline visible in Chromium |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        home, listing = r["home_page"], r["projects_page"]
        lines.append(
            f"| {r['projects']:,} | {r['agencies']} | {r['publish_seconds']} | "
            f"{home['after_start']} | {home['after_publication']} | {home['warm']} | "
            f"{listing['after_start']} | {listing['after_publication']} | {listing['warm']} | "
            f"{r['browser_headline_seconds']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--agencies", type=int, default=30)
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    args = parser.parse_args()
    results = [measure(n, args.agencies) for n in args.projects]
    write_results("web", results, markdown(results), args.out)


if __name__ == "__main__":
    main()
