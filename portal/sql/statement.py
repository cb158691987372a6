"""Read a journalist's SQL with a real parser before any engine sees it.

One statement, a query (SELECT, WITH, UNION/INTERSECT/EXCEPT) and nothing that writes,
configures or reaches outside: the parse tree says so, not a pattern over the text. Every
table named must be a published table (or a name the query defines itself with WITH), so
the engine is handed only what was asked for. This is the first wall; the second is the
engine itself (`portal.sql.engine`), which could not read a file or change a setting even
if a statement slipped through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

from portal.errors import BadParameter

MAX_SQL_CHARS = 20_000
# Nodes a read-only query never needs: writing, configuring, attaching, describing.
_REFUSED = (
    exp.DDL,
    exp.DML,
    exp.Command,
    exp.Set,
    exp.Pragma,
    exp.Use,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Into,
    exp.Copy,
    exp.Export,
    exp.Describe,
    exp.Show,
)
# Functions that read the server rather than the data (or run SQL given as text).
_REFUSED_FUNCTIONS = frozenset(
    {"getenv", "current_setting", "query", "query_table", "glob", "read_blob", "read_text"}
)
_REFUSED_PREFIXES = ("read_", "duckdb_", "pragma_", "sqlite_", "parquet_", "iceberg_", "delta_")
# Table functions that make rows from nothing but their arguments.
_TABLE_FUNCTIONS = (exp.GenerateSeries, exp.Unnest, exp.Explode)


@dataclass(frozen=True)
class Checked:
    """A query that passed: its text and the published table names it reads."""

    sql: str
    tables: tuple[str, ...]


def _refuse(key: str, **params: object) -> BadParameter:
    return BadParameter(key, field="sql", **params)


def _parse(sql: str) -> list[exp.Expr | None]:
    try:
        return sqlglot.parse(sql, read="duckdb")
    except ParseError as exc:
        raise _unreadable(exc.errors[0] if exc.errors else {}) from None
    except (SqlglotError, RecursionError, ValueError) as exc:
        raise _refuse("sql.unreadable", line=1, column=1, detail=str(exc)[:200]) from None


def _unreadable(error: dict[str, Any]) -> BadParameter:
    """Where reading stopped, with the words just before it: sqlglot's own description only
    when it is words (`Expecting )`), never its Python reprs (`<class '...Mul'>`, `<Token ...>`)."""
    near = " ".join(f"{error.get('start_context', '')}{error.get('highlight', '')}".split())
    reason = str(error.get("description", "")).split(" but got ")[0]
    where = {"line": error.get("line", 1), "column": error.get("col", 1), "near": near[-60:]}
    if "<" in reason or not reason:
        return _refuse("journo.sql.unreadable", **where)
    return _refuse("journo.sql.unreadable_why", reason=reason[:200], **where)


def _kind(node: exp.Expr) -> str:
    """The refused statement as the journalist typed it: LOAD, CHECKPOINT, not the parser's
    node class (Command, Column) that sqlglot falls back to for words it does not model."""
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Column):  # a lone word such as CHECKPOINT
        return node.name.upper()
    return type(node).__name__.upper()


def _function_name(node: exp.Func) -> str:
    return (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()


def _check_functions(root: exp.Expression) -> None:
    for node in root.find_all(exp.Func):
        name = _function_name(node)
        if name in _REFUSED_FUNCTIONS or name.startswith(_REFUSED_PREFIXES):
            raise _refuse("sql.function_refused", name=name)


def _tables(root: exp.Expression) -> tuple[str, ...]:
    defined = {cte.alias_or_name.lower() for cte in root.find_all(exp.CTE)}
    names: list[str] = []
    for table in root.find_all(exp.Table):
        source = table.this
        if isinstance(source, exp.Func):
            if not isinstance(source, _TABLE_FUNCTIONS):
                raise _refuse("sql.function_refused", name=_function_name(source))
            continue
        if table.args.get("db") or table.args.get("catalog"):
            raise _refuse("sql.qualified_table", name=table.sql(dialect="duckdb"))
        name = table.name.lower()
        if name not in defined and name not in names:
            names.append(name)
    return tuple(names)


def check(sql: str) -> Checked:
    """The query's published table names, or a 409 saying what is refused and why."""
    if not sql.strip():
        raise BadParameter("api.missing_parameter", field="sql")
    if len(sql) > MAX_SQL_CHARS:
        raise _refuse("sql.too_long", limit=MAX_SQL_CHARS)
    statements = [s for s in _parse(sql) if s is not None]
    if len(statements) != 1:
        raise _refuse("sql.one_statement", count=len(statements))
    root = statements[0]
    if not isinstance(root, exp.Select | exp.SetOperation):
        raise _refuse("sql.select_only", kind=_kind(root))
    for node in root.walk():
        if isinstance(node, _REFUSED):
            raise _refuse("sql.select_only", kind=_kind(node))
    _check_functions(root)
    return Checked(sql, _tables(root))
