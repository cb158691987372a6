"""The second wall: the engine itself cannot do harm, even with the parser out of the way.

These call `engine.execute` directly with hostile statements that `statement.check` would
have refused, to show the refusal does not depend on it.
"""

from __future__ import annotations

import time

import pyarrow as pa
import pytest

from portal.errors import BadParameter
from portal.sql.engine import Limits, answer, execute

TABLES = {"agency/data": pa.table({"n": list(range(1000)), "t": ["x"] * 1000})}
LIMITS = Limits(seconds=1.0, rows=100, memory_mb=64)


def refused(sql: str, limits: Limits = LIMITS) -> BadParameter:
    with pytest.raises(BadParameter) as caught:
        execute(sql, TABLES, limits)
    return caught.value


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from '/etc/passwd'",
        "select * from read_parquet('http://127.0.0.1:9/x.parquet')",
        "select * from glob('/etc/*')",
    ],
)
def test_no_file_or_network(sql: str) -> None:
    failure = refused(sql)
    if failure.key == "sql.unknown_table":  # a path read as a table name: no such table
        assert sql.split("'")[1] in failure.message["en"]
        return
    assert failure.key in ("sql.failed", "sql.unknown_function")
    assert (
        "disabled by configuration" in failure.message["en"]
        or "does not exist" in (failure.message["en"])
    )


@pytest.mark.parametrize(
    "sql",
    [
        "copy (select 1) to '/tmp/h-desk-never.csv'",
        "attach '/tmp/h-desk-never.db'",
        "install httpfs",
        "load httpfs",
        "set memory_limit = '10GB'",
        "pragma threads = 8",
        "create table t as select 1",
    ],
)
def test_duckdbs_own_parser_runs_only_a_select(sql: str) -> None:
    assert refused(sql).key == "sql.select_only"


def test_two_statements_are_refused_by_duckdbs_parser_too() -> None:
    failure = refused("select 1; select 2")
    assert failure.key == "sql.one_statement" and failure.params["count"] == 2


def test_configuration_is_locked_and_reveals_no_paths() -> None:
    table, _ = execute(
        "select current_setting('temp_directory') t, current_setting('enable_external_access') e,"
        " current_setting('lock_configuration') l, current_setting('threads') th",
        TABLES,
        LIMITS,
    )
    assert table.to_pylist() == [{"t": "", "e": False, "l": True, "th": 1}]
    with pytest.raises(BadParameter):
        execute("select getenv('HOME')", TABLES, LIMITS)


def test_python_variables_are_not_tables() -> None:
    secret_table = pa.table({"password": ["hunter2"]})  # DuckDB would find it by name
    assert secret_table.num_rows == 1
    assert "secret_table" in refused("select * from secret_table").message["en"]


def test_a_runaway_query_is_interrupted_at_the_time_limit() -> None:
    started = time.monotonic()
    failure = refused("select sum(a.range * b.range % 7) from range(100000) a, range(100000) b")
    assert time.monotonic() - started < LIMITS.seconds + 1
    assert failure.key == "sql.time_limit" and failure.http_status == 409
    assert "1 second." in failure.message["en"] and "۱ ثانیه" in failure.message["fa"]


def test_memory_is_limited() -> None:
    failure = refused(
        "select n % 1000000 g, list(repeat('x', 100)) from range(3000000) r(n) group by g"
    )
    assert failure.key == "sql.memory_limit"
    assert "64 MB" in failure.message["en"] and "۶۴ مگابایت" in failure.message["fa"]


def test_rows_stop_at_the_limit_and_say_so() -> None:
    table, truncated = execute('select * from "agency/data" order by n', TABLES, LIMITS)
    assert table.num_rows == LIMITS.rows and truncated
    result = answer(table, truncated, 0.0)
    assert result.records[0] == {"n": 0, "t": "x"} and result.truncated


def test_answers_are_json_values_with_ckan_type_names() -> None:
    table, truncated = execute(
        "select 1 a, 1 a, 2.50::decimal(4,2) d, 'nan'::double f, date '2024-03-20' dd,"
        ' [1, 2] l, sum(n) s from "agency/data"',
        TABLES,
        LIMITS,
    )
    result = answer(table, truncated, 0.0)
    assert [f["type"] for f in result.fields] == [
        "int4", "int4", "numeric", "float8", "date", "json", "numeric",
    ]  # fmt: skip
    assert result.records == [
        {"a": 1, "a_2": 1, "d": 2.5, "f": None, "dd": "2024-03-20", "l": [1, 2], "s": 499500}
    ]


def test_a_query_sees_only_its_own_tables() -> None:
    execute('select count(*) from "agency/data"', TABLES, LIMITS)
    failure = refused_with({}, 'select count(*) from "agency/data"')
    assert failure.key == "sql.unknown_table" and "agency/data" in failure.message["en"]


def refused_with(tables: dict[str, pa.Table], sql: str) -> BadParameter:
    with pytest.raises(BadParameter) as caught:
        execute(sql, tables, LIMITS)
    return caught.value
