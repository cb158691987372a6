"""DuckDB's refusals, said in a Persian sentence naming what is wrong; English keeps DuckDB's."""

from __future__ import annotations

import pyarrow as pa
import pytest

from portal.errors import BadParameter
from portal.sql.engine import Limits, execute

TABLES = {
    "agency/data": pa.table(
        {"n": [1, 2, 3], "t": ["x", "y", "z"], "d": pa.array([18000, 19000, 20000], pa.date32())}
    )
}
LIMITS = Limits(seconds=2.0, rows=100, memory_mb=64)


def refused(sql: str) -> BadParameter:
    with pytest.raises(BadParameter) as caught:
        execute(sql, TABLES, LIMITS)
    return caught.value


@pytest.mark.parametrize(
    ("sql", "key", "named", "duckdb_said"),
    [
        ('select budget from "agency/data"', "sql.unknown_column", "budget", "Binder Error"),
        ('select q.budget from "agency/data" q', "sql.unknown_column", "budget", "Binder Error"),
        ('select * from "agency/other"', "sql.unknown_table", "agency/other", "table"),
        ('select * from "agency/data" where t > 5', "sql.cannot_compare", "VARCHAR", "compare"),
        ("select * from \"agency/data\" where n > 'abc'", "sql.cannot_convert", "abc", "convert"),
        ('select n // 0 from "agency/data"', "sql.division_by_zero", "TRY", "Division by zero"),
        ('select median_of(n) from "agency/data"', "sql.unknown_function", "median_of", "Catalog"),
        ('select sum(t) from "agency/data"', "sql.function_types", "sum(VARCHAR)", "Binder"),
    ],
)
def test_a_common_refusal_reads_in_persian_naming_what_is_wrong(
    sql: str, key: str, named: str, duckdb_said: str
) -> None:
    """The Persian message was «پرسش اجرا نشد: Binder Error: Referenced column ...»."""
    failure = refused(sql)
    assert failure.key == key
    persian, english = failure.message["fa"], failure.message["en"]
    assert named in persian and "Error" not in persian
    assert duckdb_said in english and named in english  # DuckDB's own text kept in English


def test_any_other_refusal_keeps_duckdbs_words() -> None:
    failure = refused("select * from range(3) as r(x) pivot r on x using first(y)")
    assert failure.key == "sql.failed" and "Error" in failure.message["fa"]
