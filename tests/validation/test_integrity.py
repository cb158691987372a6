"""Repeated keys are found whichever batches hold them.

Keys are compared by 64-bit fingerprints computed batch by batch; a text's fingerprint
must not depend on the other texts of its batch, or a value repeated in a batch whose
keys all share one length (and no empty one) goes unseen when it came first in a batch
of mixed lengths (found by fuzzing the batch-boundary differential test).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from portal.validation.table import integrity
from portal.validation.table.dialect import CsvDialect
from portal.validation.table.package import validate_tables
from portal.validation.table.reader import BATCH_ROWS, ReadResult, read_batches


def test_a_text_has_one_fingerprint_whatever_shares_its_batch() -> None:
    alone = integrity.fingerprints(pa.array(["mrud-00042", "mrud-00043"]))
    with_other_lengths = integrity.fingerprints(pa.array(["mrud-00042", "x"]))
    with_an_empty_cell = integrity.fingerprints(pa.array(["mrud-00042", None]))
    long = "x" * 100
    with_a_long_text = integrity.fingerprints(pa.array(["mrud-00042", long]))
    assert alone[0] == with_other_lengths[0] == with_an_empty_cell[0] == with_a_long_text[0]
    assert integrity.fingerprints(pa.array([long]))[0] == with_a_long_text[1]


def test_a_text_key_repeated_in_a_later_batch_is_found(tmp_path: Path) -> None:
    rows = 3 * BATCH_ROWS  # two batches of the fast read (blocks of 1 MiB, ~52k rows each)
    codes = [f"c{number:09d}" for number in range(rows)]
    codes[100] = ""
    codes[-1] = codes[10]  # line rows + 1 repeats line 12
    lines = ["code,n", *(f"{code},{number}" for number, code in enumerate(codes))]
    (tmp_path / "main.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fields = [
        {"name": "code", "type": "string", "constraints": {"unique": True}},
        {"name": "n", "type": "integer"},
    ]
    schema = {"fields": fields, "primaryKey": ["code", "n"]}
    resource = {"name": "main", "path": "main.csv", "schema": schema}
    descriptor = {"name": "x", "resources": [resource]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    batches = list(read_batches(tmp_path / "main.csv", CsvDialect(), "utf-8", ReadResult()))
    assert len(batches) == 2  # the first has an empty code, the second none
    outcome = validate_tables(descriptor, tmp_path)["main"]
    found = [(e.row, e.code, e.note) for e in outcome.errors]
    assert found == [(rows + 1, "unique-error", "the same as in the row at position 12")]
