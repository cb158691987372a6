"""Query workers: each query runs in a process of its own, under limits the OS keeps.

DuckDB's `memory_limit` covers its buffers, not every allocation, and its interrupt is seen
between chunks only: `SELECT length(repeat('x', 1000000000))` took 2 GB and 22 s in one
uninterruptible step here (measured). So queries run in worker processes whose data
segment is capped (RLIMIT_DATA: an allocation over it fails inside DuckDB as an
out-of-memory error and the worker lives on), and a worker that has not answered by the
time limit plus a grace second is killed and replaced. Workers load the tables themselves
from the columnar cache (memory-mapped Arrow IPC files, not counted in the cap), so only
the answer, at most the row limit, crosses the pipe (as Arrow IPC).
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import resource
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import pyarrow as pa
import pyarrow.ipc

from portal.errors import BadParameter, GlassWallError, TooManyRequests
from portal.metadata.tables import TABLES
from portal.sql.engine import Answer, Limits, answer, execute, memory_limit, time_limit
from portal.sql.sources import Source

GRACE_SECONDS = 1.0
LOAD_SECONDS = 120.0  # a worker's start and a table typed from CSV (no columnar cache yet)
HEADROOM_MB = 768  # interpreter, DuckDB, Arrow and typed dates (a worker starts at ~220 MB)


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _serve(conn: Connection, data_limit: int) -> None:
    """A worker's life: one query at a time until the portal goes away."""
    resource.setrlimit(resource.RLIMIT_DATA, (data_limit, data_limit))
    TABLES.budget = data_limit // 4  # tables read without a cache file count in the cap
    while True:
        try:
            sql, sources, limits = conn.recv()
        except (EOFError, OSError):
            return
        try:
            tables = {source.name: source.load() for source in sources}
            conn.send(("loaded",))
            started = time.perf_counter()
            table, truncated = execute(sql, tables, limits)
            reply: tuple[Any, ...] = (
                "ok", _ipc(table), truncated, time.perf_counter() - started
            )  # fmt: skip
        except GlassWallError as exc:
            params = {k: v for k, v in exc.params.items() if k != "field"}
            reply = ("refused", exc.key, params)
        except MemoryError:
            reply = ("memory",)
        except Exception as exc:  # a table that cannot be read: said, the worker lives on
            reply = ("refused", "sql.failed", {"detail": " ".join(str(exc).split())[:400]})
        conn.send(reply)


class _Worker:
    def __init__(self, limits: Limits) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a threaded server
        self.conn, child = context.Pipe()
        data_limit = (limits.memory_mb + HEADROOM_MB) * 1024 * 1024
        self.process = context.Process(
            target=_serve, args=(child, data_limit), daemon=True, name="glasswall-sql"
        )
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """`limits.workers` worker processes, started on first use, replaced when killed."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(limits.workers):
            self._idle.put(None)

    def run(self, sql: str, sources: tuple[Source, ...]) -> Answer:
        limits = self.limits
        try:
            worker = self._idle.get(timeout=limits.wait_seconds)
        except queue.Empty:
            raise TooManyRequests(
                "sql.busy", retry_after=max(1, math.ceil(limits.seconds))
            ) from None
        try:
            if worker is None or not worker.process.is_alive():
                worker = _Worker(limits)
            reply = self._ask(worker, (sql, sources, limits))
        except BaseException:
            if worker is not None:
                worker.stop()
            self._idle.put(None)
            raise
        self._idle.put(worker)
        return self._answer(reply)

    def _ask(self, worker: _Worker, request: tuple[Any, ...]) -> tuple[Any, ...]:
        worker.conn.send(request)
        for wait in (LOAD_SECONDS, self.limits.seconds + GRACE_SECONDS):
            try:
                if not worker.conn.poll(wait):
                    raise time_limit(self.limits)
                reply: tuple[Any, ...] = worker.conn.recv()
            except (EOFError, OSError):
                raise memory_limit(self.limits) from None  # the OS ended it: the cap
            if reply[0] != "loaded":
                return reply
        raise time_limit(self.limits)

    def _answer(self, reply: tuple[Any, ...]) -> Answer:
        if reply[0] == "ok":
            table = pa.ipc.open_stream(reply[1]).read_all()
            return answer(table, reply[2], reply[3])
        if reply[0] == "memory":
            raise memory_limit(self.limits)
        raise BadParameter(reply[1], field="sql", **reply[2])


_POOLS: dict[Limits, QueryPool] = {}
_POOLS_LOCK = threading.Lock()


def pool(limits: Limits) -> QueryPool:
    """The pool for these limits in this process."""
    with _POOLS_LOCK:
        return _POOLS.setdefault(limits, QueryPool(limits))
