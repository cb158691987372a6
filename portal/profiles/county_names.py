"""Iran's counties as published (`portal/profiles/counties/SOURCE.md`), and how a county
name typed in an upload meets them.

A name is known when the list holds it in the row's province. A name that differs from one
county of that province only in spelling (Arabic ي/ك, ZWNJ or a space, آ/ا, hamza, a
leading «شهرستان») is that county: `--fix` may write the published spelling. Any other
name is unknown, reported with the nearest names of the province so a clerk sees the
likely one; no list of counties is complete for long, so unknown is a warning.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache

from portal.persian import normalize
from portal.profiles import PROFILES_DIR

COUNTIES_CSV = PROFILES_DIR / "counties" / "counties.csv"
NEAREST = 3  # names offered for an unknown county
_PREFIX = normalize("شهرستان")


@dataclass(frozen=True)
class County:
    code: str
    name_fa: str
    province: str  # ISO 3166-2:IR


@dataclass(frozen=True)
class CountyCheck:
    """What the list says of one typed name: known, a spelling of one county, or neither."""

    known: bool
    fix: str | None = None  # the published spelling of the one county this name spells
    nearest: tuple[str, ...] = ()


@cache
def counties() -> tuple[County, ...]:
    with COUNTIES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(County(**row) for row in csv.DictReader(handle))


@cache
def spelling(name: str) -> str:
    """The form two spellings of one name share: folded as search folds it, no spaces."""
    folded = normalize(name)
    if folded.startswith(_PREFIX + " "):
        folded = folded[len(_PREFIX) :]
    return folded.replace(" ", "")


@cache
def _in(province: str) -> tuple[County, ...]:
    """The province's counties; every county when the list holds none of it."""
    found = tuple(c for c in counties() if c.province == province)
    return found or counties()


@cache
def check(name: str, province: str) -> CountyCheck:
    """`name` (as typed) against the counties of `province` (its ISO code)."""
    candidates = _in(province)
    if any(c.name_fa == name for c in candidates):
        return CountyCheck(known=True)
    key = spelling(name)
    same = {c.name_fa for c in candidates if spelling(c.name_fa) == key}
    if len(same) == 1:
        return CountyCheck(known=False, fix=same.pop())
    by_key = {spelling(c.name_fa): c.name_fa for c in candidates}
    near = get_close_matches(key, list(by_key), n=NEAREST, cutoff=0.5)
    return CountyCheck(known=False, nearest=tuple(sorted(same)) or tuple(by_key[k] for k in near))
