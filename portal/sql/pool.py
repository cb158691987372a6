"""Query workers: each query runs in a process of its own, under limits the OS keeps.

DuckDB's `memory_limit` covers its buffers, not every allocation, and its interrupt is seen
between chunks only: `SELECT length(repeat('x', 1000000000))` took 2 GB and 22 s in one
uninterruptible step here (measured). So queries run in worker processes whose data
segment is capped (RLIMIT_DATA: an allocation over it fails inside DuckDB as an
out-of-memory error and the worker lives on), and a worker that has not answered by the
time limit plus a grace second is killed and replaced. Workers load the tables themselves
through the one reader (the columnar cache, read whole and checked against the hash
recorded when it was written), so only the answer, at most the row limit, crosses the pipe
(as Arrow IPC).
"""

from __future__ import annotations

import json
import math
import os
import queue
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any

import pyarrow as pa
import pyarrow.ipc

from portal.config import child_environment
from portal.errors import BadParameter, TooManyRequests
from portal.sql.dates import JalaliDate
from portal.sql.engine import Answer, Limits, answer, memory_limit, time_limit
from portal.sql.sources import Source

GRACE_SECONDS = 1.0
MAX_REPLY_BYTES = 512 * 1024 * 1024
LOAD_SECONDS = 120.0  # a worker's start and a table typed from CSV (no columnar cache yet)
HEADROOM_MB = 768  # interpreter, DuckDB, Arrow and typed dates (a worker starts at ~220 MB)


def _notes(said: object) -> tuple[JalaliDate, ...]:
    """The worker's notes, kept only when each is exactly the three short texts a note is
    (its reply is a stranger's query's: trusted for nothing else)."""
    if not isinstance(said, list):
        return ()
    notes = []
    for item in said[:20]:
        if not isinstance(item, dict) or set(item) != {"column", "literal", "gregorian"}:
            continue
        if all(isinstance(v, str) and len(v) <= 200 for v in item.values()):
            notes.append(JalaliDate(item["column"], item["literal"], item["gregorian"]))
    return tuple(notes)


class _Worker:
    """`python -m portal.sql.worker` on one end of a socket pair: a fresh interpreter (no
    fork of a threaded server, and not multiprocessing's spawn, which would run the calling
    script's `__main__` again: a Streamlit page's)."""

    def __init__(self, limits: Limits) -> None:
        ours, theirs = socket.socketpair()
        data_limit = (limits.memory_mb + HEADROOM_MB) * 1024 * 1024
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "portal.sql.worker", str(theirs.fileno()), str(data_limit)],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=child_environment(PYTHONPATH=os.pathsep.join(p for p in sys.path if p)),
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.pipe = Connection(ours.detach())

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.pipe.close()


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
            if worker is None or not worker.alive():
                worker = _Worker(limits)
            result = self._ask(worker, (sql, sources, limits))
        except _Refused as refused:
            self._idle.put(worker)
            raise refused.error from None
        except BaseException:
            if worker is not None:
                worker.stop()
            self._idle.put(None)
            raise
        self._idle.put(worker)
        return result

    def _ask(self, worker: _Worker, request: tuple[Any, ...]) -> Answer:
        worker.pipe.send(request)
        for wait in (LOAD_SECONDS, self.limits.seconds + GRACE_SECONDS):
            reply = self._reply(worker, wait)
            if reply.get("status") != "loaded":
                return self._answer(worker, reply)
        raise time_limit(self.limits)

    def _reply(self, worker: _Worker, wait: float) -> dict[str, Any]:
        try:
            if not worker.pipe.poll(wait):
                raise time_limit(self.limits)
            reply = json.loads(worker.pipe.recv_bytes(MAX_REPLY_BYTES))
        except (EOFError, OSError):
            raise memory_limit(self.limits) from None  # the OS ended it: the cap
        if not isinstance(reply, dict):
            raise memory_limit(self.limits)
        return reply

    def _answer(self, worker: _Worker, reply: dict[str, Any]) -> Answer:
        status = reply.get("status")
        if status == "ok":
            try:
                payload = worker.pipe.recv_bytes(MAX_REPLY_BYTES)
            except (EOFError, OSError):
                raise memory_limit(self.limits) from None
            table = pa.ipc.open_stream(payload).read_all()
            notes = _notes(reply.get("notes"))
            return answer(table, bool(reply["truncated"]), float(reply["seconds"]), notes)
        if status == "refused":
            try:
                error = BadParameter(str(reply["key"]), field="sql", **dict(reply["params"]))
            except (KeyError, IndexError, TypeError, ValueError):  # not a message of ours
                error = BadParameter("sql.failed", field="sql", detail="?")
            raise _Refused(error)
        raise memory_limit(self.limits)


class _Refused(Exception):
    """A worker's refusal: the worker answered and is fine; the caller hears the reason."""

    def __init__(self, error: BadParameter) -> None:
        self.error = error


_POOLS: dict[Limits, QueryPool] = {}
_POOLS_LOCK = threading.Lock()


def pool(limits: Limits) -> QueryPool:
    """The pool for these limits in this process."""
    with _POOLS_LOCK:
        return _POOLS.setdefault(limits, QueryPool(limits))
