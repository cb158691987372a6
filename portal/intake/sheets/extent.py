"""A workbook's real size, read from its zip and its sheets' XML before any reader allocates.

python-calamine builds each sheet as one dense rectangle from its farthest cell: one cell
at XFD90000 asks for 47 GB and the Rust allocator aborts the whole process (nothing to
catch). openpyxl makes an object for every cell of a merged range, and both readers
inflate every part of the zip whole. So the members' sizes and ratios, the sheets' cell
references, their number and their merged ranges are bounded here first, each refusal
naming the file, the sheet and the cell or limit.

Every part of the zip that a reader could take for XML is measured, whatever its name or
what the workbook's relationships say (calamine and openpyxl do not resolve them alike).
Cell references are found in two ways that agree. The fast one reads the form every
producer writes (`<c r="B7" …>`: reference first, double quotes, no prefix) with byte
searches at about the speed calamine parses; anything else (a cell with no reference, a
prefixed element, a second `r`, single quotes) is read tag by tag, as leniently as
calamine reads it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from xml.etree import ElementTree

from portal.errors import IntakeRefused, UploadTooLarge
from portal.intake.sheets.grid import MAX_SHEET_ROWS

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
_SMALL_PART = 4 * 1024 * 1024  # the package and workbook relationships, the sheet list
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
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
    # Merged ranges as (top, left, bottom, right).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: bool = False  # it holds sheetData: a reader takes it for a sheet

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


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str) -> Iterator[bytes]:
    """The member inflated in pieces cut after a `>`, never more than its header declared."""
    try:
        with archive.open(member) as handle:
            carry, seen = b"", 0
            while piece := handle.read(_CHUNK):
                seen += len(piece)
                if seen > member.file_size:
                    raise IntakeRefused("sheets.corrupt", file=where)
                data = carry + piece
                cut = data.rfind(b">") + 1
                carry = data[cut:]
                if cut:
                    yield data[:cut]
            if carry:
                yield carry
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
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
    extent.sheet = extent.sheet or b"sheetData" in chunk
    return True


_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)(\s[^>]*)?>")
_ATTRIBUTE = re.compile(rb"""([A-Za-z_][\w.\-:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _ExactScan:
    """The same extent read tag by tag, as leniently as calamine's reader (no check of end
    tags, any prefix, every `r` of a cell), with its rules for cells with no reference: a
    cell takes the next column of its row, a row without `r` the next row."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.extent = Extent()
        self.row = 0
        self.column = 0

    def _values(self, attributes: bytes | None, name: bytes) -> list[str]:
        found = _ATTRIBUTE.findall(attributes or b"")
        return [(a or b).decode("utf-8", "replace") for key, a, b in found if key == name]

    def tag(self, local: bytes, attributes: bytes | None) -> None:
        if local == b"c":
            self.extent.cells += 1
            refs = self._values(attributes, b"r")
            if not refs:
                self.column += 1
                self.extent.reach(max(self.row, 1), self.column)
            for ref in refs:
                row, self.column = _reference(ref, self.where)
                self.extent.reach(row, self.column)
        elif local == b"row":
            refs = [r.strip() for r in self._values(attributes, b"r")]
            self.row = (
                max(int(r) for r in refs) if refs and all(map(str.isdigit, refs)) else self.row + 1
            )
            self.column = 0
        elif local == b"mergeCell":
            for ref in self._values(attributes, b"ref"):
                self.extent.merged.append(_merged_range(ref, self.where))
        elif local == b"sheetData":
            self.extent.sheet = True

    def run(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Extent:
        for chunk in _chunks(archive, member, self.where):
            for found in _TAG.finditer(chunk):
                self.tag(found[2], found[3])
        return self.extent


def _is_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str) -> bool:
    """A part a reader could take for XML (a picture or a binary part is not)."""
    try:
        with archive.open(member) as handle:
            head = handle.read(64)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise IntakeRefused("sheets.corrupt", file=where) from None
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def part_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str) -> Extent:
    """How far the cells of one part reach: the fast reading, or the exact one if needed."""
    extent = Extent()
    for chunk in _chunks(archive, member, where):
        if not _standard(chunk, extent, where):
            return _ExactScan(where).run(archive, member)
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


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
        if info.file_size > _SMALL_PART:
            return None
        return ElementTree.fromstring(archive.read(info))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        return None


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, as the readers find them (for messages and formulas)."""
    found: dict[str, str] = {}
    root = _small_xml(archive, "_rels/.rels")
    targets = [
        str(rel.get("Target", "")).lstrip("/")
        for rel in (root if root is not None else [])
        if str(rel.get("Type", "")).endswith("/officeDocument")
    ]
    for target in targets or ["xl/workbook.xml"]:
        folder = posixpath.dirname(target)
        book = _small_xml(archive, target)
        rels = _small_xml(
            archive, posixpath.join(folder, "_rels", posixpath.basename(target) + ".rels")
        )
        if book is None or rels is None:
            continue
        paths = {str(rel.get("Id")): str(rel.get("Target", "")) for rel in rels}
        for sheet in book.iter(f"{_MAIN}sheet"):
            path = paths.get(str(sheet.get(f"{{{_OFFICE_RELS}}}id")), "")
            if path:
                part = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
                found[posixpath.normpath(part)] = str(sheet.get("name", ""))
    return found


def check_sheets(
    archive: zipfile.ZipFile, file: str, names: dict[str, str], limits: WorkbookLimits
) -> None:
    """Refuse a workbook whose cells, in any part a reader could take for a sheet, reach
    past what is read whole; each part is named by its sheet where the workbook says."""
    if len(names) > limits.max_sheets:
        raise UploadTooLarge(
            "sheets.too_many_sheets", file=file, sheets=len(names), limit=limits.max_sheets
        )
    cells = merged = sheets = 0
    for member in archive.infolist():
        sheet = names.get(posixpath.normpath(member.filename), member.filename)
        where = f"{file}:{sheet}"
        if member.is_dir() or not _is_xml(archive, member, where):
            continue
        extent = part_extent(archive, member, where)
        sheets += extent.sheet
        if sheets > limits.max_sheets:
            raise UploadTooLarge(
                "sheets.too_many_sheets", file=file, sheets=sheets, limit=limits.max_sheets
            )
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


def check_workbook(path: Path, limits: WorkbookLimits) -> dict[str, str]:
    """Every member of the zip, then every cell of every part, before a reader opens the
    workbook; the sheets' parts by name."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_members(archive, path.name, limits)
            names = sheet_parts(archive)
            check_sheets(archive, path.name, names, limits)
    except (zipfile.BadZipFile, OSError):
        raise IntakeRefused("sheets.corrupt", file=path.name) from None
    return {sheet: part for part, sheet in names.items()}
