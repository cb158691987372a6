"""The structural engine reports exactly what frictionless-py reports, on 320 mutated packages."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from frictionless import Package, Report

from portal.validation.table.package import validate_tables
from tests.validation.mutations import cases, materialize

CASES = 320
ROW_LEVEL = {"primary-key", "foreign-key", "blank-row"}
Key = tuple[str | None, int | None, int | None, str]


def frictionless_errors(descriptor: dict, root: Path) -> Counter[Key]:
    return counted(Package(descriptor, basepath=str(root)).validate(limit_errors=10**7))


def counted(report: Report) -> Counter[Key]:
    """frictionless's errors, keyed as `engine_errors` keys the engine's."""
    found: Counter[Key] = Counter()
    for task in report.tasks:
        for error in task.errors:
            number = None if error.type in ROW_LEVEL else getattr(error, "field_number", None)
            found[(task.name, getattr(error, "row_number", None), number, error.type)] += 1
    for error in report.errors:
        found[(None, None, None, error.type)] += 1
    return found


def engine_errors(descriptor: dict, root: Path) -> Counter[Key]:
    found: Counter[Key] = Counter()
    for name, outcome in validate_tables(descriptor, root).items():
        for error in outcome.errors:
            number = None if error.code in ROW_LEVEL else error.field_number
            found[(name, error.row, number, error.code)] += 1
    return found


@pytest.mark.slow
def test_engine_matches_frictionless_on_mutated_packages(tmp_path: Path) -> None:
    mismatches = []
    codes: Counter[str] = Counter()
    for index, case in enumerate(cases(CASES)):
        folder = tmp_path / f"case{index:03d}"
        folder.mkdir()
        main, dictionary, descriptor = materialize(case)
        (folder / "main.csv").write_bytes(main)
        (folder / "dict.csv").write_bytes(dictionary)
        (folder / "datapackage.json").write_text(json.dumps(descriptor))
        expected = frictionless_errors(descriptor, folder)
        actual = engine_errors(descriptor, folder)
        codes.update(key[3] for key in expected)
        if expected != actual:
            mismatches.append((index, case.applied, expected - actual, actual - expected))
    assert not mismatches, mismatches[:5]
    required = {
        "blank-label",
        "duplicate-label",
        "missing-label",
        "extra-label",
        "incorrect-label",
        "missing-cell",
        "extra-cell",
        "blank-row",
        "type-error",
        "constraint-error",
        "unique-error",
        "primary-key",
        "foreign-key",
        "byte-count",
        "hash-count",
        "encoding-error",
    }
    assert required <= set(codes), required - set(codes)
