"""Reading a bare CSV (or TSV): its encoding and delimiter found, never guessed silently."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from portal.errors import IntakeRefused
from portal.intake.sheets.grid import Sheet, Source

DELIMITERS = (",", "\t", ";", "|")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("windows-1256"), "windows-1256"
    except UnicodeDecodeError:
        raise IntakeRefused("sheets.undecodable", file=name) from None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first.count)


def read_text_table(path: Path) -> Source:
    data = path.read_bytes()
    if not data.strip(b" \r\n\t\xef\xbb\xbf"):
        raise IntakeRefused("sheets.empty_file", file=path.name)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IntakeRefused("sheets.undecodable", file=path.name)
    text, encoding = _decode(data, path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows: list[list[object]] = [list(row) for row in reader]
    except csv.Error:
        raise IntakeRefused("sheets.undecodable", file=path.name) from None
    sheet = Sheet(path.stem, rows, in_workbook=False)
    return Source(path.name, "csv", [sheet], encoding)
