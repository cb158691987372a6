"""Unique fields, primary keys and foreign keys, checked once every row has been read.

Keys are gathered per batch as Arrow arrays, with 64-bit fingerprints computed in the
checking thread (the integer itself for integers and dates; the bytes of a text folded, or
Python's hash of a long text, confirmed by comparing the text of every colliding group), so
finding repeats among millions of keys costs a sort of 8-byte numbers. A row whose key
appeared in an earlier row is an error, exactly as frictionless's row-by-row memory
reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NULL_KEY = "\x00"
FOLDED = 64  # texts up to this many bytes get a fingerprint by numpy, longer ones by hash
SEPARATOR = "\x1f"


@dataclass
class KeyColumns:
    """Per-field key arrays and their fingerprints, gathered batch by batch, with row numbers."""

    rows: list[np.ndarray] = field(default_factory=list)
    keys: dict[str, list[pa.Array]] = field(default_factory=dict)
    prints: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(
        self, rows: np.ndarray, keys: dict[str, pa.Array], prints: dict[str, np.ndarray]
    ) -> None:
        self.rows.append(rows)
        for name, array in keys.items():
            self.keys.setdefault(name, []).append(array)
            self.prints.setdefault(name, []).append(prints[name])

    def fingerprints(self, name: str) -> np.ndarray:
        chunks = self.prints.get(name, [])
        return np.concatenate(chunks) if chunks else np.empty(0, dtype=np.uint64)

    def row_numbers(self) -> np.ndarray:
        return np.concatenate(self.rows) if self.rows else np.empty(0, dtype=np.int64)

    def column(self, name: str) -> pa.ChunkedArray:
        chunks = self.keys.get(name, [])
        if not chunks:
            return pa.chunked_array([], pa.string())
        return pa.chunked_array(chunks)


def fingerprints(array: pa.Array) -> np.ndarray:
    """64-bit fingerprints: integers and dates as themselves, text from its bytes.

    Each value's fingerprint depends on that value alone: keys of different batches are
    compared by their fingerprints."""
    kind = array.type
    if pa.types.is_string(kind):
        return _text_prints(array)
    if pa.types.is_large_string(kind):
        values = array.to_pylist()
        hashed: np.ndarray = np.fromiter(map(hash, values), dtype=np.int64, count=len(values))
        return hashed.view(np.uint64)
    if pa.types.is_floating(kind):
        floats: np.ndarray = pc.fill_null(pc.add(array, 0.0), 0.0).to_numpy()  # -0.0 + 0.0 is +0.0
        return floats.astype(np.float64).view(np.uint64)
    if pa.types.is_boolean(kind):
        return np.asarray(
            pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=np.uint64
        )
    if pa.types.is_date32(kind):
        array = pc.cast(array, pa.int32())
    integers: np.ndarray = pc.fill_null(pc.cast(array, pa.int64()), 0).to_numpy()
    return integers.astype(np.int64).view(np.uint64)


def _text_prints(array: pa.Array) -> np.ndarray:
    """Texts of up to FOLDED bytes folded 8 bytes at a time with numpy, one pass per length
    (identifiers often share one); longer ones by Python's hash; an empty cell 0.

    It once folded only batches whose texts all shared one length and hashed the others:
    a value repeated in such a batch, first seen in another, went unseen."""
    count = len(array)
    buffers = array.buffers()
    if count == 0 or buffers[2] is None:  # nothing, or only empty texts and cells
        return np.zeros(count, dtype=np.uint64)
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[array.offset : array.offset + count + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    if np.all(lengths == lengths[0]) and not array.null_count and lengths[0] <= FOLDED:
        # The common case, without gathering: the texts lie side by side.
        block = data[offsets[0] : offsets[-1]].reshape(count, int(lengths[0]))
        return _fold(block, int(lengths[0]))
    prints = np.zeros(count, dtype=np.uint64)
    for width in np.unique(lengths).tolist():
        at = np.flatnonzero(lengths == width)
        if width > FOLDED:
            values = array.take(pa.array(at)).to_pylist()
            hashed = np.fromiter(map(hash, values), dtype=np.int64, count=len(at))
            prints[at] = hashed.view(np.uint64)
            continue
        block = np.empty((len(at), width), dtype=np.uint8)
        for column in range(width):  # a gather per byte: no index array of len(at) * width
            block[:, column] = data[starts[at] + column]
        prints[at] = _fold(block, width)
    if array.null_count:
        valid = np.asarray(pc.is_valid(array).to_numpy(zero_copy_only=False), dtype=bool)
        prints[~valid] = 0
    return prints


def _fold(block: np.ndarray, width: int) -> np.ndarray:
    """Rows of `width` bytes folded into 64 bits (the width first, so "a" and "a\0" differ)."""
    padded = np.zeros((len(block), -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = block
    words = padded.view(np.uint64)
    prints = np.full(len(block), np.uint64(width), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(words.shape[1]):
            prints = prints * np.uint64(0x9E3779B97F4A7C15) ^ words[:, column]
    return prints


def is_exact(kind: pa.DataType) -> bool:
    """Fingerprints of these types are the values themselves: equal prints, equal keys."""
    return not (pa.types.is_string(kind) or pa.types.is_large_string(kind))


@dataclass(frozen=True)
class Repeats:
    """Positions holding a value seen at an earlier position (ascending), and for each the
    position where its value came first."""

    later: np.ndarray
    first: np.ndarray

    @classmethod
    def none(cls) -> Repeats:
        return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))


def repeats(column: pa.ChunkedArray, prints: np.ndarray | None = None) -> Repeats:
    """Which positions repeat a value, and where each value came first, as frictionless's
    row-by-row memory sees it. One unstable sort of the fingerprints (a stable one took
    four times as long): within a group of equal prints the first is its smallest position.
    Text keys are confirmed by comparing each repeat's text with its first's; a 64-bit
    collision between different texts falls back to reading every value."""
    if prints is None:
        prints = _prints(column)
    count = len(prints)
    if count < 2:
        return Repeats.none()
    order = np.argsort(prints)
    ordered = prints[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():  # the common case: every key distinct
        return Repeats.none()
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    sizes = np.diff(np.append(starts, count))
    firsts = np.repeat(np.minimum.reduceat(order, starts), sizes)
    later_mask = order != firsts
    later, first = order[later_mask], firsts[later_mask]
    by_position = np.argsort(later)
    found = Repeats(later[by_position], first[by_position])
    if is_exact(column.type) or _same_texts(column, found):
        return found
    return _repeats_by_value(column)


def _prints(column: pa.ChunkedArray) -> np.ndarray:
    if column.num_chunks == 0:
        return np.empty(0, dtype=np.uint64)
    return np.concatenate([fingerprints(chunk) for chunk in column.chunks])


def _same_texts(column: pa.ChunkedArray, found: Repeats) -> bool:
    """True when every repeat's text equals its first's (no fingerprint collision)."""
    repeated = column.take(pa.array(found.later))
    firsts = column.take(pa.array(found.first))
    return bool(pc.all(pc.equal(repeated, firsts)).as_py())


def _repeats_by_value(column: pa.ChunkedArray) -> Repeats:
    """The exact way, value by value: only after two different texts shared a print."""
    first_at: dict[object, int] = {}
    later, first = [], []
    for position, value in enumerate(column.to_pylist()):
        seen = first_at.setdefault(value, position)
        if seen != position:
            later.append(position)
            first.append(seen)
    return Repeats(np.asarray(later, dtype=np.int64), np.asarray(first, dtype=np.int64))


def later_duplicates(
    column: pa.ChunkedArray, rows: np.ndarray, prints: np.ndarray | None = None
) -> np.ndarray:
    """Rows whose key appeared in an earlier row (rows come in ascending order)."""
    found: np.ndarray = rows[repeats(column, prints).later]
    return found


def unique_violations(
    column: pa.ChunkedArray, rows: np.ndarray, prints: np.ndarray | None = None
) -> np.ndarray:
    """Rows repeating a non-empty value of a unique field."""
    present, kept_rows, kept_prints = without_nulls(column, rows, prints)
    return later_duplicates(present, kept_rows, kept_prints)


def without_nulls(
    column: pa.ChunkedArray, rows: np.ndarray, prints: np.ndarray | None = None
) -> tuple[pa.ChunkedArray, np.ndarray, np.ndarray | None]:
    """The non-empty values of a column, with their rows and fingerprints."""
    present = pc.is_valid(column)
    keep = np.asarray(present.to_numpy(zero_copy_only=False), dtype=bool)
    kept_prints = prints[keep] if prints is not None else None
    return column.filter(present), rows[keep], kept_prints


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
