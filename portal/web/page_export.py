"""The rows a page shows, as files a spreadsheet opens safely.

The same writers as the download routes (`portal.api.exports.formats`): CSV with a BOM so
Excel reads Persian, every cell neutralised against formula injection, and XLSX with
numbers as numbers and text as text, never a formula (`portal.spreadsheet_safe`). Built
only when the reader clicks (Streamlit calls the function then).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from portal.api.exports.formats import csv_stream, write_xlsx
from portal.profiles import profile_schema


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


def xlsx(frame: pd.DataFrame, resource: str) -> bytes:
    described = {"name": resource, "schema": profile_schema(resource)}
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{resource}.xlsx"
        write_xlsx(_rows(frame), described, target, f"{resource}.xlsx")
        return target.read_bytes()


def file_name(resource: str, filtered: bool, extension: str) -> str:
    """`projects-filtered.csv` when the reader narrowed the rows, else `projects-all.csv`."""
    return f"{resource}-{'filtered' if filtered else 'all'}.{extension}"
