"""Reading a published CSV row by row, with optional column filters."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from portal.errors import GlassWallError
from portal.persian import jalali_to_iso, normalize

# Query parameters a download understands itself; every other one filters a column.
RESERVED = frozenset({"bom"})


def _dialect(resource: dict[str, Any]) -> dict[str, Any]:
    dialect = resource.get("dialect") or {}
    return {
        "delimiter": str(dialect.get("delimiter", ",")),
        "quotechar": str(dialect.get("quoteChar", '"')),
        "doublequote": bool(dialect.get("doubleQuote", True)),
    }


def read_rows(path: Path, resource: dict[str, Any]) -> Iterator[list[str]]:
    """The header, then every row, as text cells."""
    encoding = str(resource.get("encoding") or "utf-8")
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # a BOM in the published file is not part of the first name
    with path.open(encoding=encoding, newline="") as handle:
        yield from csv.reader(handle, **_dialect(resource))


def filters_from(query: Sequence[tuple[str, str]]) -> dict[str, set[str]]:
    """`?province=IR-06&status=completion,planning` -> {column: normalised wanted values}."""
    wanted: dict[str, set[str]] = {}
    for name, value in query:
        if name in RESERVED:
            continue
        parts = {normalize(p) for p in value.split(",") if p.strip()}
        wanted.setdefault(name, set()).update(parts)
    return wanted


def date_columns(resource: Mapping[str, Any]) -> frozenset[str]:
    """The columns the resource's Table Schema types `date` (published as Gregorian ISO)."""
    fields = (resource.get("schema") or {}).get("fields") or []
    return frozenset(
        str(f.get("name")) for f in fields if isinstance(f, dict) and f.get("type") == "date"
    )


def _no_jalali(filters: Mapping[str, set[str]], dates: frozenset[str], where: str) -> None:
    """A Jalali day asked of a date column is answered with its Gregorian day: compared as
    text it matched no row, and an empty file read as "nothing happened that day"."""
    for name in sorted(dates & filters.keys()):
        for value in sorted(filters[name]):
            gregorian = jalali_to_iso(value)
            if gregorian:
                raise GlassWallError(
                    "journo.download.jalali_filter",
                    file=where,
                    name=name,
                    value=value[:40],
                    gregorian=gregorian,
                )


def filtered(
    rows: Iterator[list[str]],
    filters: Mapping[str, set[str]],
    where: str,
    dates: frozenset[str] = frozenset(),
) -> Iterator[list[str]]:
    """The header and the rows whose every filtered column holds one of the wanted values.

    The header is read and the filter names checked before anything is sent, so a wrong
    column is a clear 400, not a cut-off download. `dates`: the date columns.
    """
    header = next(rows, None)
    if header is None:
        return iter(())
    unknown = [name for name in filters if name not in header]
    if unknown:
        raise GlassWallError(
            "download.unknown_filter", name=unknown[0], file=where, columns=", ".join(header)
        )
    _no_jalali(filters, dates, where)
    checks = [(header.index(name), values) for name, values in filters.items()]

    def matching() -> Iterator[list[str]]:
        yield header
        for row in rows:
            if all(i < len(row) and normalize(row[i]) in values for i, values in checks):
                yield row

    return matching()
