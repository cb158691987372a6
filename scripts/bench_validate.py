#!/usr/bin/env python3
"""Benchmark: `glasswall validate` as a clerk runs it, beside a bare pyarrow read and frictionless.

    nice -n 10 python scripts/bench_validate.py [--rows 1000000] [--runs 3] [--no-frictionless]

Every figure is a whole process, started the way a user starts it, in the same run:
  * `python -c "import pyarrow.csv; read_csv(FILE)"`: the floor, a bare multi-threaded
    read with type inference and no checks;
  * `glasswall validate DIR --json`: every rule pack (structure, projects, metadata, the
    input rules), the report printed as JSON with its messages in English (as frictionless
    writes its own; GLASSWALL_LANG=en), and again in Persian and English, the default;
    wall time, CPU time, peak RSS;
  * frictionless-py 5 `validate` of the same resource with no error limit (once: slow);
    the speed-up divides its one run by our median run, a typical run on each side.
Three packages of ROWS x 21 projects columns: the synthetic generator's (the README's
kind of file), the same with about 10 % of rows carrying one error each, and a
text-heavy one whose titles and contractors are long Persian sentences. Data lives in
bench-results/tmp/ (git-ignored) and is reused.

A start-up benchmark follows: `glasswall --help` and `glasswall validate` of a 10-row
package against `python -c "import typer, rich"`. Each timing is the best of --runs (the
machine may be shared: the best run is the one least disturbed). Results go to
bench-results/validate.json and validate.md; every ratio over its target is said plainly.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_output import write_results  # noqa: E402
from generate_datasets import synthetic  # noqa: E402

TARGETS = {
    "clean": 1.5,  # validate / bare read
    "errors": 2.0,
    "text": 1.5,
    "frictionless": 20.0,  # frictionless / validate, at least
    "rss_mb": 600,
    "startup": 3.0,  # each start-up / `import typer, rich`, at most
}
VARIANTS = ("clean", "errors", "text")
PY = sys.executable
PACKAGE = "synthetic-0001"

FRICTIONLESS = """
import json, sys
from pathlib import Path
from frictionless import Package
sys.path.insert(0, {repo!r})
from portal.profiles import profile_schema
from portal.validation.table.dialect import pin_dialect
path = Path({path!r})
resource = {{"name": "projects", "path": path.name, "encoding": "utf-8",
            "dialect": pin_dialect(None), "schema": profile_schema("projects")}}
package = Package({{"name": "bench", "resources": [resource]}}, basepath=str(path.parent))
report = package.validate(limit_errors=10**9)
print(json.dumps({{"errors": sum(len(task.errors) for task in report.tasks)}}))
"""


# -- data ------------------------------------------------------------------------------
def _strings(path: Path) -> pa.Table:
    names = path.open(encoding="utf-8").readline().strip().split(",")
    options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
    )
    return pacsv.read_csv(path, convert_options=options)


def _write(table: pa.Table, folder: Path, clean: Path) -> None:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(clean / "datapackage.json", folder / "datapackage.json")
    # Unquoted like the clean file and most exports ("needed" would quote every string
    # cell); Arrow refuses to write a value that would then need quotes.
    options = pacsv.WriteOptions(quoting_style="none")
    pacsv.write_csv(table, folder / "data" / "projects.csv", options)


def with_errors(table: pa.Table, seed: int, share: float = 0.10) -> pa.Table:
    """About `share` of rows get one error each: types, range, codelist, required, dates, keys."""
    rng = np.random.default_rng(seed)
    n = table.num_rows
    chosen = rng.random(n) < share
    kinds = rng.integers(0, 6, n)
    columns = {name: table.column(name) for name in table.column_names}
    for kind, name, value in (
        (0, "budget_irr", "n/a"),
        (1, "physical_progress_pct", "150"),
        (2, "status", "done"),
        (3, "title_fa", ""),
        (4, "start_date", "1402/05/17"),
    ):
        columns[name] = pc.if_else(pa.array(chosen & (kinds == kind)), value, columns[name])
    repeat = chosen & (kinds == 5)
    source = np.where(repeat, np.maximum(np.arange(n) - 1, 0), np.arange(n))
    columns["id"] = columns["id"].take(pa.array(source))  # a repeated id: unique/primary key
    return pa.table(columns)


WORDS = (  # noqa: SIM905 (a sentence is easier to read and edit than a list)
    "احداث بهسازی نوسازی راه‌آهن آزادراه بزرگراه پل تقاطع غیرهم‌سطح ایستگاه پایانه مسکن ملی "
    "شبکهٔ آب‌رسانی فاضلاب بیمارستان مدرسه دانشگاه سد کانال روستایی شهری استان شهرستان محور "
    "کیلومتر واحد مسکونی مرحلهٔ نخست دوم تکمیل عملیات اجرایی قرارداد پیمانکار مشاور طراحی "
    "تأمین اعتبار ملی استانی بخش خصوصی مشارکت عمومی فاز توسعهٔ ظرفیت بندر فرودگاه خرمشهر "
    "اهواز یزد میبد اردکان آبادان دزفول ۱۲ ۲۵ ۴۰۰ ۱۴۰۳ ۱۴۰۴ ۵۰۰ ۳٫۵"
).split()


def text_heavy(table: pa.Table, seed: int) -> pa.Table:
    """Titles and contractors as long Persian sentences (ZWNJ, Persian digits, ezafe)."""
    rng = np.random.default_rng(seed)
    pool = np.array(
        [" ".join(rng.choice(WORDS, rng.integers(18, 40))) for _ in range(5000)], dtype=object
    )
    firms = np.array(
        [f"شرکت {' '.join(rng.choice(WORDS, 6))} (سهامی خاص)" for _ in range(500)], dtype=object
    )
    n = table.num_rows
    columns = {name: table.column(name) for name in table.column_names}
    columns["title_fa"] = pa.array(pool[rng.integers(0, len(pool), n)], pa.string())
    contractor = pa.array(firms[rng.integers(0, len(firms), n)], pa.string())
    empty = pc.equal(columns["contractor"], "")
    columns["contractor"] = pc.if_else(empty, columns["contractor"], contractor)
    return pa.table(columns)


def packages(rows: int, data: Path) -> dict[str, Path]:
    """The three packages (made once, then reused)."""
    folders = {variant: data / f"validate-{rows}-{variant}" / PACKAGE for variant in VARIANTS}
    clean = folders["clean"]
    if not (clean / "data" / "projects.csv").exists():
        print(f"writing {rows:,} synthetic projects ...", file=sys.stderr, flush=True)
        synthetic(clean.parent, rows, 1, seed=1)
    table = None
    for variant, change in (("errors", with_errors), ("text", text_heavy)):
        if not (folders[variant] / "data" / "projects.csv").exists():
            table = table if table is not None else _strings(clean / "data" / "projects.csv")
            print(f"writing the {variant} file ...", file=sys.stderr, flush=True)
            _write(change(table, rows), folders[variant], clean)
    return folders


# -- timing ----------------------------------------------------------------------------
TIME = Path("/usr/bin/time")  # GNU time: the child's own peak RSS


def process(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """One whole process: wall and CPU seconds, peak RSS, stdout.

    The peak RSS comes from GNU time: a child forked from this (large) process inherits its
    size as the starting point of ru_maxrss, so wait4's figure would be this script's."""
    with tempfile.NamedTemporaryFile("r") as rss:
        wrapped = [str(TIME), "-f", "%M", "-o", rss.name, *argv] if TIME.exists() else argv
        start = time.perf_counter()
        child = subprocess.Popen(
            wrapped,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=env["PYTHONPATH"],
        )  # in the tree timed: `python -m` looks in the working directory first
        assert child.stdout is not None
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        measured = rss.read().strip().splitlines()
    peak_kb = int(measured[-1]) if measured and measured[-1].isdigit() else usage.ru_maxrss
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": round(peak_kb / 1024),
        "exit": child.returncode,
        "stdout": out,
    }


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return min(runs, key=lambda r: r["seconds"])


def bench_file(
    variant: str,
    folder: Path,
    env: dict[str, str],
    runs: int,
    with_frictionless: bool,
) -> dict[str, Any]:
    csv = folder / "data" / "projects.csv"
    read_argv = [PY, "-c", f"import pyarrow.csv as c; c.read_csv({str(csv)!r})"]
    validate_argv = [PY, "-m", "portal.cli", "validate", str(folder), "--json"]
    reads, validations = [], []
    for _ in range(runs):  # interleaved: both see the same load
        reads.append(process(read_argv, env))
        validations.append(process(validate_argv, env))
    if any(run["exit"] not in (0, 1) for run in validations):
        raise SystemExit(f"glasswall validate failed on the {variant} file")
    # The runs above ask for English (GLASSWALL_LANG=en), as frictionless reports; a clerk
    # who keeps the default gets every message in Persian and English: timed too.
    both = [process(validate_argv, {**env, "GLASSWALL_LANG": "both"}) for _ in range(runs)]
    read, validation = best(reads), best(validations)
    report = json.loads(validation["stdout"])
    findings = report.get("findings", [])
    result: dict[str, Any] = {
        "variant": variant,
        "rows": report["resources"][0]["rows"] if report.get("resources") else None,
        "megabytes": round(csv.stat().st_size / 2**20),
        "bare_read_seconds": round(read["seconds"], 2),
        "bare_read_cpu_seconds": round(read["cpu_seconds"], 2),
        "validate_seconds": round(validation["seconds"], 2),
        "validate_cpu_seconds": round(validation["cpu_seconds"], 2),
        "validate_peak_rss_mb": validation["peak_rss_mb"],
        "validate_median_seconds": round(statistics.median(r["seconds"] for r in validations), 2),
        "bare_read_median_seconds": round(statistics.median(r["seconds"] for r in reads), 2),
        "validate_runs": [round(r["seconds"], 2) for r in validations],
        "validate_both_languages_runs": [round(r["seconds"], 2) for r in both],
        "validate_both_languages_median_seconds": round(
            statistics.median(r["seconds"] for r in both), 2
        ),
        "bare_read_runs": [round(r["seconds"], 2) for r in reads],
        "validate_vs_read": round(validation["seconds"] / read["seconds"], 2),
        "target_vs_read": TARGETS[variant],
        "valid": report.get("valid"),
        "errors": sum(1 for f in findings if f["severity"] == "error"),
        "warnings": sum(1 for f in findings if f["severity"] == "warning"),
    }
    if with_frictionless:
        code = FRICTIONLESS.format(repo=env["PYTHONPATH"], path=str(csv))
        reference = process([PY, "-c", code], env)
        result["frictionless_seconds"] = round(reference["seconds"], 1)
        result["frictionless_errors"] = json.loads(reference["stdout"])["errors"]
        # One frictionless run against our median run: a typical run on each side (our best
        # of three against its only run would flatter the figure).
        typical = statistics.median(r["seconds"] for r in validations)
        result["speedup_vs_frictionless"] = round(reference["seconds"] / typical, 1)
    print(json.dumps(result), file=sys.stderr, flush=True)
    return result


def bench_startup(small: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    commands = {
        "python -c 'import typer, rich'": [PY, "-c", "import typer, rich"],
        # The floor: the libraries a check of a package needs, imported and nothing done.
        "python -c 'import typer, rich, pyarrow, frictionless' (floor)": [
            PY, "-c", "import typer, rich, pyarrow.compute, pyarrow.csv, frictionless"
        ],
        "glasswall --help": [PY, "-m", "portal.cli", "--help"],
        "glasswall validate (10 rows) --json": [
            PY, "-m", "portal.cli", "validate", str(small), "--json"
        ],
    }  # fmt: skip
    seen: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            done = process(argv, env)
            if done["exit"] not in (0, 1):  # a crash is fast: never time one
                raise SystemExit(f"{name} failed (exit {done['exit']}) in {env['PYTHONPATH']}")
            seen[name].append(done["seconds"])
    floor = min(seen["python -c 'import typer, rich'"])
    return {
        name: {
            "seconds": round(min(times), 3),
            "vs_typer_rich": round(min(times) / floor, 1),
            "runs": [round(t, 3) for t in times],
        }
        for name, times in seen.items()
    }


# -- report ----------------------------------------------------------------------------
def verdicts(results: list[dict[str, Any]], startup: dict[str, Any]) -> list[str]:
    lines = []
    for r in results:
        if r["validate_vs_read"] > r["target_vs_read"]:
            lines.append(
                f"OVER TARGET: {r['variant']} file, validate is {r['validate_vs_read']}x "
                f"the bare read (target <= {r['target_vs_read']}x)"
            )
        if r["validate_peak_rss_mb"] > TARGETS["rss_mb"]:
            lines.append(
                f"OVER TARGET: {r['variant']} file, peak RSS {r['validate_peak_rss_mb']} MB "
                f"(target <= {TARGETS['rss_mb']} MB)"
            )
        speedup = r.get("speedup_vs_frictionless")
        if speedup is not None and speedup < TARGETS["frictionless"]:
            lines.append(
                f"UNDER TARGET: {r['variant']} file, only {speedup}x faster than "
                f"frictionless (target >= {TARGETS['frictionless']}x)"
            )
    for name, figures in startup.items():
        if name.startswith("python -c"):
            continue  # the references
        if figures["vs_typer_rich"] > TARGETS["startup"]:
            lines.append(
                f"OVER TARGET: {name} takes {figures['vs_typer_rich']}x the start-up of "
                f"typer and rich (target <= {TARGETS['startup']}x)"
            )
    return lines or ["Every ratio is within its target."]


def both_speedup(r: dict[str, Any]) -> str:
    """frictionless against our median run with the default messages (Persian and English)."""
    seconds = r.get("frictionless_seconds")
    if seconds is None:
        return "-"
    return f"{round(seconds / r['validate_both_languages_median_seconds'], 1)}x"


def markdown(results: list[dict[str, Any]], startup: dict[str, Any], notes: list[str]) -> str:
    lines = [
        "| file | rows | MB | bare read: best, median (s) | `glasswall validate --json`: best, "
        "median (s) | ratio of bests (target) "
        "| CPU: read / validate (s) | peak RSS (MB) | errors / warnings | frictionless (s) "
        "| speed-up: frictionless / our median | messages in fa and en: median (s), speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        speedup = r.get("speedup_vs_frictionless")
        lines.append(
            f"| {r['variant']} | {r['rows']:,} | {r['megabytes']} "
            f"| {r['bare_read_seconds']}, {r['bare_read_median_seconds']} "
            f"| {r['validate_seconds']}, {r['validate_median_seconds']} "
            f"| {r['validate_vs_read']}x (<= {r['target_vs_read']}x) "
            f"| {r['bare_read_cpu_seconds']} / {r['validate_cpu_seconds']} "
            f"| {r['validate_peak_rss_mb']} "
            f"| {r['errors']:,} / {r['warnings']:,} | {r.get('frictionless_seconds', '-')} "
            f"| {f'{speedup}x' if speedup is not None else '-'} "
            f"| {r['validate_both_languages_median_seconds']}, {both_speedup(r)} |"
        )
    lines += ["", "| start-up | best (s) | x `import typer, rich` (target) |", "|---|---:|---:|"]
    for name, figures in startup.items():
        target = "" if name.startswith("python -c") else f" (<= {TARGETS['startup']}x)"
        lines.append(f"| {name} | {figures['seconds']} | {figures['vs_typer_rich']}x{target} |")
    lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--no-frictionless", dest="frictionless", action="store_false")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    parser.add_argument("--data", type=Path, default=REPO / "bench-results" / "tmp")
    parser.add_argument(
        "--tree",
        type=Path,
        default=REPO,
        help="the checkout whose glasswall is timed (before/after)",
    )
    args = parser.parse_args()
    folders = packages(args.rows, args.data)
    small = args.data / "validate-10" / PACKAGE
    if not small.exists():
        synthetic(small.parent, 10, 1, seed=1)
    home = args.data / "validate-home"
    env = {
        **os.environ,
        "PYTHONPATH": str(args.tree.resolve()),
        "GLASSWALL_HOME": str(home),
        "GLASSWALL_MAX_UPLOAD_BYTES": str(2**40),  # a 1M-row file is over the 200 MB default
        "GLASSWALL_LANG": "en",
    }
    # As installed: pip compiles every module at install time, so a user's command reads
    # bytecode. A shell with PYTHONDONTWRITEBYTECODE (this sandbox has it) would otherwise
    # time the compiler on every run (about 20 ms of `--help`).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-m", "compileall", "-q", str(args.tree / "portal")], env=env, check=True)
    subprocess.run([PY, "-m", "portal.cli", "init"], env=env, check=True, capture_output=True)
    results = [
        bench_file(variant, folders[variant], env, args.runs, args.frictionless)
        for variant in args.variants
    ]
    startup = bench_startup(small, env, args.startup_runs)
    notes = verdicts(results, startup)
    for note in notes:
        print(note, file=sys.stderr)
    summary = {
        "tree": str(args.tree.resolve()),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "targets": TARGETS,
        "results": results,
        "startup": startup,
        "verdicts": notes,
    }
    write_results("validate", summary, markdown(results, startup, notes), args.out)


if __name__ == "__main__":
    main()
