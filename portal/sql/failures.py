"""DuckDB's refusal of a query, said to a reader of either language.

DuckDB answers in English ("Binder Error: Referenced column ..."), which read as noise inside
a Persian sentence. For the refusals people meet most (a column, table or function that
does not exist, values that cannot be compared or converted, division by zero) a small table
of DuckDB's message patterns gives a Persian sentence naming the column, table or function;
the English message names it too and keeps DuckDB's own words. Anything else keeps
`sql.failed` with DuckDB's text in both languages.
"""

from __future__ import annotations

import re

from portal.errors import BadParameter

# DuckDB 2.0's wording, first match wins: (pattern, catalog key). Named groups are the
# message's parameters.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'Referenced column "(?P<name>[^"]+)" not found'), "sql.unknown_column"),
    (re.compile(r'does not have a column named "(?P<name>[^"]+)"'), "sql.unknown_column"),
    (
        re.compile(r"(?:Scalar|Aggregate|Table) Function with name (?P<name>\S+) does not exist"),
        "sql.unknown_function",
    ),
    (
        re.compile(r"No function matches the given name and argument types '(?P<name>[^']+)'"),
        "sql.function_types",
    ),
    # The one key `sources` refuses a name it cannot resolve with (DuckDB meets the rest).
    (re.compile(r"Table with name (?P<name>.+?) does not exist"), "sql.unknown_table"),
    (
        re.compile(r"Cannot compare values of type (?P<left>\w+) and type (?P<right>\w+)"),
        "sql.cannot_compare",
    ),
    (
        re.compile(r"Could not convert string '(?P<value>[^']*)' to (?P<type>\w+)"),
        "sql.cannot_convert",
    ),
    (re.compile(r"Division by zero"), "sql.division_by_zero"),
)


def failure(detail: str) -> BadParameter:
    """The refusal for DuckDB's message `detail` (already on one line)."""
    for pattern, key in PATTERNS:
        found = pattern.search(detail)
        if found:
            return BadParameter(key, field="sql", reason=detail, **found.groupdict())
    return BadParameter("sql.failed", field="sql", detail=detail)
