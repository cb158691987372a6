"""The export formats, each from an iterator of text rows (header first)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from portal.errors import GlassWallError
from portal.spreadsheet_safe import append_row, csv_writer, neutralise
from portal.tables.reader import cell_readers

BATCH_BYTES = 64 * 1024
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included


def csv_stream(rows: Iterator[list[str]], *, bom: bool) -> Iterator[bytes]:
    """UTF-8 CSV in ~64 KiB pieces; with `bom`, Excel-ready and formula-safe."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    for row in rows:
        writer.writerow([neutralise(c) for c in row] if bom else row)
        if buffer.tell() >= BATCH_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_stream(rows: Iterator[list[str]], resource: dict[str, Any]) -> Iterator[bytes]:
    """A JSON array of records with the schema's types (null for missing values)."""
    header = next(rows, None)
    if header is None:
        yield b"[]"
        return
    convert = cell_readers(header, resource)
    parts: list[str] = ["["]
    size, first = 0, True
    for row in rows:
        record = {
            name: convert[i](row[i]) if i < len(row) else None for i, name in enumerate(header)
        }
        text = ("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False)
        first = False
        parts.append(text)
        size += len(text)
        if size >= BATCH_BYTES:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("\n]\n")
    yield "".join(parts).encode("utf-8")


def write_xlsx(
    rows: Iterator[list[str]],
    resource: dict[str, Any],
    target: Path,
    where: str,
    more: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
) -> None:
    """An XLSX sheet: numbers as numbers, text as text (never a formula), row by row; then
    the `more` sheets (name, rows of values), as safe (a page's source sheet)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(resource.get("name") or "data")[:31])
    header = next(rows, None)
    if header is not None:
        append_row(sheet, header)
        convert = cell_readers(header, resource)
        for count, row in enumerate(rows, start=2):
            if count > XLSX_MAX_ROWS:
                raise GlassWallError("download.xlsx_too_many_rows", file=where, limit=XLSX_MAX_ROWS)
            values = [convert[i](cell) for i, cell in enumerate(row[: len(header)])]
            append_row(sheet, values)
    for name, lines in more:
        extra = book.create_sheet(name[:31])
        for line in lines:
            append_row(extra, line)
    book.save(target)


def member_name(name: str, taken: set[str]) -> str:
    """`name` as a path that stays inside the folder the zip is unpacked in, unique.

    Manifests are checked before they are stored or applied; this holds even for one
    stored before those checks: no absolute path, no `..`, no backslash separator, no
    drive letter, and a name already in the zip (the descriptor's) is never overwritten.
    """
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    parts = [p.replace(":", "_") for p in parts]
    clean = "/".join(parts) or "resource"
    stem, dot, suffix = clean.rpartition(".")
    candidate, count = clean, 1
    while candidate in taken:
        count += 1
        candidate = f"{stem}-{count}.{suffix}" if dot and stem else f"{clean}-{count}"
    taken.add(candidate)
    return candidate


def write_package_zip(members: list[tuple[str, Path | bytes]], target: Path) -> None:
    """A zip of (name inside, file or bytes): the descriptor, data and report."""
    taken: set[str] = set()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for given, content in members:
            name = member_name(given, taken)
            if isinstance(content, bytes):
                archive.writestr(name, content)
            else:
                archive.write(content, name)
