"""Functions a journalist's SQL may call beyond DuckDB's own: `matches(text, query)` is the
portal's one search matcher (`portal.tables.search`), so a query on the SQL page finds the
rows the projects page and the DataStore's `q` find for the same words."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from duckdb import func, sqltypes

from portal.tables.search import found, matches, searchable_column

NAMES = ("matches",)


def search_matches(text: pa.ChunkedArray, query: pa.ChunkedArray) -> pa.Array:
    """Per row: every word of `query` occurs in `text` (NULL when either is NULL).
    One query for every row (the usual case) is matched column-wise."""
    missing = pc.or_(pc.is_null(text), pc.is_null(query))
    queries = pc.unique(query.filter(pc.is_valid(query))).to_pylist()
    if len(queries) <= 1:
        hits = pa.array(found(searchable_column(text), str(queries[0]) if queries else ""))
    else:
        pairs = zip(text.to_pylist(), query.to_pylist(), strict=True)
        hits = pa.array([matches(str(q or ""), str(t or "")) for t, q in pairs], pa.bool_())
    return pc.if_else(missing, pa.scalar(None, pa.bool_()), hits)


def register(database: duckdb.DuckDBPyConnection) -> None:
    """Add the portal's functions to a database (every cursor of it sees them)."""
    database.create_function(
        "matches",
        search_matches,
        [sqltypes.VARCHAR, sqltypes.VARCHAR],
        sqltypes.BOOLEAN,
        type=func.ARROW,
        null_handling=func.SPECIAL,
    )
