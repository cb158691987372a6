"""Persian input rules: digits, Arabic letters and Jalali dates, each with its correction."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.persian import jalali_to_iso, normalize_letters, to_latin_digits
from portal.validation.report import Finding
from portal.validation.rules.batch import BatchView, RuleContext
from portal.validation.rules.packs import Rule
from portal.validation.rules.row_rules import RowRule
from portal.validation.table.text_scan import may_hold

NUMERIC_TYPES = {"integer", "number", "year", "date"}
JALALI_YEARS = (1300, 1500)  # an ISO date in these years is a Jalali date typed as Gregorian
NOTHING = np.zeros(0, dtype=np.int64)


# What each rule looks for: its characters, and one pattern (a class) for them.
EASTERN_DIGITS = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
EASTERN_DIGIT = "[۰-۹٠-٩]"
ARABIC_LETTERS = "يكى"
ARABIC_LETTER = "[يكى]"
HIDDEN_CHARACTERS = "\x00\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HIDDEN_PATTERN = "[\\x00\u202a-\u202e\u2066-\u2069]"


def _where(column: object, pattern: str, characters: str) -> np.ndarray:
    """Rows whose cell holds one of `characters` (`pattern` is their class).

    A byte scan first skips the column when no cell can hold any of them (nearly
    always): the regex then reads only columns where something may be found.
    """
    if not may_hold(column, characters):
        return NOTHING
    matches = pc.fill_null(pc.match_substring_regex(column, pattern), False)
    return np.asarray(pc.indices_nonzero(matches), dtype=np.int64)


def _finding(rule: Rule, view: BatchView, index: int, name: str, cell: str, fix: str) -> Finding:
    return Finding.make(
        rule.code,
        rule.severity,
        resource=view.resource,
        row=int(view.rows[index]),
        field=name,
        cell=cell,
        suggestion=fix,
    )


def persian_digits(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    found = []
    for name, kind in view.types.items():
        column = view.raw.get(name)
        if kind not in NUMERIC_TYPES or column is None:
            continue
        at = _where(column, EASTERN_DIGIT, EASTERN_DIGITS)
        for index, cell in zip(at, view.cells(name, at), strict=True):
            if kind == "date" and jalali_to_iso(cell):
                continue  # the jalali-date rule gives the full correction
            found.append(_finding(rule, view, index, name, cell, to_latin_digits(cell).strip()))
    return found


def arabic_letters(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    found = []
    for name in view.enums:
        column = view.raw.get(name)
        if column is None:
            continue
        at = _where(column, ARABIC_LETTER, ARABIC_LETTERS)
        for index, cell in zip(at, view.cells(name, at), strict=True):
            found.append(_finding(rule, view, index, name, cell, normalize_letters(cell)))
    return found


def jalali_date(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    found = []
    for name, kind in view.types.items():
        raw, parsed = view.raw.get(name), view.parsed.get(name)
        if kind != "date" or raw is None:
            continue
        # Cells that are not ISO dates but read as Jalali ones ...
        invalid = pc.and_(pc.is_null(parsed), pc.greater(pc.binary_length(raw), 0))
        candidates = np.asarray(pc.indices_nonzero(invalid), dtype=np.int64)
        for index, cell in zip(candidates, view.cells(name, candidates), strict=True):
            fix = jalali_to_iso(cell)
            if fix:
                found.append(_finding(rule, view, index, name, cell, fix))
        # ... and valid ISO dates whose year is a Jalali year.
        years = pc.year(parsed)
        low, high = JALALI_YEARS
        mask = pc.fill_null(pc.and_(pc.greater_equal(years, low), pc.less(years, high)), False)
        at = np.asarray(pc.indices_nonzero(mask), dtype=np.int64)
        values = pc.take(parsed, pa.array(at)).to_pylist()
        for index, cell, value in zip(at, view.cells(name, at), values, strict=True):
            fix = _jalali_iso(value)
            if fix:
                found.append(_finding(rule, view, index, name, cell, fix))
    return found


def _jalali_iso(value: date) -> str | None:
    return jalali_to_iso(f"{value.year}/{value.month}/{value.day}")


def hidden_characters(rule: Rule, view: BatchView, context: RuleContext) -> list[Finding]:
    """Direction controls and NUL in any cell: they can show a figure reversed."""
    found = []
    for name, column in view.raw.items():
        at = _where(column, HIDDEN_PATTERN, HIDDEN_CHARACTERS)
        for index, cell in zip(at, view.cells(name, at), strict=True):
            character = next(c for c in cell if c in HIDDEN_CHARACTERS)
            found.append(
                Finding.make(
                    rule.code,
                    rule.severity,
                    resource=view.resource,
                    row=int(view.rows[index]),
                    field=name,
                    character=f"U+{ord(character):04X}",
                )
            )
    return found


INPUT_RULES: dict[str, RowRule] = {
    "hidden_characters": hidden_characters,
    "persian_digits": persian_digits,
    "arabic_letters": arabic_letters,
    "jalali_date": jalali_date,
}
