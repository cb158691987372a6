"""Key rule types: identifiers compared as a reader sees them, over a whole table.

`mrud-yazd-0001` and `mrud-yazd-0001` followed by a zero-width space are two keys to the
primary-key check and one project to a reader: a second row that shadows a published one.
So an identifier holding invisible characters is an error, and identifiers are compared
again once those are removed. A key rule runs when every row has been read: it gets the
rows and the cells of one field of one resource and returns findings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from portal.validation.report import Finding
from portal.validation.rules.packs import Rule

JOINERS = {"\u200c", "\u200d"}  # ZWNJ and ZWJ shape Persian words: kept between two letters


def _arabic_letter(character: str) -> bool:
    point = ord(character)
    in_script = 0x0600 <= point <= 0x06FF or 0x0750 <= point <= 0x077F or 0xFB50 <= point <= 0xFDFF
    return in_script and character.isalpha()


def _shapes(text: str, index: int) -> bool:
    """A joiner between two letters of the Arabic script is part of the spelling."""
    return 0 < index < len(text) - 1 and all(
        _arabic_letter(text[i]) for i in (index - 1, index + 1)
    )


def invisible_characters(text: str) -> list[int]:
    """Positions of the characters of `text` that a reader cannot see: format characters
    (zero-width space, BOM, direction marks and controls, word joiner, soft hyphen; a ZWNJ
    or ZWJ only where it shapes no word) and spaces at either end."""
    stripped = text.strip()
    start = len(text) - len(text.lstrip())
    found = [i for i in range(len(text)) if i < start or i >= start + len(stripped)]
    for i in range(start, start + len(stripped)):
        if unicodedata.category(text[i]) == "Cf" and not (text[i] in JOINERS and _shapes(text, i)):
            found.append(i)
    return sorted(found)


def visible_id(text: str) -> str:
    """An identifier as a reader sees it: its invisible characters removed."""
    hidden = set(invisible_characters(text))
    return "".join(c for i, c in enumerate(text) if i not in hidden)


# A superset of what `invisible_characters` finds, for Arrow to pick out in bulk.
MAY_HIDE = r"\p{Cf}|^[\s\p{Z}\x{1c}-\x{1f}\x{85}]|[\s\p{Z}\x{1c}-\x{1f}\x{85}]$"


def may_hide(cells: pa.Array) -> np.ndarray:
    """Positions of the cells that may hold invisible characters (the rest certainly not)."""
    found = pc.fill_null(pc.match_substring_regex(cells, MAY_HIDE), False)
    return np.asarray(pc.indices_nonzero(found), dtype=np.int64)


@dataclass
class KeyCells:
    """The cells of one key field that the key rules may need, kept in Arrow while the
    table is read (a million ids as Python strings cost 100 MB and seconds to compare).

    `whole` keeps every cell (ids compared as a reader sees them); otherwise only the
    cells that may hide a character are kept."""

    whole: bool
    rows: list[np.ndarray] = field(default_factory=list)
    cells: list[pa.Array] = field(default_factory=list)

    def add(self, rows: np.ndarray, cells: pa.Array) -> None:
        if not self.whole:
            at = may_hide(cells)
            rows, cells = rows[at], cells.take(pa.array(at, pa.int64()))
        self.rows.append(rows)
        self.cells.append(cells)

    def candidates(self) -> tuple[list[int], list[str | None]]:
        """Rows (in order) and cells that can take part in a finding: the cells that may
        hide a character, and the cells written as one of those reads once its invisible
        characters are removed. Any other cell reads as written and can only repeat
        itself exactly, which is the primary-key check's to report; the rules find the
        same on these rows as on every row."""
        if not self.cells:
            return [], []
        rows = np.concatenate(self.rows)
        cells = pa.concat_arrays(self.cells)
        at = may_hide(cells)
        if self.whole and len(at):
            hiding = cells.take(pa.array(at, pa.int64())).to_pylist()
            seen = pa.array(sorted({visible_id(c) for c in hiding if c}), pa.string())
            alike = pc.fill_null(pc.is_in(cells, value_set=seen), False)
            mask = np.asarray(alike.to_numpy(zero_copy_only=False), dtype=bool)
            mask[at] = True
            at = np.flatnonzero(mask)
        return rows[at].tolist(), cells.take(pa.array(at, pa.int64())).to_pylist()


def _named(characters: list[str]) -> str:
    names = dict.fromkeys(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in characters)
    return ", ".join(names)


def _finding(rule: Rule, resource: str, row: int, field: str, cell: str, **params: Any) -> Finding:
    return Finding.make(
        rule.code,
        rule.severity,
        resource=resource,
        row=row,
        field=field,
        cell=cell,
        visible=visible_id(cell),
        **params,
    )


def key_invisible(
    rule: Rule, resource: str, field: str, rows: list[int], cells: list[str | None]
) -> list[Finding]:
    found = []
    for row, cell in zip(rows, cells, strict=True):
        hidden = invisible_characters(cell) if cell else []
        if cell and hidden:
            characters = _named([cell[i] for i in hidden])
            found.append(_finding(rule, resource, row, field, cell, characters=characters))
    return found


def key_repeated_visibly(
    rule: Rule, resource: str, field: str, rows: list[int], cells: list[str | None]
) -> list[Finding]:
    """A key that repeats an earlier one once invisible characters are removed (an exact
    repetition is the primary-key check's to report)."""
    first: dict[str, tuple[int, str]] = {}
    found = []
    for row, cell in zip(rows, cells, strict=True):
        if not cell:
            continue
        seen = first.setdefault(visible_id(cell), (row, cell))
        if seen[0] != row and seen[1] != cell:
            found.append(_finding(rule, resource, row, field, cell, first=seen[0]))
    return found


KeyRule = Callable[[Rule, str, str, list[int], list[str | None]], list[Finding]]
KEY_RULES: dict[str, KeyRule] = {
    "key_invisible": key_invisible,
    "key_repeated_visibly": key_repeated_visibly,
}
