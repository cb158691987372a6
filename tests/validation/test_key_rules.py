"""Identifiers as a reader sees them: invisible characters are an error and do not make
a new key (issue 21)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from portal.config import Settings
from portal.intake.staging import staged
from portal.validation.engine import validate_package
from portal.validation.rules.key_rules import (
    KeyCells,
    invisible_characters,
    key_invisible,
    key_repeated_visibly,
    may_hide,
    visible_id,
)
from portal.validation.rules.packs import SHIPPED, Rule
from tests.packages import DATASETS, copy_sample, read_rows, write_rows

HIDDEN = [
    "\u200b",  # zero-width space
    "\ufeff",  # BOM
    "\u200e",  # left-to-right mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2060",  # word joiner
    "\u00ad",  # soft hyphen
    "\u200c",  # ZWNJ between Latin letters and digits shapes nothing
    "\u200d",  # ZWJ likewise
]


@pytest.mark.parametrize("character", HIDDEN)
def test_an_invisible_character_anywhere_in_an_id_is_found(character: str) -> None:
    for text in (
        f"mrud{character}-yazd-0001",
        f"{character}mrud-yazd-0001",
        f"mrud-yazd-0001{character}",
    ):
        assert visible_id(text) == "mrud-yazd-0001"
        assert len(invisible_characters(text)) == 1


def test_spaces_at_an_end_are_invisible_but_inside_they_are_not() -> None:
    assert visible_id(" mrud-yazd-0001\u00a0") == "mrud-yazd-0001"
    assert invisible_characters("طرح ۱") == []


def test_a_zwnj_that_shapes_a_persian_word_is_part_of_the_id() -> None:
    assert invisible_characters("می\u200cبد-01") == []
    assert visible_id("می\u200cبد-01") == "می\u200cبد-01"
    assert invisible_characters("mybd\u200c01") == [4]


def _rule(code: str) -> Rule:
    return next(r for r in SHIPPED.pack("projects").rules if r.code == code)


def test_invisible_ids_are_errors_with_row_field_and_the_characters_named() -> None:
    found = key_invisible(
        _rule("id-invisible"), "projects", "id", [2, 3, 4], ["a-1", "a-2\u200b", None]
    )
    assert [(f.row, f.field, f.severity) for f in found] == [(3, "id", "error")]
    assert "U+200B ZERO WIDTH SPACE" in found[0].message["en"]
    assert "a-2" in found[0].message["fa"]


def test_ids_that_read_alike_repeat_whichever_comes_first() -> None:
    rule = _rule("id-repeated-invisibly")
    cells: list[str | None] = ["a-1", "a-2", "a-1\u200b", "\ufeffa-2", "a-1", None, None]
    found = key_repeated_visibly(rule, "projects", "id", [2, 3, 4, 5, 6, 7, 8], cells)
    # row 6 repeats row 2 exactly: the primary-key check reports that one
    assert [(f.row, dict(f.params)["first"]) for f in found] == [(4, 2), (5, 3)]
    assert "row 2" in found[0].message["en"]


def test_the_bulk_filter_keeps_every_cell_that_hides_something() -> None:
    cells = ["a-1", *(f"a{c}-1" for c in HIDDEN), " a-1", "a-1\u3000", "a b", "\u0645\u200c\u0628"]
    kept = set(may_hide(pa.array(cells)).tolist())
    assert {i for i, c in enumerate(cells) if invisible_characters(c)} <= kept
    assert 0 not in kept and cells.index("a b") not in kept


def test_indicator_ids_in_the_dictionary_and_the_observations(
    tmp_path: Path, settings: Settings
) -> None:
    folder = copy_sample(tmp_path / "pkg", DATASETS / "mcls-yazd")
    for name in ("indicators", "observations"):
        path = folder / "data" / f"{name}.csv"
        rows = read_rows(path)
        rows[0]["indicator_id"] = "\ufeff" + rows[0]["indicator_id"]
        write_rows(path, rows)
    with staged(folder, settings) as package:
        report, _ = validate_package(package, SHIPPED, agency="mcls-yazd")
    found = {(f.code, f.resource, f.row, f.field) for f in report.findings}
    assert ("indicator-id-invisible", "indicators", 2, "indicator_id") in found
    assert ("indicator-id-invisible", "observations", 2, "indicator_id") in found
    assert ("indicator-id-repeated-invisibly", "indicators", 2, "indicator_id") not in found


@pytest.mark.parametrize("seed", range(5))
def test_the_kept_candidates_give_the_findings_of_every_row(seed: int) -> None:
    """The key rules run on the rows KeyCells keeps (cells that may hide a character and
    cells written as those read) and find what they find on every row (issue 25)."""
    rng = random.Random(seed)
    bases = [f"mrud-yazd-{n:04d}" for n in range(40)] + ["می\u200cبد-01", "a b", ""]
    extras = [*HIDDEN, " ", "\u00a0", "\u3000"]
    cells: list[str | None] = []
    for _ in range(600):
        cell: str | None = rng.choice(bases)
        if rng.random() < 0.15:
            at = rng.randrange(len(cell) + 1)
            cell = cell[:at] + rng.choice(extras) + cell[at:]
        cells.append(None if rng.random() < 0.03 else cell)
    rows = list(range(2, len(cells) + 2))
    kept = KeyCells(whole=True)
    for start in range(0, len(cells), 97):  # in batches, as the table is read
        chunk = slice(start, start + 97)
        kept.add(np.asarray(rows[chunk], dtype=np.int64), pa.array(cells[chunk], pa.string()))
    some_rows, some_cells = kept.candidates()
    assert len(some_rows) < len(rows)
    for rule_type, code in (
        (key_invisible, "id-invisible"),
        (key_repeated_visibly, "id-repeated-invisibly"),
    ):
        every = rule_type(_rule(code), "projects", "id", rows, cells)
        narrowed = rule_type(_rule(code), "projects", "id", some_rows, some_cells)
        assert narrowed == every
        assert every or code == "id-repeated-invisibly"
    hidden_only = KeyCells(whole=False)
    hidden_only.add(np.asarray(rows, dtype=np.int64), pa.array(cells, pa.string()))
    rule = _rule("id-invisible")
    assert key_invisible(rule, "projects", "id", *hidden_only.candidates()) == key_invisible(
        rule, "projects", "id", rows, cells
    )
