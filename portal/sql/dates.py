"""A Jalali date typed into SQL, said back: `WHERE start_date > '1400-01-01'` compares with
the year 1400 AD, and DuckDB answers without a word.

The parse tree finds each comparison (`<`, `<=`, `=`, `<>`, `>=`, `>`, BETWEEN) of a column
with a date literal (`'1400-01-01'` or `DATE '1400-01-01'`) whose year is before 1500. When
a table of the query has a date column of that name whose every value is after 1900, the
answer stands (it is what was asked) and carries a note with the Gregorian date the literal
probably meant (jdatetime). Runs in the query worker, beside the tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jdatetime
import pyarrow as pa
import pyarrow.compute as pc
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

BEFORE_YEAR = 1500  # a date literal before this reads as Jalali (1300s, 1400s)
DATA_AFTER = dt.date(1900, 1, 1)  # ... when the column's own dates are all after this
_DATE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$")
_COMPARISONS = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ, exp.NEQ)


@dataclass(frozen=True)
class JalaliDate:
    """A literal compared with a column, and the Gregorian date it reads as in Jalali."""

    column: str
    literal: str
    gregorian: str

    def params(self) -> dict[str, str]:
        return {"column": self.column, "literal": self.literal, "gregorian": self.gregorian}

    def message_params(self) -> dict[str, str]:
        """What the note's sentence names: the parameters and the literal's year."""
        year = _DATE.match(self.literal)
        return {**self.params(), "year": year[1] if year else self.literal}


def _literal(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Literal):
        node = node.this
    if isinstance(node, exp.Literal) and node.is_string:
        return str(node.this)
    return None


def _gregorian(literal: str) -> str | None:
    found = _DATE.match(literal)
    if found is None or int(found[1]) >= BEFORE_YEAR:
        return None
    try:
        day = jdatetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return str(day.togregorian().isoformat())


def _pairs(root: exp.Expr) -> list[tuple[str, str]]:
    """(column name, literal) for each comparison of a column with a string literal."""
    pairs: list[tuple[str, str]] = []
    for node in root.find_all(*_COMPARISONS, exp.Between):
        if isinstance(node, exp.Between):
            column, others = node.this, [node.args.get("low"), node.args.get("high")]
        elif isinstance(node.this, exp.Column):
            column, others = node.this, [node.expression]
        else:
            column, others = node.expression, [node.this]
        if not isinstance(column, exp.Column):
            continue
        for other in others:
            literal = _literal(other) if other is not None else None
            if literal is not None:
                pairs.append((column.name, literal))
    return pairs


def _modern_date_column(tables: dict[str, pa.Table], name: str) -> bool:
    """A published table has a date column `name` holding only dates after 1900."""
    for table in tables.values():
        named = [c for c in table.column_names if c.lower() == name.lower()]
        if len(named) != 1:
            continue
        column = table.column(named[0])
        if not pa.types.is_date(column.type) or column.null_count == len(column):
            continue
        earliest = pc.min(column).as_py()
        if earliest is not None and earliest > DATA_AFTER:
            return True
    return False


def jalali_dates(sql: str, tables: dict[str, pa.Table]) -> list[JalaliDate]:
    """Each date literal of `sql` that reads as Jalali against a modern date column."""
    try:
        root = sqlglot.parse_one(sql, read="duckdb")
    except (SqlglotError, RecursionError, ValueError):
        return []
    found: list[JalaliDate] = []
    for column, literal in _pairs(root):
        gregorian = _gregorian(literal)
        if gregorian is None or not _modern_date_column(tables, column):
            continue
        note = JalaliDate(column, literal, gregorian)
        if note not in found:
            found.append(note)
    return found
