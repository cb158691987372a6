"""Run one checked query on an engine that cannot do harm.

Each query gets a fresh connection to an in-memory DuckDB database, holding nothing but
the Arrow tables it names (registered views, no copy). The database was configured and
locked before any query ran: no file, network or extension access (`enable_external_access`,
no auto-install/auto-load), no Python variables found by name, no spilling to disk, one
thread, a memory limit; `lock_configuration` then refuses any `SET`/`PRAGMA`. DuckDB has
no statement timeout, so a timer interrupts the connection at the time limit. DuckDB's own
parser must also see exactly one SELECT (the parser that runs the query has the last word).
This runs inside a query worker process (`portal.sql.pool`), whose memory the OS caps and
which is killed if it does not answer in time.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from portal.errors import BadParameter
from portal.sql.dates import JalaliDate
from portal.sql.failures import failure
from portal.sql.functions import register


@dataclass(frozen=True)
class Limits:
    """What one query may use. CKAN's DataStore also stops at 32,000 rows."""

    seconds: float = 2.0
    rows: int = 32_000
    memory_mb: int = 256
    workers: int = 2  # queries at once per portal process (one worker process each)
    wait_seconds: float = 1.0  # how long a query waits for a free worker before a 429


@dataclass
class Answer:
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    truncated: bool
    table: pa.Table = field(repr=False)
    seconds: float = 0.0
    notes: tuple[JalaliDate, ...] = ()  # said beside the answer, which stands


DEFAULT_LIMITS = Limits()


_DATABASES: dict[Limits, duckdb.DuckDBPyConnection] = {}
_DATABASES_LOCK = threading.Lock()


def _database(limits: Limits) -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for these limits, configured once and then locked.

    Opening an in-memory database costs ~30 ms (measured); a connection to it (`cursor`)
    costs microseconds and sees nothing of another's registered tables. A query cannot
    leave anything behind: DuckDB's own parser lets only a SELECT run.
    """
    with _DATABASES_LOCK:
        database = _DATABASES.get(limits)
        if database is None:
            database = duckdb.connect(
                ":memory:",
                config={
                    "enable_external_access": False,
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                    "python_enable_replacements": False,
                    "temp_directory": "",
                    "threads": 1,
                    "memory_limit": f"{limits.memory_mb}MB",
                },
            )
            database.execute("SET lock_configuration = true")
            register(database)  # `matches(text, query)`: the portal's search matcher
            _DATABASES[limits] = database
        return database.cursor()


def _connect(tables: dict[str, pa.Table], limits: Limits) -> duckdb.DuckDBPyConnection:
    """A fresh connection holding only this query's tables (registered views, no copy)."""
    conn = _database(limits)
    try:
        for name, table in tables.items():
            conn.register(name, table)
    except BaseException:
        conn.close()
        raise
    return conn


def _one_select(conn: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = conn.extract_statements(sql)
    except duckdb.Error as exc:
        raise BadParameter("sql.failed", field="sql", detail=_detail(exc)) from None
    if len(statements) != 1:
        raise BadParameter("sql.one_statement", field="sql", count=len(statements))
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise BadParameter("sql.select_only", field="sql", kind=str(kind.name))


def _detail(exc: BaseException) -> str:
    """DuckDB's own words, first lines only (no query context beyond the caret line)."""
    return " ".join(str(exc).split())[:400]


_PG_TYPES = (
    (pa.types.is_boolean, "bool"),
    (pa.types.is_int8, "int2"),
    (pa.types.is_int16, "int2"),
    (pa.types.is_int32, "int4"),
    (pa.types.is_integer, "int8"),
    (pa.types.is_float16, "float4"),
    (pa.types.is_float32, "float4"),
    (pa.types.is_floating, "float8"),
    (pa.types.is_decimal, "numeric"),
    (pa.types.is_date, "date"),
    (pa.types.is_timestamp, "timestamp"),
    (pa.types.is_time, "time"),
    (pa.types.is_duration, "interval"),
    (pa.types.is_interval, "interval"),
    (pa.types.is_binary, "bytea"),
    (pa.types.is_large_binary, "bytea"),
    (pa.types.is_string, "text"),
    (pa.types.is_large_string, "text"),
)


def pg_type(kind: pa.DataType) -> str:
    """The PostgreSQL type name CKAN's `datastore_search_sql` would report."""
    for test, name in _PG_TYPES:
        if test(kind):
            return name
    if pa.types.is_string_view(kind):
        return "text"
    return "json"  # lists, structs and maps travel as JSON


def jsonable(value: Any) -> Any:
    """A cell as JSON can carry it: no NaN or infinity, dates as ISO text."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, pa.MonthDayNano):
        return f"{value.months} months {value.days} days {value.nanoseconds} ns"
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name}_{count + 1}")
    return unique


def _fetch(conn: duckdb.DuckDBPyConnection, sql: str, rows: int) -> tuple[pa.Table, bool]:
    # One SELECT (checked): a relation, read as a stream of batches (None for a statement
    # that returns nothing, although DuckDB's stubs do not say so).
    relation: duckdb.DuckDBPyRelation | None = conn.sql(sql)
    if relation is None:
        return pa.table({}), False
    reader = relation.to_arrow_reader(batch_size=min(rows + 1, 8192))
    batches, count = [], 0
    for batch in reader:
        batches.append(batch)
        count += batch.num_rows
        if count > rows:
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    return table.slice(0, rows), count > rows


def execute(sql: str, tables: dict[str, pa.Table], limits: Limits) -> tuple[pa.Table, bool]:
    """The query's rows (up to the row limit, and whether more were left), or a 409
    naming the limit it ran into. Runs where the tables are: in a query worker."""
    conn = _connect(tables, limits)
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        conn.interrupt()

    timer = threading.Timer(limits.seconds, interrupt)
    try:
        _one_select(conn, sql)
        timer.start()
        fetched = _fetch(conn, sql, limits.rows)
        if timed_out.is_set():  # an interrupted stream may just end: never a partial answer
            raise time_limit(limits)
        return fetched
    except duckdb.OutOfMemoryException:
        raise memory_limit(limits) from None
    except duckdb.InterruptException:
        raise time_limit(limits) from None
    except duckdb.Error as exc:
        if timed_out.is_set():
            raise time_limit(limits) from None
        raise failure(_detail(exc)) from None
    finally:
        timer.cancel()
        conn.close()


def _shown(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number


def time_limit(limits: Limits) -> BadParameter:
    return BadParameter("sql.time_limit", field="sql", seconds=_shown(limits.seconds))


def memory_limit(limits: Limits) -> BadParameter:
    return BadParameter("sql.memory_limit", field="sql", megabytes=limits.memory_mb)


def answer(
    table: pa.Table, truncated: bool, seconds: float, notes: tuple[JalaliDate, ...] = ()
) -> Answer:
    """Fields with CKAN's type names and records JSON can carry."""
    table = table.rename_columns(_unique_names(table.column_names))
    fields = [{"id": f.name, "type": pg_type(f.type)} for f in table.schema]
    records = [{k: jsonable(v) for k, v in row.items()} for row in table.to_pylist()]
    return Answer(fields, records, truncated, table, seconds, notes)
