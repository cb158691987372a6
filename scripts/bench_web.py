#!/usr/bin/env python3
"""Benchmark: the glass wall's home and projects pages on synthetic catalogs.

    python scripts/bench_web.py [--projects 10000 100000 1000000] [--agencies 30]

For each size it publishes a synthetic catalog (the foundation generator: M agencies
sharing N projects, labelled as synthetic) into a fresh store, then measures
  * the server-side script run of the home and projects pages with Streamlit's
    AppTest: the first (cold) run and the median of three warm runs;
  * the time until the home page's headline figures are visible in headless Chromium
    (served by `glasswall serve`), median of three fresh page loads.
Results go to bench-results/web.json and web.md.
"""

from __future__ import annotations

import argparse
import json
import os
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

from portal.launch import CHROMIUM_FLAGS, free_port, start_server, wait_until_healthy  # noqa: E402

SCRIPT = "from portal.web.views import {page}\n{page}.render()\n"
PAGE_RUN = """
import json, statistics, sys, time
sys.path.insert(0, {repo!r})
from streamlit.testing.v1 import AppTest
from portal.config import load_settings
from portal.web import context
context.register(load_settings())  # the pages' settings, as `glasswall serve` registers them
out = {{}}
for page in ("home", "projects"):
    app = AppTest.from_string({script!r}.format(page=page), default_timeout=600)
    app.query_params["lang"] = "fa"
    start = time.perf_counter(); app.run(); cold = time.perf_counter() - start
    warm = []
    for _ in range(3):
        start = time.perf_counter(); app.run(); warm.append(time.perf_counter() - start)
    assert not app.exception, app.exception
    out[page] = {{"cold": round(cold, 3), "warm": round(statistics.median(warm), 3)}}
print(json.dumps(out))
"""


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
    from portal.demo import publish_samples
    from portal.store import Store

    settings = load_settings(home)
    store = Store(home)
    store.init()
    publish_samples(store, settings, data)
    store.close()


def browser_time(home: Path) -> float:
    port = free_port()
    server = start_server(home, port)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", timeout=120)
        times = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=CHROMIUM_FLAGS,
            )
            context = browser.new_context()  # one visitor: the app's scripts come from cache
            for attempt in range(4):
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator('[data-testid="stMetricValue"]').nth(6).wait_for(timeout=120_000)
                if attempt:  # the first load also warms the server's cache
                    times.append(time.perf_counter() - start)
                page.close()
            browser.close()
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(projects: int, agencies: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "var"
        start = time.perf_counter()
        publish_catalog(home, projects, agencies)
        setup = time.perf_counter() - start
        code = PAGE_RUN.format(repo=str(REPO), script=SCRIPT)
        env = {**os.environ, "GLASSWALL_HOME": str(home)}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            sys.exit(done.stderr)
        pages = json.loads(done.stdout.strip().splitlines()[-1])
        result = {
            "projects": projects,
            "agencies": agencies,
            "publish_seconds": round(setup, 1),
            "home": pages["home"],
            "projects_page": pages["projects"],
            "browser_headline_seconds": round(browser_time(home), 2),
        }
    print(json.dumps(result), flush=True)
    return result


def markdown(results: list[dict]) -> str:
    lines = [
        "| projects | agencies | home run, cold (s) | home run, warm (s) | projects run, cold (s) | projects run, warm (s) | headline visible in Chromium (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['projects']:,} | {r['agencies']} | {r['home']['cold']} | {r['home']['warm']} | "
            f"{r['projects_page']['cold']} | {r['projects_page']['warm']} | {r['browser_headline_seconds']} |"
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
