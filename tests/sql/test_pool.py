"""Query workers: what DuckDB's own limits miss, the worker process's limits catch."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from portal.errors import BadParameter, GlassWallError, TooManyRequests
from portal.sql.engine import Limits
from portal.sql.pool import QueryPool
from portal.sql.sources import Source


def _source(tmp_path: Path) -> Source:
    data = tmp_path / "t.csv"
    data.write_text("n,t\n1,a\n2,b\n3,c\n", "utf-8")
    spec = {
        "name": "t",
        "path": "t.csv",
        "schema": {"fields": [{"name": "n", "type": "integer"}, {"name": "t", "type": "string"}]},
    }
    return Source("agency/t", "agency", "t", 1, "t", "0" * 64, 3, data, spec, tmp_path / "cache")


@pytest.mark.slow
def test_an_allocation_duckdb_does_not_count_is_stopped_and_the_worker_lives_on(
    tmp_path: Path,
) -> None:
    pool = QueryPool(Limits(seconds=2.0, memory_mb=64, workers=1))
    source = _source(tmp_path)
    assert pool.run('select sum(n) s from "agency/t"', (source,)).records == [{"s": 6}]
    started = time.monotonic()
    with pytest.raises(BadParameter) as caught:
        # 2 GB in one string: past DuckDB's memory_limit accounting, not past the OS cap.
        pool.run("select length(repeat('x', 2000000000)) n", (source,))
    assert caught.value.key == "sql.memory_limit"
    assert time.monotonic() - started < 5
    assert pool.run('select max(t) t from "agency/t"', (source,)).records == [{"t": "c"}]


@pytest.mark.slow
def test_a_worker_stuck_past_the_time_limit_is_killed_and_replaced(tmp_path: Path) -> None:
    pool = QueryPool(Limits(seconds=1.0, memory_mb=4096, workers=1))
    source = _source(tmp_path)
    pool.run("select 1", (source,))  # the worker is up
    started = time.monotonic()
    with pytest.raises(BadParameter) as caught:
        # One uninterruptible step of several seconds: DuckDB checks interrupts between chunks.
        pool.run("select length(repeat('x', 600000000)) n", (source,))
    assert caught.value.key == "sql.time_limit"
    assert time.monotonic() - started < 1.0 + 1.0 + 1.0  # limit + grace + the kill
    assert pool.run('select count(*) c from "agency/t"', (source,)).records == [{"c": 3}]


@pytest.mark.slow
def test_when_every_worker_is_busy_the_next_query_waits_then_hears_when_to_retry(
    tmp_path: Path,
) -> None:
    pool = QueryPool(Limits(seconds=2.0, workers=1, wait_seconds=0.5))
    source = _source(tmp_path)
    pool.run("select 1", (source,))
    outcome: list[str] = []

    def runaway() -> None:
        try:
            pool.run(
                "select sum(a.range * b.range % 7) from range(100000) a, range(100000) b", (source,)
            )
        except GlassWallError as exc:
            outcome.append(exc.key)

    thread = threading.Thread(target=runaway)
    thread.start()
    deadline = time.monotonic() + 10
    while pool._idle.qsize() and time.monotonic() < deadline:  # the runaway has the worker
        time.sleep(0.01)
    with pytest.raises(TooManyRequests) as busy:
        pool.run("select 2", (source,))
    assert busy.value.http_status == 429 and busy.value.retry_after == 2
    thread.join()
    assert outcome == ["sql.time_limit"]
    assert pool.run("select 3 x", (source,)).records == [{"x": 3}]
