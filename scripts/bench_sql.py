#!/usr/bin/env python3
"""Benchmark: SQL over a published table of 1M projects, against pandas and Datasette.

    python scripts/bench_sql.py [--projects 1000000] [--runs 30] [--datasette PATH]

Publishes `--projects` synthetic projects (one agency, one table; the generator's labelled
synthetic rows) into a fresh store, serves it with `glasswall serve --workers 1` on
127.0.0.1, and times two questions asked through `datastore_search_sql` over HTTP (each
run a distinct comment in the SQL, so the answer cache never answers):

- GROUP BY: count, budget and mean progress by sector and status over every row;
- a filtered page: rows 101-200 of one status above a budget, in the file's order (as
  `datastore_search` pages);
- the top 100 of those by budget (ORDER BY over every matching row; shown, no target).

The same questions are timed on the same rows with pandas (the table already in memory)
and with Datasette (the PyPI package, `datasette serve` over a SQLite copy of the table,
over HTTP, no index, as Datasette serves a CSV import) and with Python's sqlite3 directly.
Datasette runs from its own virtualenv (`--datasette`, the `datasette` executable) so its
dependencies do not touch the portal's. Results go to bench-results/sql.json and sql.md.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_output import write_results  # noqa: E402

from portal.serving.launch import free_port, start_server, wait_until_healthy  # noqa: E402

TABLE = "synthetic-0001/infrastructure-projects"
GROUP_BY = (
    "SELECT sector, status, count(*) AS projects, sum(budget_irr) AS budget_irr,"
    " avg(physical_progress_pct) AS progress FROM {table} GROUP BY sector, status"
    " ORDER BY sector, status"
)
# A page as datastore_search pages: the matching rows in the file's order, 100 at a time.
PAGE = (
    "SELECT * FROM {table} WHERE status = 'implementation' AND budget_irr > 500000000000"
    " LIMIT 100 OFFSET 100"
)
# The 100 largest matching budgets: every matching row is looked at (no target; shown).
TOP = (
    "SELECT * FROM {table} WHERE status = 'implementation' AND budget_irr > 500000000000"
    " ORDER BY budget_irr DESC, id LIMIT 100"
)
QUERIES = (("group_by", GROUP_BY), ("page", PAGE), ("top", TOP))
TARGETS_MS = {"group_by": 300.0, "page": 50.0}


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def timed(call: Callable[[int], Any], runs: int, warm: int = 3) -> dict[str, float]:
    for number in range(warm):
        call(-1 - number)
    times = []
    for number in range(runs):
        started = time.perf_counter()
        call(number)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


def publish_catalog(home: Path, projects: int) -> float:
    data = home.parent / "synthetic"
    generator = REPO / "scripts" / "generate_datasets.py"
    command = [sys.executable, str(generator), "synthetic", "--projects", str(projects)]
    subprocess.run([*command, "--agencies", "1", "--out", str(data)], check=True)
    from portal.config import load_settings
    from portal.publishing.demo import publish_samples
    from portal.store import Store

    started = time.perf_counter()
    store = Store(home)
    store.init()
    csv_bytes = sum(f.stat().st_size for f in data.rglob("*.csv"))
    settings = replace(load_settings(home), max_upload_bytes=2 * csv_bytes + 10_000_000)
    publish_samples(store, settings, data)
    store.close()
    return time.perf_counter() - started


def load_frame(home: Path) -> Any:
    """The published table as the portal reads it (the columnar cache), as pandas."""
    from portal.api.ckan.index import INDEXES
    from portal.sql.sources import resolve
    from portal.store import reading

    with reading(home) as store:
        source = resolve(store, INDEXES.current(home, ""), TABLE)
    return source.load().to_pandas()


def portal_runs(url: str, runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for name, template in QUERIES:
            sql = template.format(table=f'"{TABLE}"')

            def ask(number: int, sql: str = sql) -> None:
                answer = client.get(
                    "/api/3/action/datastore_search_sql",
                    params={"sql": f"{sql} /* run {number} */"},
                )
                answer.raise_for_status()
                assert answer.json()["result"]["records"]

            results[name] = timed(ask, runs)
    return results


def pandas_runs(frame: Any, runs: int) -> dict[str, Any]:
    def group_by(number: int) -> None:
        grouped = frame.groupby(["sector", "status"]).agg(
            projects=("id", "size"),
            budget_irr=("budget_irr", "sum"),
            progress=("physical_progress_pct", "mean"),
        )
        assert len(grouped)

    def chosen() -> Any:
        return frame[(frame["status"] == "implementation") & (frame["budget_irr"] > 5e11)]

    def page(number: int) -> None:
        assert len(chosen().iloc[100:200]) == 100

    def top(number: int) -> None:
        ordered = chosen().sort_values(["budget_irr", "id"], ascending=[False, True])
        assert len(ordered.head(100)) == 100

    return {"group_by": timed(group_by, runs), "page": timed(page, runs), "top": timed(top, runs)}


def sqlite_copy(frame: Any, path: Path) -> None:
    with sqlite3.connect(path) as conn:
        frame.astype(object).where(frame.notna(), None).to_sql(
            "projects", conn, index=False, chunksize=50_000
        )


def sqlite_runs(path: Path, runs: int) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    results = {}
    for name, template in QUERIES:
        sql = template.format(table="projects")
        results[name] = timed(lambda n, sql=sql: conn.execute(sql).fetchall(), runs)
    conn.close()
    return results


def datasette_runs(executable: str, path: Path, runs: int) -> dict[str, Any]:
    port = free_port()
    settings = ["--setting", "sql_time_limit_ms", "60000", "--setting", "max_returned_rows", "1000"]
    server = subprocess.Popen(
        [executable, "serve", str(path), "-p", str(port), *settings],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        version = httpx.get(f"{base}/-/versions.json").json()["datasette"]["version"]
        results: dict[str, Any] = {"version": version}
        with httpx.Client(base_url=base, timeout=120) as client:
            for name, template in QUERIES:
                sql = template.format(table="projects")

                def ask(number: int, sql: str = sql) -> None:
                    answer = client.get(
                        f"/{path.stem}.json",
                        params={"sql": f"{sql} /* run {number} */", "_shape": "array"},
                    )
                    answer.raise_for_status()
                    assert answer.json()

                results[name] = timed(ask, runs)
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def table(results: dict[str, Any]) -> str:
    rows = [
        f"SQL over {results['projects']:,} published projects (one table), "
        f"{results['runs']} runs after 3 warm-ups, p50 / p95 in ms; "
        f"2 cores shared with other work. Publishing took {results['publish_s']:.0f} s.",
        "",
        "| engine | GROUP BY sector, status (all rows) | filtered page of 100 rows "
        "(LIMIT 100 OFFSET 100) | top 100 matching rows by budget (ORDER BY) |",
        "|---|---|---|---|",
    ]
    names = {
        "portal": "Glass Wall `datastore_search_sql` over HTTP (DuckDB worker, Arrow cache)",
        "pandas": "pandas, table already in memory (no HTTP)",
        "datasette": f"Datasette {results.get('datasette', {}).get('version', '')} over HTTP "
        "(SQLite copy, no index)",
        "sqlite": "SQLite directly (sqlite3, same copy, no HTTP)",
    }
    for key, label in names.items():
        found = results.get(key)
        if not found or "group_by" not in found:
            rows.append(f"| {label} | {found.get('note', 'not run') if found else 'not run'} | | |")
            continue
        cells = [f"{found[q]['p50_ms']} / {found[q]['p95_ms']}" for q, _ in QUERIES]
        rows.append(f"| {label} | {' | '.join(cells)} |")
    portal = results["portal"]
    verdicts = [
        f"{q}: p95 {portal[q]['p95_ms']} ms against the target of {TARGETS_MS[q]:.0f} ms "
        f"({'met' if portal[q]['p95_ms'] <= TARGETS_MS[q] else 'missed'})"
        for q in ("group_by", "page")
    ]
    rows += ["", "Targets: " + "; ".join(verdicts) + ".", ""]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--datasette", default=os.environ.get("DATASETTE", "datasette"))
    args = parser.parse_args()
    results: dict[str, Any] = {"projects": args.projects, "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="bench-sql-") as folder:
        home = Path(folder) / "var"
        results["publish_s"] = round(publish_catalog(home, args.projects), 1)
        port = free_port()
        with (Path(folder) / "server.log").open("w") as log:
            server = start_server(home, port, log, workers=1)
            try:
                url = f"http://127.0.0.1:{port}"
                assert wait_until_healthy(url, timeout=300), "the portal did not start"
                results["portal"] = portal_runs(url, args.runs)
            finally:
                server.terminate()
                server.wait(timeout=30)
        frame = load_frame(home)
        assert len(frame) == args.projects
        results["pandas"] = pandas_runs(frame, args.runs)
        copy = Path(folder) / "bench.sqlite"
        sqlite_copy(frame, copy)
        results["sqlite"] = sqlite_runs(copy, args.runs)
        try:
            results["datasette"] = datasette_runs(args.datasette, copy, args.runs)
        except (OSError, httpx.HTTPError, KeyError) as exc:
            results["datasette"] = {"note": f"Datasette could not run: {exc}"}
    write_results("sql", results, table(results))


if __name__ == "__main__":
    main()
