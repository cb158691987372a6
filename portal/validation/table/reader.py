"""CSV -> batches of string columns with frictionless's row numbers.

Fast path: Arrow's single-threaded streaming reader (faster than its threaded one on
two cores), used when the file is UTF-8, the dialect is plain and no quoted field spans
lines (checked by a quote-parity scan), so that physical and logical rows coincide.
Rows with another cell count than the header come back through Arrow's invalid-row
handler with their line number and are parsed by Python's csv like frictionless does.
Otherwise the exact path reads with Python's csv module, as frictionless itself does.

An undecodable byte stops frictionless where its text decoder fails: rows on lines that
end before the 8 KiB chunk holding the bad byte are read, the rest are not. Both paths
reproduce that.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from portal.validation.table.dialect import CsvDialect

TEXT_CHUNK = 8192  # io.TextIOWrapper's decoding chunk: where frictionless stops on bad bytes
SCAN_CHUNK = 8 * 1024 * 1024
BLOCK_SIZE = 1024 * 1024
BATCH_ROWS = 65536


@dataclass
class Batch:
    """Rows with as many cells as labels (as columns), and the others as cell lists."""

    row_numbers: np.ndarray
    columns: list[pa.Array | pa.ChunkedArray]
    irregular: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.row_numbers) + len(self.irregular)


@dataclass
class ReadResult:
    labels: list[str] | None = None
    encoding_error: str | None = None
    rows: int = 0


def first_bad_byte(path: Path, encoding: str) -> tuple[int, str] | None:
    """Offset of the first byte `encoding` cannot decode, and the decoder's message."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset + error.start, str(error)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return offset + error.start, str(error)
    return None


def has_odd_quotes(path: Path, quote: bytes) -> bool:
    """True when some line has an odd number of quote characters (a field spans lines)."""
    carry = 0
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_CHUNK):
            odd, carry = _odd_quotes(chunk, quote, carry)
            if odd:
                return True
    return False


def _odd_quotes(chunk: bytes, quote: bytes, carry: int) -> tuple[bool, int]:
    """(a line in `chunk` has an odd quote count, parity carried into the next chunk).

    Deleting every byte but quotes and line ends (bytes.translate, gigabytes a second)
    leaves a few bytes a line, on which numpy finds each line's quote parity.
    """
    if quote not in chunk:
        return bool(carry and (b"\n" in chunk or b"\r" in chunk)), carry
    kept = chunk.translate(None, _deletions(quote))
    data = np.frombuffer(kept, dtype=np.uint8)
    quotes = np.flatnonzero(data == quote[0])
    ends = np.flatnonzero(data != quote[0])
    if not len(ends):
        return False, (carry + len(quotes)) % 2
    # Quotes before each line end (plus the carry from the previous chunk).
    before = np.searchsorted(quotes, ends) + carry
    if np.any(np.diff(before, prepend=0) % 2):
        return True, 0
    return False, int(carry + len(quotes) - before[-1]) % 2


@cache
def _deletions(quote: bytes) -> bytes:
    keep = {quote[0], 10, 13}
    return bytes(b for b in range(256) if b not in keep)


class _Limited(io.RawIOBase):
    """The first `limit` bytes of a file, for reading up to where decoding would fail."""

    def __init__(self, path: Path, limit: int) -> None:
        self._handle = path.open("rb")
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        count = self._handle.readinto(view)
        self._left -= count or 0
        return count or 0

    def close(self) -> None:
        self._handle.close()
        super().close()


def readable_limit(path: Path, bad_offset: int) -> int:
    """Bytes frictionless reads before failing: up to the last line end before the chunk."""
    chunk_start = bad_offset // TEXT_CHUNK * TEXT_CHUNK
    with path.open("rb") as handle:
        head = handle.read(chunk_start)
    end = head.rfind(b"\n")
    return end + 1 if end >= 0 else 0


def _parse_line(text: str, dialect: CsvDialect) -> list[str]:
    rows = list(csv.reader([text], **dialect.python_options()))
    return rows[0] if rows else []


def _arrow_batches(
    source: Any, labels: list[str], dialect: CsvDialect, result: ReadResult, plan: ReadPlan
) -> Iterator[Batch]:
    names = [f"c{i}" for i in range(len(labels))]
    invalid: list[tuple[int, str]] = []

    def on_invalid(row: Any) -> str:
        invalid.append((int(row.number), str(row.text)))
        return "skip"

    # Without a handler Arrow raises on the first row of another width; the caller
    # then reads again with it (a Python callback per bad row slows clean files).
    handler = on_invalid if plan.handle_invalid else None

    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(
            skip_rows=1, column_names=names, use_threads=False, block_size=BLOCK_SIZE
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote_char,
            double_quote=True,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
            invalid_row_handler=handler,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[],
            check_utf8=True,
        ),
    )
    consumed: list[int] = []  # invalid line numbers already placed, sorted
    valid_so_far = 0
    pending: list[pa.RecordBatch] = []
    pending_rows = 0

    def flush() -> Batch:
        nonlocal valid_so_far, pending, pending_rows
        count = pending_rows
        fresh = sorted(invalid)
        invalid.clear()
        consumed.extend(number for number, _ in fresh)
        consumed.sort()
        # The j-th valid row is line j + 2 + (invalid lines before it).
        skipped = np.asarray(consumed, dtype=np.int64)
        adjusted = skipped - 2 - np.arange(len(skipped), dtype=np.int64)
        indices = np.arange(valid_so_far, valid_so_far + count, dtype=np.int64)
        rows = indices + 2 + np.searchsorted(adjusted, indices, side="right")
        valid_so_far += count
        table = pa.Table.from_batches(pending, schema=pending[0].schema) if pending else None
        # Chunked here; the checking thread makes them contiguous (kernels pay per chunk).
        columns = [
            table.column(i) if table is not None else pa.chunked_array([], pa.string())
            for i in range(len(names))
        ]
        pending, pending_rows = [], 0
        irregular = [(number, _parse_line(text, dialect)) for number, text in fresh]
        result.rows += count + len(irregular)
        return Batch(rows, columns, irregular)

    # Arrow's blocks are small (fast to parse); checks pay per call, so gather ~64k rows.
    for record_batch in reader:
        pending.append(record_batch)
        pending_rows += record_batch.num_rows
        if pending_rows >= BATCH_ROWS:
            yield flush()
    if pending or invalid:
        yield flush()


def _python_batches(
    path: Path, dialect: CsvDialect, encoding: str, result: ReadResult
) -> Iterator[Batch]:
    width = len(result.labels or [])
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(text, **dialect.python_options())
        try:
            next(reader, None)  # the header, already read
            numbers: list[int] = []
            columns: list[list[str]] = [[] for _ in range(width)]
            irregular: list[tuple[int, list[str]]] = []
            for number, cells in enumerate(reader, start=2):
                result.rows += 1
                if len(cells) == width and width:
                    numbers.append(number)
                    for column, cell in zip(columns, cells, strict=True):
                        column.append(cell)
                else:
                    irregular.append((number, cells))
                if len(numbers) + len(irregular) >= BATCH_ROWS:
                    yield _pack(numbers, columns, irregular)
                    numbers, columns, irregular = [], [[] for _ in range(width)], []
        except UnicodeDecodeError as error:
            result.encoding_error = str(error)
        yield _pack(numbers, columns, irregular)


def _pack(
    numbers: list[int], columns: list[list[str]], irregular: list[tuple[int, list[str]]]
) -> Batch:
    return Batch(
        np.asarray(numbers, dtype=np.int64),
        [pa.array(column, pa.string()) for column in columns],
        irregular,
    )


def read_labels(path: Path, dialect: CsvDialect, encoding: str) -> list[str] | None:
    """The header row, or None when the file cannot be decoded that far."""
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            return next(csv.reader(text, **dialect.python_options()), [])
        except UnicodeDecodeError:
            return None


def effective_encoding(path: Path, declared: str) -> str:
    """frictionless reads a declared utf-8 file with a BOM as utf-8-sig."""
    name = codecs.lookup(declared).name
    if name == "utf-8":
        with path.open("rb") as handle:
            if handle.read(3) == codecs.BOM_UTF8:
                return "utf-8-sig"
    return name


@dataclass(frozen=True)
class ReadPlan:
    """How to read: with Arrow's invalid-row handler, and up to which byte."""

    handle_invalid: bool = False
    limit: int | None = None  # bytes frictionless decodes before a bad byte
    encoding_error: str | None = None


class Restart(Exception):
    """The fast read met what it does not handle: read again from the start with `plan`."""

    def __init__(self, plan: ReadPlan) -> None:
        super().__init__(plan)
        self.plan = plan


def read_batches(
    path: Path,
    dialect: CsvDialect,
    declared_encoding: str,
    result: ReadResult,
    plan: ReadPlan = ReadPlan(),
) -> Iterator[Batch]:
    """Yield batches; fill `result` with the labels, row count and encoding error.

    Raises Restart (maybe after yielding batches) when Arrow finds a row of another
    width or an undecodable byte: the caller starts over with the returned plan.
    """
    encoding = effective_encoding(path, declared_encoding)
    labels = read_labels(path, dialect, encoding)
    if labels is None:
        bad = first_bad_byte(path, encoding)
        result.encoding_error = bad[1] if bad else "undecodable header"
        return
    result.labels = labels
    result.encoding_error = plan.encoding_error
    fast = dialect.arrow_compatible and encoding in ("utf-8", "utf-8-sig") and bool(labels)
    if not fast or has_odd_quotes(path, dialect.quote_char.encode()):
        yield from _python_batches(path, dialect, encoding, result)
        return
    if plan.limit is not None:
        source: Any = io.BufferedReader(_Limited(path, plan.limit))
        try:
            yield from _arrow_batches(source, labels, dialect, result, plan)
        finally:
            source.close()
        return
    try:
        yield from _arrow_batches(str(path), labels, dialect, result, plan)
    except pa.ArrowInvalid as error:
        message = str(error)
        if "utf8" in message.lower():
            bad = first_bad_byte(path, encoding)
            if bad is None:
                raise
            limit = readable_limit(path, bad[0])
            raise Restart(ReadPlan(True, limit, bad[1])) from None
        if "Expected" in message and "columns" in message and not plan.handle_invalid:
            raise Restart(ReadPlan(handle_invalid=True)) from None
        raise
