"""Cell by cell, the clerk's value and the canonical one, with the rules that led there.

Nothing is changed silently: every difference between what the clerk typed and what is
written becomes a `Correction` (cell, old, new, rules) that is listed, stored with the
version and shown on the dataset page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from openpyxl.utils.datetime import from_excel

from portal.intake.sheets.columns import Column, codelist_index
from portal.persian import fold_label, jalali_to_iso, normalize_letters, to_latin_digits

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
GROUPED = re.compile(r"^-?\d{1,3}(?:[,٬،'’ \u00a0\u202f]\d{3})+(?:\.\d+)?$")
SEPARATORS = re.compile(r"[,٬،'’ \u00a0\u202f]")
PERIOD = re.compile(r"^(1[2-4]\d\d)(?:\s*[-/.]\s*(\d{1,2}))?$")
# A name picked from the template's own dropdown is its code, written so without asking.
ALWAYS = ("codelist-label",)
EXCEL_SERIALS = (1, 2958466)  # 1900-01-01 .. 9999-12-31
JALALI_YEARS = (1300, 1500)


@dataclass(frozen=True)
class Correction:
    resource: str
    row: int  # the row of the package's CSV (its header is row 1)
    field: str
    address: str
    old: str
    new: str
    rules: tuple[str, ...]
    applied: bool = False  # written into the package (with --fix, or always for a list name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "row": self.row,
            "field": self.field,
            "cell": self.address,
            "old": self.old,
            "new": self.new,
            "rule": "+".join(self.rules),
        }


def as_text(value: Any) -> str:
    """A cell as the text a CSV would hold, before any correction."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".15g")
        )
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _number(text: str, col: Column) -> tuple[str, list[str]]:
    rules = []
    latin = to_latin_digits(text)
    if latin != text:
        rules.append("persian-digits")
    if "٫" in latin:
        latin = latin.replace("٫", ".")
        rules.append("decimal-separator")
    if latin.endswith(("%", "٪")) and col.name.endswith("_pct"):
        latin = latin[:-1].strip()
        rules.append("percent-sign")
    if GROUPED.match(latin):
        latin = SEPARATORS.sub("", latin)
        rules.append("thousands-separator")
    try:
        float(latin) if col.type == "number" else int(latin)
    except ValueError:
        return text, []  # not a number even after the corrections: validation says so
    return latin, rules


def _date(text: str) -> tuple[str, list[str]]:
    latin = to_latin_digits(text)
    digits = ["persian-digits"] if latin != text else []
    match = ISO_DATE.match(latin)
    if match and not JALALI_YEARS[0] <= int(match.group(1)) < JALALI_YEARS[1]:
        return latin, digits
    converted = jalali_to_iso(text)
    if converted:
        return converted, [*digits, "jalali-date"]
    return text, []


def _code(text: str, col: Column) -> tuple[str, list[str]]:
    assert col.codelist is not None
    code = codelist_index(col.codelist).get(fold_label(text))
    if code is not None:
        return code, ([] if code == text else ["codelist-label"])
    letters = normalize_letters(text)
    return letters, (["arabic-letters"] if letters != text else [])


def _period(text: str) -> tuple[str, list[str]]:
    latin = to_latin_digits(text)
    rules = ["persian-digits"] if latin != text else []
    match = PERIOD.match(latin)
    if not match:
        return text, []
    year, month = match.groups()
    canonical = year if month is None else f"{year}-{int(month):02d}"
    if canonical != latin:
        rules.append("period-format")
    return canonical, rules


def normalise(value: Any, col: Column) -> tuple[str, str, tuple[str, ...]]:
    """(what the clerk's cell reads as, the canonical value, the rules applied)."""
    raw = as_text(value)
    if col.type == "date" and isinstance(value, int | float) and not isinstance(value, bool):
        if EXCEL_SERIALS[0] <= value < EXCEL_SERIALS[1]:
            return raw, from_excel(value).date().isoformat(), ("excel-serial",)
        return raw, raw, ()
    if col.type == "date" and isinstance(value, datetime | date):
        return raw, as_text(value)[:10], ()
    text = raw.strip()
    rules = ["spaces"] if text != raw else []
    if not text:
        return raw, "", tuple(rules)
    if col.type in ("integer", "number"):
        fixed, more = _number(text, col)
    elif col.type == "date":
        fixed, more = _date(text)
    elif col.codelist:
        fixed, more = _code(text, col)
    elif col.name == "period":
        fixed, more = _period(text)
    else:
        fixed = normalize_letters(text)
        more = ["arabic-letters"] if fixed != text else []
    return raw, fixed, tuple(rules + more)
