"""Limits on a table's shape, checked on the raw bytes before pyarrow or frictionless read it.

A CSV of 10^5 columns (a 215 KB zip) cost 16.7 s and 1.2 GB; a 5 MB cell stops Python's
csv module. Three caps (columns, line bytes, cell bytes; `Settings` holds the defaults)
are measured with numpy over the bytes in chunks, so the scan is as fast as reading the
file. Quotes are ignored here: a quoted delimiter only makes cells look shorter, so the
caps never refuse a file that is within them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from portal.config import DEFAULT_MAX_CELL_BYTES, DEFAULT_MAX_COLUMNS, DEFAULT_MAX_LINE_BYTES

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class TableLimits:
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES


@dataclass(frozen=True)
class ShapeProblem:
    code: str  # table-too-many-columns, table-line-too-long, table-cell-too-long, table-empty
    row: int | None
    size: int
    limit: int


def _longest(positions: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """The longest gap between consecutive separators in [start, end), and where it starts."""
    bounds = np.concatenate(([start - 1], positions, [end]))
    gaps = np.diff(bounds) - 1
    at = int(np.argmax(gaps))
    return int(gaps[at]), at


def _header_width(path: Path, delimiter: str, limit: int) -> int:
    with path.open("rb") as handle:
        first = handle.readline(limit + 1)
    text = first.decode("utf-8", errors="replace")
    return len(next(csv.reader(io.StringIO(text), delimiter=delimiter), []))


def check_shape(path: Path, delimiter: str, limits: TableLimits) -> ShapeProblem | None:
    """The first cap the file exceeds (with its line number), or None."""
    size = path.stat().st_size
    if size == 0:
        return ShapeProblem("table-empty", None, 0, 0)
    sep = ord(delimiter) if len(delimiter) == 1 and ord(delimiter) < 128 else ord(",")
    line, cell = 0, 0  # bytes of the current line and cell carried over from the last chunk
    lines = 1
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            data = np.frombuffer(chunk, dtype=np.uint8)
            newlines = np.flatnonzero(data == 10)
            longest_line, line_at = _longest(newlines, 0, len(data))
            first_line = (newlines[0] if len(newlines) else len(data)) + line
            # A cell is part of a line: only a line longer than the cell cap needs the
            # (costlier) scan for separators.
            if max(first_line, longest_line) > limits.max_cell_bytes:
                separators = np.flatnonzero((data == 10) | (data == sep))
                longest_cell, at = _longest(separators, 0, len(data))
                first_cell = (separators[0] if len(separators) else len(data)) + cell
                if max(first_cell, longest_cell) > limits.max_cell_bytes:
                    before = separators[at - 1] if longest_cell > first_cell and at > 0 else 0
                    row = lines + int(np.count_nonzero(newlines < before))
                    size = max(first_cell, longest_cell)
                    return ShapeProblem("table-cell-too-long", row, size, limits.max_cell_bytes)
            if max(first_line, longest_line) > limits.max_line_bytes:
                row = lines + (line_at if longest_line > first_line else 0)
                return ShapeProblem(
                    "table-line-too-long", row, max(first_line, longest_line), limits.max_line_bytes
                )
            line = len(data) - 1 - newlines[-1] if len(newlines) else line + len(data)
            last = max(chunk.rfind(b"\n"), chunk.rfind(bytes([sep])))
            cell = len(data) - 1 - last if last >= 0 else cell + len(data)
            lines += len(newlines)
    width = _header_width(path, delimiter, limits.max_line_bytes)
    if width > limits.max_columns:
        return ShapeProblem("table-too-many-columns", 1, width, limits.max_columns)
    return None
