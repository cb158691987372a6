#!/usr/bin/env python3
"""Benchmark: Glass Wall's structural engine vs frictionless-py vs a bare pyarrow read.

    python scripts/bench_validate.py [--sizes 100000 1000000 5000000] [--out bench-results]

Writes projects resources (clean, and with ~10% of rows carrying one error each:
type errors, out-of-range progress, unknown status, empty required title, Jalali
dates, repeated ids), then times in the same run:
  * pyarrow.csv.read_csv (the floor: a bare multi-threaded read, no checks);
  * the engine (`validate_table`, in a fresh process, median of 3, with peak RSS);
  * the full validation (engine + rule packs) on the same file;
  * frictionless-py 5 `validate` with no error limit, on the 100k and 1M files.
Results go to bench-results/validate.json and a Markdown table (validate.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_output import write_results  # noqa: E402

from portal.profiles import codelist, profile_schema  # noqa: E402
from portal.validation.table.dialect import pin_dialect  # noqa: E402

FRICTIONLESS_MAX_ROWS = 1_000_000
ENGINE_RUNS = 3


def _dates(rng: np.random.Generator, n: int, start: str, days: int) -> pa.Array:
    base = np.datetime64(start)
    return pa.array(base + rng.integers(0, days, n).astype("timedelta64[D]"))


def projects_table(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    statuses = np.array(["implementation", "completion", "preparation", "cancelled"])
    status = statuses[rng.integers(0, 4, n)]
    done = status == "completion"
    budget = rng.integers(100, 50_000, n) * 1_000_000_000
    spent = (budget * rng.uniform(0.0, 1.0, n)).astype(np.int64)
    progress = np.where(done, 100.0, np.round(rng.uniform(0, 99, n), 1))
    start = np.datetime64("2019-01-01") + rng.integers(0, 1500, n).astype("timedelta64[D]")
    planned = start + rng.integers(400, 1500, n).astype("timedelta64[D]")
    actual = start + rng.integers(300, 700, n).astype("timedelta64[D]")
    sectors = np.array([c.code for c in codelist("sectors")])
    province = np.where(rng.random(n) < 0.5, "IR-06", "IR-21")
    lat = np.where(province == "IR-06", 31.3, 31.9) + rng.uniform(-0.3, 0.3, n)
    lon = np.where(province == "IR-06", 48.7, 54.4) + rng.uniform(-0.3, 0.3, n)
    titles = np.array(
        ["بهسازی محور اهواز–آبادان", "احداث پل ورودی یزد", "ساخت ۵۰۰ واحد مسکن ملی در میبد"]
    )
    data = {
        "id": pa.array([f"P-{i:08d}" for i in range(1, n + 1)]),
        "title_fa": pa.array(titles[rng.integers(0, 3, n)]),
        "title_en": pa.array(
            np.array(["Road upgrade", "Bridge", "Housing"])[rng.integers(0, 3, n)]
        ),
        "sector": pa.array(sectors[rng.integers(0, len(sectors), n)]),
        "type": pa.array(
            np.array(["construction", "rehabilitation", "expansion"])[rng.integers(0, 3, n)]
        ),
        "status": pa.array(status),
        "province": pa.array(province),
        "county": pa.array(np.array(["اهواز", "یزد", "میبد"])[rng.integers(0, 3, n)]),
        "budget_irr": pa.array(budget),
        "spent_irr": pa.array(spent),
        "physical_progress_pct": pa.array(progress),
        "start_date": pa.array(start),
        "planned_end_date": pa.array(planned),
        "actual_end_date": pa.array(np.where(done, actual, np.datetime64("NaT"))),
        "inauguration_date": pa.array(
            np.where(done, actual + np.timedelta64(20, "D"), np.datetime64("NaT"))
        ),
        "beneficiaries": pa.array(rng.integers(1, 400, n) * 1000),
        "jobs_created": pa.array(rng.integers(10, 2500, n)),
        "contractor": pa.array(np.array(["شرکت نمونه", "قرارگاه نمونه"])[rng.integers(0, 2, n)]),
        "latitude": pa.array(np.round(lat, 5)),
        "longitude": pa.array(np.round(lon, 5)),
        "updated": _dates(rng, n, "2026-10-01", 20),
    }
    table = pa.table(
        {
            k: pa.array(v).cast(pa.string()) if not isinstance(v, pa.Array) else v.cast(pa.string())
            for k, v in data.items()
        }
    )
    return table


def with_errors(table: pa.Table, seed: int, share: float = 0.10) -> pa.Table:
    """About `share` of rows get one error each."""
    rng = np.random.default_rng(seed + 1)
    n = table.num_rows
    chosen = np.flatnonzero(rng.random(n) < share)
    kinds = rng.integers(0, 6, len(chosen))
    columns = {
        name: table.column(name).to_numpy(zero_copy_only=False).astype(object)
        for name in table.column_names
    }
    for kind, name, value in (
        (0, "budget_irr", "n/a"),
        (1, "physical_progress_pct", "150"),
        (2, "status", "done"),
        (3, "title_fa", ""),
        (4, "start_date", "1402/05/17"),
    ):
        columns[name][chosen[kinds == kind]] = value
    repeat = chosen[kinds == 5]
    columns["id"][repeat] = columns["id"][np.maximum(repeat - 1, 0)]
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def write(table: pa.Table, path: Path) -> None:
    # Like Excel, quote only what needs it: these generated values never do.
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def resource(path: Path) -> dict:
    return {
        "name": "projects",
        "path": path.name,
        "encoding": "utf-8",
        "dialect": pin_dialect(None),
        "schema": profile_schema("projects"),
    }


CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
import pandas  # imported up front (pyarrow loads it lazily): imports are not timed for either tool
from portal.validation.table.validate import validate_table
from portal.validation.table.dialect import pin_dialect
from portal.profiles import profile_schema
path = Path({path!r})
res = {{"name": "projects", "path": path.name, "encoding": "utf-8", "dialect": pin_dialect(None),
       "schema": profile_schema("projects")}}
mode = {mode!r}
start = time.perf_counter()
if mode == "engine":
    outcome = validate_table(res, path.parent)
    rows, errors = outcome.rows, len(outcome.errors)
else:
    from datetime import date
    from portal.validation.rules.batch import RuleContext
    from portal.validation.rules.runner import RuleRun
    run = RuleRun({{"resources": [res]}}, {{"projects": "projects"}}, RuleContext(date(2026, 11, 22)))
    outcome = validate_table(res, path.parent, observer=run.observer(res))
    found = run.finish({{}})
    rows, errors = outcome.rows, len(outcome.errors) + len(found)
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: the latter keeps the parent's size across fork and exec.
peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({{"seconds": seconds, "rows": rows, "errors": errors, "peak_rss": peak}}))
"""


def run_child(path: Path, mode: str) -> dict:
    code = CHILD.format(repo=str(REPO), path=str(path), mode=mode)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_pyarrow(path: Path) -> float:
    start = time.perf_counter()
    pacsv.read_csv(path)
    return time.perf_counter() - start


def time_frictionless(path: Path) -> dict:
    from frictionless import Package

    descriptor = {"name": "bench", "resources": [resource(path)]}
    start = time.perf_counter()
    report = Package(descriptor, basepath=str(path.parent)).validate(limit_errors=10**9)
    seconds = time.perf_counter() - start
    errors = sum(len(task.errors) for task in report.tasks)
    return {"seconds": seconds, "errors": errors}


def bench(size: int, variant: str, folder: Path) -> dict:
    path = folder / f"projects-{size}-{variant}.csv"
    if not path.exists():
        table = projects_table(size, seed=size)
        write(with_errors(table, size) if variant == "errors" else table, path)
        del table  # the engine's children must not inherit a big parent
    floor = min(time_pyarrow(path) for _ in range(2))
    engine_runs = [run_child(path, "engine") for _ in range(ENGINE_RUNS)]
    engine = sorted(engine_runs, key=lambda r: r["seconds"])[ENGINE_RUNS // 2]
    full = run_child(path, "full")
    result = {
        "rows": size,
        "variant": variant,
        "bytes": path.stat().st_size,
        "pyarrow_read_seconds": round(floor, 3),
        "engine_seconds": round(engine["seconds"], 3),
        "engine_seconds_all_runs": [round(r["seconds"], 3) for r in engine_runs],
        "engine_rows_per_second": round(size / engine["seconds"]),
        "engine_errors": engine["errors"],
        "engine_peak_rss_mb": round(max(r["peak_rss"] for r in engine_runs) / 2**20),
        "full_validation_seconds": round(full["seconds"], 3),
        "full_validation_peak_rss_mb": round(full["peak_rss"] / 2**20),
        "engine_vs_pyarrow_read": round(engine["seconds"] / floor, 2),
    }
    if size <= FRICTIONLESS_MAX_ROWS:
        reference = time_frictionless(path)
        result["frictionless_seconds"] = round(reference["seconds"], 2)
        result["frictionless_errors"] = reference["errors"]
        result["frictionless_rows_per_second"] = round(size / reference["seconds"])
        result["speedup_vs_frictionless"] = round(reference["seconds"] / engine["seconds"], 1)
        result["same_error_count"] = reference["errors"] == engine["errors"]
    print(json.dumps(result), flush=True)
    return result


def markdown(results: list[dict]) -> str:
    lines = [
        "| rows | file | pyarrow read (s) | engine (s) | engine rows/s | engine / pyarrow | peak RSS (MB) | full validation (s) | frictionless (s) | speed-up | same error count |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['rows']:,} | {r['variant']} | {r['pyarrow_read_seconds']} | {r['engine_seconds']} | "
            f"{r['engine_rows_per_second']:,} | {r['engine_vs_pyarrow_read']}x | {r['engine_peak_rss_mb']} | "
            f"{r['full_validation_seconds']} | {r.get('frictionless_seconds', '-')} | "
            f"{str(r['speedup_vs_frictionless']) + 'x' if 'speedup_vs_frictionless' in r else '-'} | "
            f"{r.get('same_error_count', '-')} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "glasswall-bench"
    )
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    results = [
        bench(size, variant, args.data) for size in args.sizes for variant in ("clean", "errors")
    ]
    summary = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": results,
    }
    write_results("validate", summary, markdown(results), args.out)


if __name__ == "__main__":
    main()
