"""Validate one tabular resource: header, cells, rows, keys, encoding, size and hash."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.intake.descriptor_safety import normalized
from portal.validation.table import integrity
from portal.validation.table.dialect import CsvDialect
from portal.validation.table.errors import TableError
from portal.validation.table.header import check_header
from portal.validation.table.key_checks import (
    LookupProvider,
    foreign_key_errors,
    primary_key_errors,
    unique_errors,
)
from portal.validation.table.key_checks import (
    names as field_names,
)
from portal.validation.table.reader import Batch, ReadPlan, ReadResult, Restart, read_batches
from portal.validation.table.vector import ColumnChecker, true_indices


@dataclass
class TableOutcome:
    errors: list[TableError] = field(default_factory=list)
    rows: int = 0
    keys: integrity.KeyColumns = field(default_factory=integrity.KeyColumns)
    labels: list[str] | None = None
    expected_names: list[str] = field(default_factory=list)
    encoding_error: str | None = None


class BatchObserver(Protocol):
    """Sees every batch in row order: row numbers, field -> parsed values, field -> raw
    cells; told when the read starts over from the first row (`Restart`)."""

    def __call__(
        self, rows: np.ndarray, parsed: dict[str, pa.Array], raw: dict[str, pa.Array]
    ) -> None: ...

    def restart(self) -> None:
        """Forget every batch seen so far: they come again."""


class _Pass:
    """One read of the file: checkers for the expected fields, errors and keys per batch."""

    def __init__(
        self,
        fields: list[dict[str, Any]],
        missing: list[str],
        key_names: set[str],
        observer: BatchObserver | None = None,
    ) -> None:
        self.fields = fields
        self.missing = missing
        self.key_names = key_names
        self.observer = observer
        self.checkers: list[ColumnChecker] = []
        self.parsed_names: set[str] = key_names

    def start(self, labels: list[str], outcome: TableOutcome) -> None:
        header = check_header(labels, self.fields)
        outcome.errors.extend(header.errors)
        self.checkers = [
            ColumnChecker(f, number, self.missing)
            for number, f in enumerate(header.expected, start=1)
        ]
        outcome.expected_names = [c.name for c in self.checkers]
        # Rule packs read every field's parsed values; integrity only its key fields.
        self.parsed_names = set(outcome.expected_names) if self.observer else self.key_names

    def check(self, batch: Batch) -> tuple[Any, ...]:
        """Stage one: every expected field's cells; errors, rows, parsed keys, raw cells."""
        batch.columns = [_contiguous(column) for column in batch.columns]  # here, off the reader
        errors: list[TableError] = []
        rows = batch.row_numbers
        keys: dict[str, pa.Array] = {}
        blank: Any = True if self.checkers and len(rows) else None
        for checker, column in zip(self.checkers, batch.columns, strict=False):
            result = checker.check(column, rows, checker.name in self.parsed_names)
            errors.extend(result.errors)
            if result.missing is None:
                blank = None  # a column with no missing cell: no row is blank
            elif blank is not None:
                blank = result.missing if blank is True else pc.and_(blank, result.missing)
            if result.keys is not None:
                keys[checker.name] = result.keys
        blank_at: Any = true_indices(blank) if blank is not None and blank is not True else []
        if len(blank_at):
            blank_rows = set(rows[blank_at].tolist())
            errors = [e for e in errors if e.row not in blank_rows]
            errors.extend(TableError(r, None, None, "blank-row", "", "") for r in blank_rows)
        raw: dict[str, pa.Array] = {}
        if self.observer is not None:
            raw = {
                c.name: _contiguous(col)
                for c, col in zip(self.checkers, batch.columns, strict=False)
            }
        if batch.irregular:
            extra_rows, extra_keys = self._irregular(batch.irregular, errors)
            rows = np.concatenate([rows, extra_rows])
            order = pa.array(np.argsort(rows, kind="stable"))  # keys must follow row order
            rows = rows[order.to_numpy()]
            for name in keys:
                keys[name] = pa.concat_arrays([keys[name], extra_keys[name]]).take(order)
            for index, name in enumerate(raw):
                cells = [c[index] if index < len(c) else None for _, c in batch.irregular]
                raw[name] = pa.concat_arrays([raw[name], pa.array(cells, pa.string())]).take(order)
        return errors, rows, keys, raw

    def finish(self, checked: tuple[Any, ...]) -> tuple[Any, ...]:
        """Stage two, in row order: the rule packs' observer, then the keys' fingerprints."""
        errors, rows, keys, raw = checked
        if self.observer is not None:
            self.observer(rows, keys, raw)
        keys = {name: array for name, array in keys.items() if name in self.key_names}
        prints = {name: integrity.fingerprints(array) for name, array in keys.items()}
        return errors, rows, keys, prints

    def _irregular(
        self, irregular: list[tuple[int, list[str]]], errors: list[TableError]
    ) -> tuple[np.ndarray, dict[str, pa.Array]]:
        """Rows with another cell count than the header, read cell by cell."""
        wanted = [c for c in self.checkers if c.name in self.parsed_names]
        values: dict[str, list[Any]] = {c.name: [] for c in wanted}
        width = len(self.checkers)
        for number, cells in irregular:
            row_errors: list[TableError] = []
            blanks = 0
            for index, checker in enumerate(self.checkers):
                cell = cells[index] if index < len(cells) else None
                value, problems, blank = checker.read_cell(cell)
                blanks += blank
                row_errors.extend(
                    TableError(number, checker.name, checker.number, code, note, cell or "")
                    for code, note in problems
                )
                if checker.name in values:
                    values[checker.name].append(value)
            for offset, cell in enumerate(cells[width:], start=width + 1):
                row_errors.append(TableError(number, None, offset, "extra-cell", "", cell))
            for checker in self.checkers[len(cells) :]:
                row_errors.append(
                    TableError(number, checker.name, checker.number, "missing-cell", "", "")
                )
            if blanks == width:
                row_errors = [TableError(number, None, None, "blank-row", "", "")]
            errors.extend(row_errors)
        rows = np.asarray([number for number, _ in irregular], dtype=np.int64)
        return rows, {c.name: pa.array(values[c.name], c.key_type) for c in wanted}


def _contiguous(column: Any) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _key_field_names(schema: dict[str, Any]) -> set[str]:
    names = {
        str(f.get("name"))
        for f in schema.get("fields", [])
        if (f.get("constraints") or {}).get("unique")
    }
    names |= set(field_names(schema.get("primaryKey")))
    for foreign in schema.get("foreignKeys") or []:
        names |= set(field_names(foreign.get("fields")))
    return names


def _after(stage: Future[Any], then: Callable[[Any], Any]) -> Any:
    """`then` of what `stage` gave (waiting for it, or raising what it raised)."""
    return then(stage.result())


def _run(
    batches: Iterator[Batch], result: ReadResult, worker: _Pass, outcome: TableOutcome
) -> None:
    """Three threads on two cores: this one reads; one checks each batch's cells; one runs
    the rule packs over the batch checked before, in row order. Arrow's kernels let go of
    the interpreter, so the checks of a batch and the rules of the one before overlap
    (with 10 % of rows in error the rules were a third of the checking thread's time)."""
    first = next(batches, None)
    if result.labels is None:
        return
    worker.start(result.labels, outcome)
    pending: list[Future[Any]] = []

    def collect(future: Future[Any]) -> None:
        errors, rows, keys, prints = future.result()
        outcome.errors.extend(errors)
        if keys:
            outcome.keys.add(rows, keys, prints)

    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="checks") as checks,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="rules") as rules,
    ):
        batch = first
        while batch is not None:
            checked = checks.submit(worker.check, batch)
            pending.append(rules.submit(_after, checked, worker.finish))
            if len(pending) > 2:  # two batches in the stages while the next is read: 64k
                collect(pending.pop(0))  # rows of a text-heavy file are 40 MB (600 MB target)
            batch = next(batches, None)
        for future in pending:
            collect(future)


def read_table(
    resource: Mapping[str, Any],
    root: Path,
    key_names: set[str] | None = None,
    observer: BatchObserver | None = None,
) -> tuple[TableOutcome, str | None]:
    """Errors, row count and keys of a resource, plus an encoding error if decoding failed."""
    path = root / normalized(str(resource["path"]))
    schema = resource.get("schema") or {}
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict)]
    missing = [str(v) for v in schema.get("missingValues", [""])]
    dialect = CsvDialect.from_descriptor(resource.get("dialect"))
    encoding = str(resource.get("encoding") or "utf-8")
    names = _key_field_names(schema) if key_names is None else key_names
    plan = ReadPlan()
    while True:
        outcome, result = TableOutcome(), ReadResult()
        try:
            batches = read_batches(path, dialect, encoding, result, plan)
            _run(batches, result, _Pass(fields, missing, names, observer), outcome)
            break
        except Restart as restart:  # rare: rows of another width, undecodable bytes
            plan = restart.plan
            if observer is not None:  # it may have seen whole batches before the trouble
                observer.restart()
    outcome.rows = result.rows
    outcome.labels = result.labels
    return outcome, result.encoding_error


def _file_checks(resource: Mapping[str, Any], path: Path) -> list[TableError]:
    errors = []
    declared_hash = resource.get("hash")
    if declared_hash:
        algorithm, _, expected = str(declared_hash).rpartition(":")
        digest = hashlib.new(algorithm or "md5")
        with path.open("rb") as handle:
            while chunk := handle.read(8 * 1024 * 1024):
                digest.update(chunk)
        actual = digest.hexdigest()
        if actual != expected:
            note = f'expected is "{expected}" and actual is "{actual}"'
            errors.append(TableError(None, None, None, "hash-count", note, ""))
    declared_bytes = resource.get("bytes")
    actual_bytes = os.path.getsize(path)
    if declared_bytes is not None and declared_bytes != actual_bytes:
        note = f'expected is "{declared_bytes}" and actual is "{actual_bytes}"'
        errors.append(TableError(None, None, None, "byte-count", note, ""))
    return errors


def validate_table(
    resource: Mapping[str, Any],
    root: Path,
    lookup: LookupProvider | None = None,
    observer: BatchObserver | None = None,
) -> TableOutcome:
    """Every structural error of one resource, in frictionless's terms."""
    schema = resource.get("schema") or {}
    outcome, encoding_error = read_table(resource, root, observer=observer)
    rows = outcome.keys.row_numbers()
    unique, repeated = unique_errors(schema, outcome, rows)
    outcome.errors.extend(unique)
    primary = field_names(schema.get("primaryKey"))
    outcome.errors.extend(primary_key_errors(primary, outcome, rows, repeated))
    name = str(resource.get("name", ""))
    outcome.errors.extend(foreign_key_errors(schema, outcome, rows, lookup, name))
    if encoding_error is not None:
        outcome.errors.append(TableError(None, None, None, "encoding-error", encoding_error, ""))
    else:
        outcome.errors.extend(_file_checks(resource, root / normalized(str(resource["path"]))))
    outcome.errors.sort(key=lambda e: (e.row or 0, e.field_number or 0))
    outcome.encoding_error = encoding_error
    return outcome


def lookup_keys(resource: Mapping[str, Any], root: Path, fields: tuple[str, ...]) -> pa.Array:
    """Tagged keys of `fields` in a referenced resource, leaving out all-empty tuples."""
    outcome, _ = read_table(resource, root, key_names=set(fields))
    if not set(fields) <= set(outcome.expected_names):
        return pa.array([], pa.string())
    columns = [outcome.keys.column(name) for name in fields]
    keep = ~integrity.all_null(columns)
    return integrity.composite(columns).filter(pa.array(keep)).combine_chunks()
