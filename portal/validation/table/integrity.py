"""Unique fields, primary keys and foreign keys, checked once every row has been read.

Keys are gathered per batch as Arrow arrays. Repeats are found by sorting 64-bit
fingerprints (the integer itself for integers and dates; a polynomial hash of the bytes
for text, confirmed by comparing the text of every colliding group), so millions of
keys cost a sort of 8-byte numbers. A row whose key appeared in an earlier row is an
error, exactly as frictionless's row-by-row memory reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NULL_KEY = "\x00"
SEPARATOR = "\x1f"
_MULTIPLIER = np.uint64(0x100000001B3)
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class KeyColumns:
    """Per-field key arrays gathered batch by batch, with their row numbers."""

    rows: list[np.ndarray] = field(default_factory=list)
    keys: dict[str, list[pa.Array]] = field(default_factory=dict)

    def add(self, rows: np.ndarray, keys: dict[str, pa.Array]) -> None:
        self.rows.append(rows)
        for name, array in keys.items():
            self.keys.setdefault(name, []).append(array)

    def row_numbers(self) -> np.ndarray:
        return np.concatenate(self.rows) if self.rows else np.empty(0, dtype=np.int64)

    def column(self, name: str) -> pa.ChunkedArray:
        chunks = self.keys.get(name, [])
        if not chunks:
            return pa.chunked_array([], pa.string())
        return pa.chunked_array(chunks)


def _string_fingerprints(array: pa.Array) -> np.ndarray:
    """A 64-bit polynomial hash of each string's bytes, computed over Arrow's buffers."""
    array = array.cast(pa.large_string()) if array.type != pa.large_string() else array
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    start, end = int(offsets[0]), int(offsets[-1])
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)[start:end].astype(np.uint64)
        if buffers[2] is not None and end > start
        else np.empty(0, dtype=np.uint64)
    )
    lengths = np.diff(offsets)
    starts = offsets[:-1] - start
    position = np.arange(end - start, dtype=np.int64) - np.repeat(starts, lengths)
    with np.errstate(over="ignore"):
        weights = np.power(_MULTIPLIER, position.astype(np.uint64) % np.uint64(64) + np.uint64(1))
        weighted = data * weights + position.astype(np.uint64)
        sums = np.zeros(len(array), dtype=np.uint64)
        filled = lengths > 0
        if filled.any():
            sums[filled] = np.add.reduceat(weighted, starts[filled])
        return sums ^ (lengths.astype(np.uint64) * _LENGTH_MIX)


def _fingerprints(column: pa.ChunkedArray) -> np.ndarray:
    chunks = column.chunks
    if not chunks:
        return np.empty(0, dtype=np.uint64)
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.concatenate([_string_fingerprints(chunk) for chunk in chunks])
    if pa.types.is_floating(kind):
        values = pc.add(column, 0.0).to_numpy()  # -0.0 + 0.0 is 0.0: equal keys, equal bits
        return values.astype(np.float64).view(np.uint64)
    return pc.cast(column, pa.int64()).to_numpy().astype(np.int64).view(np.uint64)


def later_duplicates(column: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Rows (among non-null keys) whose key appeared in an earlier row."""
    if len(rows) == 0:
        return np.empty(0, dtype=np.int64)
    prints = _fingerprints(column)
    order = np.lexsort((rows, prints))
    sorted_prints = prints[order]
    same = np.flatnonzero(sorted_prints[1:] == sorted_prints[:-1]) + 1
    if len(same) == 0:
        return np.empty(0, dtype=np.int64)
    exact = not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type))
    if exact:
        return np.sort(rows[order[same]])
    # Confirm text keys: within each colliding group, later rows repeating a value.
    group_of = np.zeros(len(order), dtype=bool)
    group_of[same] = True
    group_of[same - 1] = True
    members = order[group_of]
    texts = column.take(pa.array(members)).to_pylist()
    flagged = []
    seen: dict[tuple[int, str], int] = {}
    for index, text in zip(members, texts, strict=True):
        key = (int(prints[index]), text)
        if key in seen:
            flagged.append(rows[index])
        else:
            seen[key] = index
    return np.sort(np.asarray(flagged, dtype=np.int64))


def unique_violations(column: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Rows repeating a non-empty value of a unique field."""
    present = pc.is_valid(column)
    keep = np.asarray(present.to_numpy(zero_copy_only=False), dtype=bool)
    return later_duplicates(column.filter(present), rows[keep])


def tagged_strings(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Keys as text carrying their type, so 1 (integer) never equals "1" (string)."""
    prefix = f"{column.type}:"
    text = pc.binary_join_element_wise(prefix, pc.cast(column, pa.string()), "")
    return pc.fill_null(text, NULL_KEY)


def composite(columns: list[pa.ChunkedArray]) -> pa.ChunkedArray:
    tagged = [tagged_strings(column) for column in columns]
    if len(tagged) == 1:
        return tagged[0]
    return pc.binary_join_element_wise(*tagged, SEPARATOR)


def all_null(columns: list[pa.ChunkedArray]) -> np.ndarray:
    mask = None
    for column in columns:
        nulls = pc.is_null(column)
        mask = nulls if mask is None else pc.and_(mask, nulls)
    assert mask is not None
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
