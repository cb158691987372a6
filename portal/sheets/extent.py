"""A workbook's real size, read from its zip and its sheets' XML before any reader allocates.

python-calamine builds each sheet as one dense rectangle from its farthest cell: one cell
at XFD90000 asks for 47 GB and the Rust allocator aborts the whole process (nothing to
catch). openpyxl makes an object for every cell of a merged range, and both readers
inflate every part of the zip whole. So the members' sizes and ratios, the sheets' cell
references, their number and their merged ranges are bounded here first, each refusal
naming the file, the sheet and the cell or limit.

Cell references are found in two ways that agree. The fast one reads the form every
producer writes (`<c r="B7" …>`: reference first, double quotes, no prefix) with byte
searches at about the speed calamine parses; anything else (a cell with no reference,
a prefixed element, a second `r`, single quotes) goes to an exact streaming parse.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from xml.parsers import expat

from portal.errors import IntakeRefused, UploadTooLarge
from portal.sheets.grid import MAX_SHEET_ROWS

# A sheet read whole costs ~32 bytes a cell in calamine and as much again in Python:
# 5 million cells (100,000 rows of 50 columns) is the most one workbook may span.
MAX_WORKBOOK_CELLS = 5_000_000
# Merged ranges are titles and grouped labels; openpyxl makes an object per covered cell.
MAX_MERGED_CELLS = 200_000
# A template has five sheets; a sheet per province and month is still far below this.
MAX_SHEETS = 64
# Every part inflated, together: a 100,000-row sheet is ~100 MB of XML.
MAX_XML_BYTES = 256 * 1024 * 1024
_CHUNK = 8 * 1024 * 1024
_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?([0-9]{1,9})$")
# The form every producer writes; a cell without a reference matches with empty groups.
_STANDARD_CELL = re.compile(rb'<c(?:\s+r="([A-Za-z]{1,4})([0-9]{1,9})"|(?=[\s/>]))')
_R_ATTRIBUTES = tuple(
    space + b"r=" + quote for space in (b" ", b"\t", b"\n", b"\r") for quote in (b'"', b"'")
)
_PREFIXED = re.compile(rb":(?:c|row|mergeCell)[\s>/]")
_MERGE = re.compile(rb'mergeCell\s[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')


@dataclass(frozen=True)
class WorkbookLimits:
    """What one workbook may hold; `max_columns` is the operator's table-width limit."""

    max_ratio: float
    max_columns: int
    max_rows: int = MAX_SHEET_ROWS
    max_cells: int = MAX_WORKBOOK_CELLS
    max_merged_cells: int = MAX_MERGED_CELLS
    max_sheets: int = MAX_SHEETS
    max_xml_bytes: int = MAX_XML_BYTES


@dataclass
class Extent:
    """How far one sheet's cells reach (1-based) and how many cell elements it holds."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # top, left, bottom, right

    @property
    def corner(self) -> str:
        return f"{column_letters(self.columns)}{self.rows}" if self.rows else "A1"

    def reach(self, row: int, column: int) -> None:
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)


def column_index(letters: str) -> int:
    """`A` -> 1, `XFD` -> 16384 (and on past Excel's last column: the reader would too)."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _reference(ref: str, where: str) -> tuple[int, int]:
    found = _REF.match(ref.strip())
    if found is None:
        raise IntakeRefused("sheets.corrupt", file=where)
    return int(found[2]), column_index(found[1])


def _merged_range(ref: str, where: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    top, left = _reference(first, where)
    bottom, right = _reference(last or first, where)
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def check_members(archive: zipfile.ZipFile, name: str, limits: WorkbookLimits) -> None:
    """Every member, whatever its size: its inflation ratio, and all of them together."""
    members = archive.infolist()
    total = 0
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise UploadTooLarge(
                "intake.zip_bomb",
                file=f"{name}:{member.filename}",
                ratio=round(ratio),
                limit=round(limits.max_ratio),
            )
        total += member.file_size
    if total > limits.max_xml_bytes:
        raise UploadTooLarge(
            "sheets.too_much_xml", file=name, size=total, limit=limits.max_xml_bytes
        )


def _chunks(archive: zipfile.ZipFile, part: str, where: str) -> Iterator[bytes]:
    """The part inflated in pieces cut after a `>`, never more than its header declared."""
    try:
        declared = archive.getinfo(part).file_size
        with archive.open(part) as handle:
            carry, seen = b"", 0
            while piece := handle.read(_CHUNK):
                seen += len(piece)
                if seen > declared:
                    raise IntakeRefused("sheets.corrupt", file=where)
                data = carry + piece
                cut = data.rfind(b">") + 1
                carry = data[cut:]
                if cut:
                    yield data[:cut]
            if carry:
                yield carry
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        raise IntakeRefused("sheets.corrupt", file=where) from None


def _standard(chunk: bytes, extent: Extent, where: str) -> bool:
    """Add the chunk's cells to `extent`; False when it is not in the standard form."""
    if _PREFIXED.search(chunk):
        return False
    found = _STANDARD_CELL.findall(chunk)
    attributes = sum(chunk.count(mark) for mark in _R_ATTRIBUTES)
    if attributes != len(found) + chunk.count(b'<row r="'):
        return False  # a second `r`, single quotes, or a cell without one
    if found:
        letters, digits = set(map(itemgetter(0), found)), set(map(itemgetter(1), found))
        if b"" in letters:
            return False
        extent.cells += len(found)
        rows = max(int(d) for d in digits)
        columns = max(column_index(a.decode()) for a in letters)
        extent.reach(rows, columns)
    for ref in _MERGE.findall(chunk):
        extent.merged.append(_merged_range(ref.decode("ascii", "replace"), where))
    return True


class _ExactScan:
    """The same extent by a streaming parse, following calamine's rules for cells with no
    reference: a cell takes the next column of its row, a row without `r` the next row."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.extent = Extent()
        self.row = 0
        self.column = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            self.extent.cells += 1
            ref = attrs.get("r")
            if ref is not None:
                row, self.column = _reference(ref, self.where)
            else:
                row, self.column = max(self.row, 1), self.column + 1
            self.extent.reach(row, self.column)
        elif local == "row":
            ref = attrs.get("r")
            self.row = int(ref) if ref is not None and ref.strip().isdigit() else self.row + 1
            self.column = 0
        elif local == "mergeCell" and "ref" in attrs:
            self.extent.merged.append(_merged_range(attrs["ref"], self.where))

    def run(self, archive: zipfile.ZipFile, part: str) -> Extent:
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        try:
            for chunk in _chunks(archive, part, self.where):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise IntakeRefused("sheets.corrupt", file=self.where) from None
        return self.extent


def sheet_extent(archive: zipfile.ZipFile, part: str, where: str) -> Extent:
    """How far the sheet at `part` reaches: the fast reading, or the exact one if needed."""
    extent = Extent()
    for chunk in _chunks(archive, part, where):
        if not _standard(chunk, extent, where):
            return _ExactScan(where).run(archive, part)
    return extent


def _check_sheet(extent: Extent, file: str, sheet: str, limits: WorkbookLimits) -> None:
    if extent.rows > limits.max_rows:
        raise IntakeRefused(
            "sheets.too_many_rows", file=file, sheet=sheet, rows=extent.rows, limit=limits.max_rows
        )
    if extent.columns > limits.max_columns:
        raise IntakeRefused(
            "sheets.too_many_columns",
            file=file,
            sheet=sheet,
            column=column_letters(extent.columns),
            columns=extent.columns,
            limit=limits.max_columns,
        )
    for top, left, bottom, right in extent.merged:
        if bottom > limits.max_rows or right > limits.max_columns:
            cells = f"{column_letters(left)}{top}:{column_letters(right)}{bottom}"
            raise IntakeRefused(
                "sheets.merged_too_far",
                file=file,
                sheet=sheet,
                cells=cells,
                rows=limits.max_rows,
                columns=limits.max_columns,
            )


def check_sheets(
    archive: zipfile.ZipFile, file: str, parts: dict[str, str], limits: WorkbookLimits
) -> None:
    """Refuse a workbook whose sheets, together or alone, reach past what is read whole."""
    if len(parts) > limits.max_sheets:
        raise UploadTooLarge(
            "sheets.too_many_sheets", file=file, sheets=len(parts), limit=limits.max_sheets
        )
    cells = merged = 0
    for sheet, part in parts.items():
        name = part.lstrip("/")
        if name not in archive.NameToInfo:  # a sheet the check cannot see is not read either
            raise IntakeRefused("sheets.corrupt", file=f"{file}:{sheet}")
        extent = sheet_extent(archive, name, f"{file}:{sheet}")
        _check_sheet(extent, file, sheet, limits)
        # A merged range counts as far as it reaches, and each cell it covers counts
        # again: openpyxl makes an object for every one of them.
        for top, left, bottom, right in extent.merged:
            merged += (bottom - top + 1) * (right - left + 1)
            extent.reach(bottom, right)
        cells += max(extent.rows * extent.columns, extent.cells)
        if cells > limits.max_cells:
            raise UploadTooLarge(
                "sheets.too_many_cells",
                file=file,
                sheet=sheet,
                corner=extent.corner,
                cells=cells,
                limit=limits.max_cells,
            )
        if merged > limits.max_merged_cells:
            raise UploadTooLarge(
                "sheets.too_many_merged",
                file=file,
                sheet=sheet,
                cells=merged,
                limit=limits.max_merged_cells,
            )


def check_workbook_zip(path: Path, limits: WorkbookLimits) -> None:
    """The zip's members alone, before any reader opens the workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_members(archive, path.name, limits)
    except (zipfile.BadZipFile, OSError):
        raise IntakeRefused("sheets.corrupt", file=path.name) from None


def check_workbook_sheets(path: Path, parts: dict[str, str], limits: WorkbookLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            check_sheets(archive, path.name, parts, limits)
    except (zipfile.BadZipFile, OSError):
        raise IntakeRefused("sheets.corrupt", file=path.name) from None
