"""A valid table read into typed Arrow columns by the validator's own readers.

The same batches (`reader.read_batches`) and the same per-field cell semantics
(`vector.ColumnChecker`: missing values, `groupChar`, `decimalChar`, `bareNumber`,
`trueValues`/`falseValues`, ...) that decided the table was valid decide its values, so
nothing that shows or serves a published table can read a cell differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from portal.validation.table.dialect import CsvDialect
from portal.validation.table.reader import ReadPlan, ReadResult, Restart, read_batches
from portal.validation.table.vector import ColumnChecker


def read_typed(path: Path, resource: Mapping[str, Any]) -> pa.Table:
    """Every row of the CSV at `path`, typed by `resource`'s Table Schema.

    Columns follow the header; a column the schema does not name stays text. Rows of
    another width (never in a published table) are left out.
    """
    schema = resource.get("schema") or {}
    fields = {str(f.get("name")): f for f in schema.get("fields", []) if isinstance(f, dict)}
    missing = [str(v) for v in schema.get("missingValues", [""])]
    dialect = CsvDialect.from_descriptor(resource.get("dialect"))
    encoding = str(resource.get("encoding") or "utf-8")
    plan = ReadPlan()
    while True:
        result = ReadResult()
        try:
            batches = list(read_batches(path, dialect, encoding, result, plan))
            break
        except Restart as restart:
            plan = restart.plan
    labels = result.labels or []
    checkers = [
        ColumnChecker(fields.get(name, {"name": name, "type": "string"}), number, missing)
        for number, name in enumerate(labels, start=1)
    ]
    columns: list[list[Any]] = [[] for _ in labels]
    for batch in batches:
        for index, checker in enumerate(checkers):
            values = checker.values(batch.columns[index])
            chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
            columns[index].extend(chunks)
    arrays = [
        pa.chunked_array(chunks, type=checker.values(pa.array([], pa.string())).type)
        for chunks, checker in zip(columns, checkers, strict=True)
    ]
    return pa.table(arrays, names=labels)
