"""Whether any cell of a string column can hold one of a few characters, from its bytes.

The input rules look for rare characters (Persian digits in a number column, a bidi
control anywhere, Arabic ي in a codelist column). A regex over every cell of every
column cost most of a million-row validation, and almost every column holds none of
them: an ASCII-only column has no Persian digit, a Persian title no bidi control.

Every cell is valid UTF-8 (the reader checks it), and UTF-8 is self-synchronising: a
character occurs in a cell exactly where its encoded bytes occur. So one numpy pass
over the column's value buffer (a view, no copy) answers "could any cell match?"; the
rules run their exact pattern only on a column whose answer is yes. A null slot's
bytes, or bytes of a sliced-off neighbour, can only make the answer yes, never no.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa


def utf8_bytes(column: Any) -> np.ndarray:
    """The bytes of every cell of a string Array, end to end (uint8, no copy)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if len(column) == 0:
        return np.zeros(0, dtype=np.uint8)
    if pa.types.is_large_string(column.type) or pa.types.is_large_binary(column.type):
        width: Any = np.int64
    elif pa.types.is_string(column.type) or pa.types.is_binary(column.type):
        width = np.int32
    else:  # not text: let the caller's exact check decide
        raise TypeError(f"not a string column: {column.type}")
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=width)
    start, end = offsets[column.offset], offsets[column.offset + len(column)]
    if data_buffer is None or end <= start:
        return np.zeros(0, dtype=np.uint8)
    return np.frombuffer(data_buffer, dtype=np.uint8)[start:end]


@cache
def _needles(characters: str) -> tuple[np.ndarray, dict[int, dict[int, np.ndarray]]]:
    """A table of the ASCII bytes; for each multi-byte lead byte, a table of the two bytes
    after it (65,536 entries) marking the characters' encodings."""
    ascii_bytes = np.zeros(256, dtype=bool)
    ascii_bytes[[ord(c) for c in characters if ord(c) < 0x80]] = True
    leads: dict[int, dict[int, np.ndarray]] = {}
    for character in set(characters):
        encoded = character.encode("utf-8")
        if len(encoded) == 1:
            continue
        if len(encoded) > 3:  # not needed by any rule: say "maybe" (the exact check decides)
            raise ValueError(f"4-byte characters are not scanned: {character!r}")
        tail = encoded[1:] + b"\x00" * (3 - len(encoded))  # a 2-byte code's third byte is free
        table = leads.setdefault(len(encoded), {}).setdefault(
            encoded[0], np.zeros(1 << 16, dtype=bool)
        )
        if len(encoded) == 2:
            table[(tail[0] << 8) : (tail[0] << 8) + 256] = True
        else:
            table[(tail[0] << 8) | tail[1]] = True
    return ascii_bytes, leads


def may_hold(column: Any, characters: str) -> bool:
    """False only when no cell of `column` contains any of `characters`."""
    try:
        data = utf8_bytes(column)
    except TypeError:
        return True
    if not len(data):
        return False
    ascii_bytes, leads = _needles(characters)
    wanted = np.flatnonzero(ascii_bytes)
    if len(wanted):
        low, high = data.min(), data.max()  # digits-only cells hold no letter, ...
        if low <= wanted[-1] and high >= wanted[0]:
            if len(wanted) == 1:
                if np.any(data == wanted[0]):
                    return True
            elif ascii_bytes[data].any():
                return True
    if not leads or data.max() < 0x80:  # ASCII only: no multi-byte character at all
        return False
    padded = np.concatenate((data, np.zeros(2, dtype=np.uint8)))  # every lead has two after it
    for tables in leads.values():
        for lead, table in tables.items():
            at = np.flatnonzero(data == lead)
            if len(at) and table[(padded[at + 1].astype(np.uint16) << 8) | padded[at + 2]].any():
                return True
    return False


def longest_bytes(column: Any) -> int:
    """The byte length of the longest cell (an upper bound on its character count)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if len(column) == 0:
        return 0
    large = pa.types.is_large_string(column.type) or pa.types.is_large_binary(column.type)
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64 if large else np.int32)
    return int(np.diff(offsets[column.offset : column.offset + len(column) + 1]).max())
