"""A query worker process: `python -m portal.sql.worker FD DATA_LIMIT` (see `portal.sql.pool`).

It caps its own data segment first, then answers one query at a time on the socket it was
given, until the portal closes it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

import pyarrow as pa
import pyarrow.ipc

from portal.errors import GlassWallError
from portal.sql.dates import jalali_dates
from portal.sql.engine import execute
from portal.tables.reader import TABLES


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _say(conn: Connection, reply: dict[str, Any]) -> None:
    """Replies travel as JSON, never pickle: the portal trusts no bytes from a worker that
    ran a stranger's query."""
    conn.send_bytes(json.dumps(reply, default=str).encode())


def _serve(conn: Connection, data_limit: int) -> None:
    """A worker's life: one query at a time until the portal goes away."""
    resource.setrlimit(resource.RLIMIT_DATA, (data_limit, data_limit))
    TABLES.budget = data_limit // 4  # tables read without a cache file count in the cap
    while True:
        try:
            sql, sources, limits = conn.recv()
        except (EOFError, OSError):
            return
        payload = b""
        try:
            tables = {source.name: source.load() for source in sources}
            _say(conn, {"status": "loaded"})
            started = time.perf_counter()
            table, truncated = execute(sql, tables, limits)
            payload = _ipc(table)
            reply: dict[str, Any] = {
                "status": "ok", "truncated": truncated, "seconds": time.perf_counter() - started,
                "notes": [note.params() for note in jalali_dates(sql, tables)],
            }  # fmt: skip
        except GlassWallError as exc:
            params = {k: v for k, v in exc.params.items() if k != "field"}
            reply = {"status": "refused", "key": exc.key, "params": params}
        except MemoryError:
            reply = {"status": "memory"}
        except Exception as exc:  # a table that cannot be read: said, the worker lives on
            detail = " ".join(str(exc).split())[:400]
            reply = {"status": "refused", "key": "sql.failed", "params": {"detail": detail}}
        _say(conn, reply)
        if reply["status"] == "ok":
            conn.send_bytes(payload)


def main() -> None:
    fd, data_limit = int(sys.argv[1]), int(sys.argv[2])
    _serve(Connection(fd), data_limit)


if __name__ == "__main__":
    main()
