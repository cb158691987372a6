"""The rows a page shows, as files a spreadsheet opens safely, each row saying where it
comes from.

The same writers as the download routes (`portal.api.exports.formats`): CSV with a BOM so
Excel reads Persian, every cell neutralised against formula injection, and XLSX with
numbers as numbers and text as text, never a formula (`portal.spreadsheet_safe`). Built
only when the reader clicks (Streamlit calls the function then).

A page gathers rows from several datasets and versions (every agency's latest projects),
so each row carries its agency, dataset, version and row in the published file, and the
XLSX a `sources` sheet with each version's date, sha256 and address: a figure copied out
of the file can still be traced and cited.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from portal.api.exports.formats import csv_stream, write_xlsx
from portal.profiles import profile_schema

# The catalog's columns on a page's rows -> the columns a download names them by.
ORIGIN_COLUMNS = {
    "agency": "source_agency",
    "dataset": "source_dataset",
    "version": "source_version",
    "_row": "source_row",
}
_ORIGIN_FIELDS = [
    {"name": "source_version", "type": "integer"},
    {"name": "source_row", "type": "integer"},
]
SOURCES_SHEET = "sources"


@dataclass(frozen=True)
class Origin:
    """One published version a page's rows come from (a line of the sources sheet)."""

    agency: str
    dataset: str
    version: int
    published: str
    resource: str
    sha256: str
    address: str
    sample: bool


def with_origin(frame: pd.DataFrame) -> pd.DataFrame:
    """The page's rows with where each comes from as its last columns (the published
    fields first, in their order)."""
    named = frame.rename(columns=ORIGIN_COLUMNS)
    origin = [c for c in ORIGIN_COLUMNS.values() if c in named.columns]
    return named[[c for c in named.columns if c not in origin] + origin]


def _rows(frame: pd.DataFrame) -> Iterator[list[str]]:
    yield [str(c) for c in frame.columns]
    text = frame.astype(object).where(frame.notna(), "")
    for row in text.itertuples(index=False):
        yield [_cell(v) for v in row]


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1200000000.0 was read as a number; the file said 1200000000
    return str(value)


def csv_for_excel(frame: pd.DataFrame) -> bytes:
    return b"".join(csv_stream(_rows(frame), bom=True))


def xlsx(frame: pd.DataFrame, resource: str, origins: Sequence[Origin] = ()) -> bytes:
    """The rows as a sheet; with `origins`, a second sheet naming each source version."""
    schema = profile_schema(resource)
    schema["fields"] = [*schema.get("fields", []), *_ORIGIN_FIELDS]
    described = {"name": resource, "schema": schema}
    header: list[Any] = [f.name for f in fields(Origin)]
    more = [(SOURCES_SHEET, [header, *(list(astuple(o)) for o in origins)])] if origins else []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{resource}.xlsx"
        write_xlsx(_rows(frame), described, target, f"{resource}.xlsx", more)
        return target.read_bytes()


def file_name(resource: str, filtered: bool, extension: str) -> str:
    """`projects-filtered.csv` when the reader narrowed the rows, else `projects-all.csv`."""
    return f"{resource}-{'filtered' if filtered else 'all'}.{extension}"
