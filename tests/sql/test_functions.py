"""`matches(text, query)` in a journalist's SQL is the portal's one search matcher."""

from __future__ import annotations

import pyarrow as pa

from portal.sql.engine import DEFAULT_LIMITS, execute
from portal.tables.search import matches

TITLES = ["توسعهٔ راه‌آهن یزد", "جادهٔ اهواز", None, "Straße Yazd"]


def _ask(sql: str) -> list[dict[str, object]]:
    table, _ = execute(
        sql, {"t": pa.table({"title": pa.array(TITLES, pa.string())})}, DEFAULT_LIMITS
    )
    return table.to_pylist()


def test_sql_finds_what_the_pages_find_in_every_spelling() -> None:
    for query in ("راهآهن", "راه آهن", "يزد", "STRASSE", "جاده اهواز", "|", ""):
        rows = _ask(f"SELECT matches(title, '{query}') AS hit FROM t")
        expected = [None if t is None else matches(query, t) for t in TITLES]
        assert [r["hit"] for r in rows] == expected, query


def test_a_query_per_row_and_null() -> None:
    rows = _ask("SELECT matches(title, title) AS own, matches(title, NULL) AS none FROM t")
    assert [r["own"] for r in rows] == [True, True, None, True]
    assert {r["none"] for r in rows} == {None}
