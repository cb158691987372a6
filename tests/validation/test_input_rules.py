"""The input rules' byte pre-scan changes no finding: fast rules against the simple ones.

The simple implementation (a regex over every cell of every column, as the rules ran
before the scan) is kept here as the oracle; hypothesis draws Persian-looking columns
full of near misses (ZWNJ, RLM, the en dash, U+2065/U+206A beside the bidi controls,
Arabic-Indic digits, 4-byte characters), nulls, and slices that start mid-buffer.
"""

from __future__ import annotations

import string
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.persian import jalali_to_iso, normalize_letters, to_latin_digits
from portal.validation.report import Finding
from portal.validation.rules.batch import BatchView, RuleContext
from portal.validation.rules.input_rules import (
    arabic_letters,
    hidden_characters,
    persian_digits,
)
from portal.validation.rules.packs import SHIPPED, Rule
from portal.validation.table.text_scan import may_hold, utf8_bytes

CONTEXT = RuleContext(date(2026, 11, 22), SHIPPED)
ALPHABET = (
    "abcAZ09-/.,: "
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأؤئة"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
    "يكى"
    "\u200c\u200d\u200e\u200f\u2013\u2029\u202f\u2065\u206a\u00a0"
    "\x00\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "😀𝟘"
)
TYPES = ["integer", "number", "date", "year", "string", "any"]


def _rule(kind: str) -> Rule:
    return next(r for r in SHIPPED.pack("input").rules if r.type == kind)


# -- the simple implementation: every column, every cell, by regex ------------------
def _where(column: object, pattern: str) -> np.ndarray:
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


def simple_persian_digits(rule: Rule, view: BatchView) -> list[Finding]:
    found = []
    for name, kind in view.types.items():
        column = view.raw.get(name)
        if kind not in {"integer", "number", "year", "date"} or column is None:
            continue
        at = _where(column, "[۰-۹٠-٩]")
        for index, cell in zip(at, view.cells(name, at), strict=True):
            if kind == "date" and jalali_to_iso(cell):
                continue
            found.append(_finding(rule, view, index, name, cell, to_latin_digits(cell).strip()))
    return found


def simple_arabic_letters(rule: Rule, view: BatchView) -> list[Finding]:
    found = []
    for name in view.enums:
        column = view.raw.get(name)
        if column is None:
            continue
        at = _where(column, "[يكى]")
        for index, cell in zip(at, view.cells(name, at), strict=True):
            found.append(_finding(rule, view, index, name, cell, normalize_letters(cell)))
    return found


def simple_hidden_characters(rule: Rule, view: BatchView) -> list[Finding]:
    found = []
    for name, column in view.raw.items():
        at = _where(column, "[\\x00\u202a-\u202e\u2066-\u2069]")
        for index, cell in zip(at, view.cells(name, at), strict=True):
            character = next(
                c
                for c in cell
                if c == "\x00" or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"
            )
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


# -- random batches ----------------------------------------------------------------------
cells = st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=12))


@st.composite
def batches(draw: st.DrawFn) -> BatchView:
    rows = draw(st.integers(min_value=0, max_value=25))
    width = draw(st.integers(min_value=1, max_value=5))
    raw: dict[str, pa.Array] = {}
    types: dict[str, str] = {}
    for number in range(width):
        lead = draw(st.integers(min_value=0, max_value=4))  # a slice that starts mid-buffer
        values = draw(st.lists(cells, min_size=rows + lead, max_size=rows + lead))
        kind = draw(st.sampled_from([pa.string(), pa.large_string()]))
        name = f"f{number}"
        raw[name] = pa.array(values, kind).slice(lead, rows)
        types[name] = draw(st.sampled_from(TYPES))
    enums = set(draw(st.lists(st.sampled_from(sorted(raw)), max_size=width)))
    row_numbers = np.arange(2, rows + 2, dtype=np.int64)
    return BatchView("projects", row_numbers, {}, raw, types, enums)


@settings(max_examples=400, deadline=None)
@given(batches())
def test_fast_rules_find_what_the_simple_ones_find(view: BatchView) -> None:
    assert persian_digits(_rule("persian_digits"), view, CONTEXT) == simple_persian_digits(
        _rule("persian_digits"), view
    )
    assert arabic_letters(_rule("arabic_letters"), view, CONTEXT) == simple_arabic_letters(
        _rule("arabic_letters"), view
    )
    assert hidden_characters(_rule("hidden_characters"), view, CONTEXT) == simple_hidden_characters(
        _rule("hidden_characters"), view
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=20), st.integers(min_value=0, max_value=3))
def test_the_scan_never_says_no_where_a_character_is(values: list, lead: int) -> None:
    column = pa.array(values, pa.string()).slice(min(lead, len(values)))
    text = "".join(v for v in column.to_pylist() if v)
    for characters in ("\x00\u202a\u202e\u2066\u2069", "۰۹٠٩", "يكى", string.ascii_letters):
        if any(c in text for c in characters):
            assert may_hold(column, characters)


def test_the_scan_skips_what_cannot_match() -> None:
    ascii_only = pa.array(["1200", "2021-03-04", None, "n/a"])
    persian = pa.array(["راه\u200cآهن – یزد", "اهواز\u200f"])
    assert not may_hold(ascii_only, "۰۱۲۳۴۵۶۷۸۹")
    assert not may_hold(ascii_only, "\x00\u202e")
    assert not may_hold(persian, "\x00\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert may_hold(pa.array(["ok", "a\x00b"]), "\x00")
    assert may_hold(pa.array(["۱۲۰۰"]), "۰۱۲۳۴۵۶۷۸۹")
    assert utf8_bytes(pa.array(["ab", "c"]).slice(1)).tobytes() == b"c"
    assert not may_hold(pa.array(["-12", "3400", "1.5"]), string.ascii_letters)
    assert may_hold(pa.array(["12", "0x10"]), string.ascii_letters)
