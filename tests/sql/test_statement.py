"""The first wall: a real parser reads the query; one SELECT over published names only."""

from __future__ import annotations

import pytest

from portal.errors import BadParameter
from portal.sql.statement import MAX_SQL_CHARS, check

REFUSED = {
    "select * from read_csv('/etc/passwd')": "sql.function_refused",
    "select * from read_parquet('http://127.0.0.1:9/x.parquet')": "sql.function_refused",
    "select * from query('select 42')": "sql.function_refused",
    "select * from glob('/etc/*')": "sql.function_refused",
    "select getenv('HOME')": "sql.function_refused",
    "select current_setting('memory_limit')": "sql.function_refused",
    "select * from duckdb_settings()": "sql.function_refused",
    "copy (select 1) to '/tmp/out.csv'": "sql.select_only",
    "attach '/tmp/other.db'": "sql.select_only",
    "install httpfs": "sql.select_only",
    "load httpfs": "sql.select_only",
    "set threads = 8": "sql.select_only",
    "pragma version": "sql.select_only",
    "create table t as select 1": "sql.select_only",
    "insert into x values (1)": "sql.select_only",
    'describe "a/b"': "sql.select_only",
    "select 1; select 2": "sql.one_statement",
    "select * from information_schema.tables": "sql.qualified_table",
    "select (1": "journo.sql.unreadable_why",
    "": "api.missing_parameter",
}


@pytest.mark.parametrize(("sql", "key"), REFUSED.items())
def test_refused_before_any_engine_runs(sql: str, key: str) -> None:
    with pytest.raises(BadParameter) as refused:
        check(sql)
    assert refused.value.key == key and refused.value.field == "sql"
    assert refused.value.http_status == 409
    assert refused.value.message["fa"] and refused.value.message["en"]


def test_an_unreadable_query_says_where() -> None:
    with pytest.raises(BadParameter) as refused:
        check("select a,\n  from (select 1")
    assert refused.value.params["line"] == 2 and "line 2" in refused.value.message["en"]


def test_too_long_is_refused_unparsed() -> None:
    with pytest.raises(BadParameter) as refused:
        check("select " + "1+" * MAX_SQL_CHARS + "1")
    assert refused.value.key == "sql.too_long"


def test_queries_name_their_published_tables() -> None:
    checked = check(
        'with late as (select * from "mrud-yazd/infrastructure-projects@1" where status = 1)'
        " select province from late union all"
        ' select p.province from "3f2c0a4e-0000-5000-8000-000000000000" p'
        ' join "mcls-yazd/labour-indicators/indicators" i on true'
        " cross join range(3)"
    )
    assert sorted(checked.tables) == [
        "3f2c0a4e-0000-5000-8000-000000000000",
        "mcls-yazd/labour-indicators/indicators",
        "mrud-yazd/infrastructure-projects@1",
    ]  # the CTE `late` and range() are no published tables


@pytest.mark.parametrize(
    ("sql", "typed"),
    [
        ("LOAD httpfs", "LOAD"),
        ("VACUUM", "VACUUM"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN"),
        ("CALL pragma_version()", "CALL"),
        ("with x as (select 1) insert into t select * from x", "INSERT"),
    ],
)
def test_a_refused_statement_is_named_as_typed(sql: str, typed: str) -> None:
    """A journalist reads the word they wrote (LOAD, CHECKPOINT), not the parser's node
    class (COMMAND, COLUMN), in both languages."""
    with pytest.raises(BadParameter) as refused:
        check(sql)
    assert refused.value.key == "sql.select_only"
    assert f"; {typed} is not allowed" in refused.value.message["en"]
    assert typed in refused.value.message["fa"]


@pytest.mark.parametrize(
    ("sql", "near"),
    [
        ("SELEC * FROM x", "SELEC * FROM"),
        ('SELECT * FROM "a/b" WHERE a = = 1', "WHERE a = ="),
        ("SELECT * FROM", "SELECT * FROM"),
        ("SELECT count(* FROM t", "count(* FROM"),
    ],
)
def test_an_unreadable_query_shows_the_words_where_reading_stopped(sql: str, near: str) -> None:
    """A typo is answered with the words around it, never the parser's Python reprs
    (`<class 'sqlglot...Mul'>`, `<Token token_type: ...>`)."""
    with pytest.raises(BadParameter) as refused:
        check(sql)
    for lang in ("fa", "en"):
        message = refused.value.message[lang]
        assert near in message, message
        assert "<" not in message and "sqlglot" not in message and "Token" not in message
