"""What a workbook says about itself: its metadata sheet, and the time its data spans.

A clerk's workbook names its dataset and period on a metadata sheet, in Persian or
English labels; where it does not, the dates and Jalali periods of the rows say it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

import jdatetime

from portal.i18n import text
from portal.intake.sheets.columns import column
from portal.intake.sheets.grid import Source
from portal.intake.sheets.normalise import normalise
from portal.persian import fold_label

__all__ = ["METADATA_KEYS", "Rows", "data_span", "iso_date", "read_metadata", "slug"]


class Rows(Protocol):
    resource: str
    header: list[str]
    rows: list[list[str]]


METADATA_KEYS = (
    "name",
    "title_fa",
    "title_en",
    "description_fa",
    "description_en",
    "temporal_start",
    "temporal_end",
)


def read_metadata(source: Source, data_sheets: set[str]) -> dict[str, Any]:
    keys: dict[str, str] = {}
    for name in METADATA_KEYS:
        for label in (name, text(f"meta.{name}", "fa"), text(f"meta.{name}", "en")):
            keys[fold_label(label)] = name
    best: dict[str, Any] = {}
    for sheet in source.sheets:
        if sheet.name in data_sheets:
            continue
        found: dict[str, Any] = {}
        for cells in sheet.rows[:60]:
            # An item is named in the first column and answered in the next filled cell.
            key = keys.get(fold_label(str(cells[0])), "") if cells and cells[0] else ""
            rest = [c for c in cells[1:] if c not in (None, "")]
            if key and key not in found and rest and keys.get(fold_label(str(rest[0]))) != key:
                found[key] = rest[0]
        # The sheet that answers most keys is the metadata sheet (a guide names some too).
        if len(found) > len(best):
            best = found
    return best


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")[:100]


def iso_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    _, fixed, _ = normalise(value, column("projects", "start_date"))
    try:
        return date.fromisoformat(fixed).isoformat()
    except ValueError:
        return None


def period_bounds(periods: list[str]) -> tuple[str, str] | None:
    steps = []
    for period in periods:
        parts = period.split("-")
        if parts[0].isdigit():
            year = int(parts[0])
            steps.append((year, int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None))
    if not steps:
        return None
    first = min(steps, key=lambda s: (s[0], s[1] or 1))
    last = max(steps, key=lambda s: (s[0], s[1] or 12))
    start = jdatetime.date(first[0], first[1] or 1, 1).togregorian()
    end_year, end_month = last[0], last[1] or 12
    following = jdatetime.date(end_year + (end_month == 12), end_month % 12 + 1, 1).togregorian()
    return start.isoformat(), date.fromordinal(following.toordinal() - 1).isoformat()


def data_span(tables: Sequence[Rows]) -> tuple[str, str] | None:
    dates: list[str] = []
    periods: list[str] = []
    for table in tables:
        for position, name in enumerate(table.header):
            col = column(table.resource, name)
            values = [row[position] for row in table.rows if row[position]]
            if col.type == "date":
                dates += [v for v in values if valid_date(v)]
            elif name == "period":
                periods += values
    if dates:
        return min(dates), max(dates)
    return period_bounds(periods)


def valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
