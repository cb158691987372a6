"""Excel-ready workbooks: `…/{resource}.xlsx[?lang=fa|en]` opens ready to read and to cite.

Beside the published values (codes, ISO dates, amounts, exactly as published) the sheet
carries what a reader of Excel needs: headers as labels in the chosen language, the name
of each code (status, province, sector…) in a column beside it, dates as real dates with
the Jalali date as text beside them, amounts with thousands separators, sensible widths, a
frozen header, right-to-left for Persian; and a second sheet saying where it comes from
(agency, dataset, version, sha256, address, licence) with the sample-data notice where it
applies, and which column is which published field.

Written with plain openpyxl in write-only mode (rows streamed; widths from the first rows).
Text cells go through the shared spreadsheet guard (`safe_cell`: never a formula, XML-safe).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jdatetime
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from portal.errors import GlassWallError
from portal.i18n import text
from portal.intake.sheets.columns import columns
from portal.persian import to_persian_digits
from portal.profiles import codelist_names
from portal.publishing.release_time import TEHRAN
from portal.spreadsheet_safe import safe_cell
from portal.tables.reader import cell_readers

XLSX_MAX_ROWS = 1_048_576
WIDTH_SAMPLE_ROWS = 200
# Published fields whose numbers read best with a fixed format (others: by type).
_FORMATS = {"physical_progress_pct": "0.0", "latitude": "0.00000", "longitude": "0.00000"}
_CODELISTS = {"province": "provinces_and_national"}  # observations may say IR (national)


@dataclass(frozen=True)
class Source:
    """Where the rows come from, for the source sheet."""

    agency_fa: str
    agency_en: str
    dataset: str
    title_fa: str
    title_en: str
    version: int
    published: str
    resource: str
    sha256: str
    address: str
    licence: str
    sample: bool
    filters: str


@dataclass(frozen=True)
class _Column:
    """One sheet column: a published field, or a name/Jalali column beside one."""

    header: str
    field: str
    kind: str  # value | name | jalali
    width: float
    number_format: str | None = None


def _profile_labels(resource: str) -> dict[str, Any]:
    try:
        return {c.name: c for c in columns(resource)}
    except (FileNotFoundError, KeyError):
        return {}


def _plan(header: list[str], spec: dict[str, Any], lang: str) -> list[_Column]:
    fields = {
        str(f.get("name")): f
        for f in (spec.get("schema") or {}).get("fields", [])
        if isinstance(f, dict)
    }
    profiled = _profile_labels(str(spec.get("name") or ""))
    plan: list[_Column] = []
    for name in header:
        field = fields.get(name, {})
        column = profiled.get(name)
        label = column.label(lang) if column else str(field.get("title") or name)
        kind = str(field.get("type", "string"))
        listed = (column.codelist if column else None) or field.get("codelist")
        number_format = _FORMATS.get(name)
        if number_format is None and kind == "integer":
            number_format = "#,##0"
        if kind == "date":
            number_format = "yyyy-mm-dd"
        plan.append(_Column(label, name, "value", 12.0, number_format))
        if listed:
            plan.append(_Column(text("excel.name_of", lang, label=label), name, "name", 16.0))
        if kind == "date":
            plan.append(_Column(text("excel.jalali_of", lang, label=label), name, "jalali", 12.0))
    return plan


def _codes(field: str, spec_field: dict[str, Any], profiled: Any) -> dict[str, Any]:
    listed = _CODELISTS.get(field) or (profiled.codelist if profiled else None)
    listed = listed or spec_field.get("codelist")
    return codelist_names(str(listed)) if listed else {}


def _published(iso: str, lang: str) -> str:
    """The publication time as stored (UTC, ISO) and its Jalali date: Tehran's day."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    day = (moment.astimezone(TEHRAN) if moment.tzinfo else moment).date()
    return f"{iso} ({_jalali(day, lang)})"


def _as_date(value: str) -> date | str:
    """An ISO date as a date; anything else stays the text it was published as."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def _shown_length(value: Any) -> int:
    return len(f"{value:,}" if isinstance(value, int) else str(value))


def _jalali(value: Any, lang: str) -> str:
    shown = jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return to_persian_digits(shown) if lang == "fa" else shown


class _Writer:
    def __init__(self, header: list[str], spec: dict[str, Any], lang: str) -> None:
        self.lang = lang
        self.plan = _plan(header, spec, lang)
        self.position = {name: i for i, name in enumerate(header)}
        self.read: list[Callable[[str], Any]] = cell_readers(header, spec)
        fields = {
            str(f.get("name")): f
            for f in (spec.get("schema") or {}).get("fields", [])
            if isinstance(f, dict)
        }
        profiled = _profile_labels(str(spec.get("name") or ""))
        self.codes = {
            c.field: _codes(c.field, fields.get(c.field, {}), profiled.get(c.field))
            for c in self.plan
            if c.kind == "name"
        }

    def values(self, row: list[str]) -> list[Any]:
        typed: dict[str, Any] = {}
        out: list[Any] = []
        for column in self.plan:
            if column.field not in typed:
                i = self.position[column.field]
                cell = row[i] if i < len(row) else ""
                value = self.read[i](cell)
                if column.number_format == "yyyy-mm-dd" and isinstance(value, str):
                    value = _as_date(value)
                typed[column.field] = value
            value = typed[column.field]
            if column.kind == "name":
                entry = self.codes[column.field].get(str(value)) if value is not None else None
                value = (entry.name_fa if self.lang == "fa" else entry.name_en) if entry else None
            elif column.kind == "jalali":
                value = _jalali(value, self.lang) if isinstance(value, date) else None
            out.append(value)
        return out

    def widths(self, sample: list[list[Any]]) -> list[float]:
        widths = []
        for i, column in enumerate(self.plan):
            longest = max(
                [len(column.header)]
                + [
                    len(f"{v:,}" if isinstance(v, int) else str(v))
                    for r in sample
                    for v in r[i : i + 1]
                    if v is not None
                ]
            )
            widths.append(float(min(60, max(8, longest + 2))))
        return widths

    def cells(self, sheet: WriteOnlyWorksheet, values: list[Any]) -> list[Any]:
        out = []
        for column, value in zip(self.plan, values, strict=True):
            cell = safe_cell(sheet, value)
            if column.number_format and not isinstance(value, str):
                cell.number_format = column.number_format
            out.append(cell)
        return out


def _header(sheet: WriteOnlyWorksheet, names: list[str], lang: str) -> list[Any]:
    bold = Font(bold=True)
    align = Alignment(wrap_text=True, horizontal="right" if lang == "fa" else "left")
    cells = []
    for name in names:
        cell = safe_cell(sheet, name)
        cell.font, cell.alignment = bold, align
        cells.append(cell)
    return cells


def _source_sheet(book: Workbook, source: Source, plan: list[_Column], lang: str) -> None:
    sheet = book.create_sheet(text("excel.source_sheet", lang)[:31])
    sheet.sheet_view.rightToLeft = lang == "fa"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90

    def pick(fa: str, en: str) -> str:
        return (fa or en) if lang == "fa" else (en or fa)

    rows = [
        ("excel.agency", pick(source.agency_fa, source.agency_en)),
        ("excel.dataset", f"{pick(source.title_fa, source.title_en)} ({source.dataset})"),
        ("excel.version", source.version),
        ("excel.published", _published(source.published, lang)),
        ("excel.resource", source.resource),
        ("excel.sha256", source.sha256),
        ("excel.address", source.address),
        ("excel.licence", source.licence),
    ]
    if source.filters:
        rows.append(("excel.filters", source.filters))
    if source.sample:
        rows.append(("excel.sample", text("excel.sample_notice", lang)))
    bold = Font(bold=True)
    for key, value in rows:
        label = WriteOnlyCell(sheet, value=text(key, lang))
        label.font = bold
        sheet.append([label, safe_cell(sheet, value)])
    sheet.append([])
    sheet.append(_header(sheet, [text("excel.column", lang), text("excel.field", lang)], lang))
    for column in plan:
        sheet.append([safe_cell(sheet, column.header), safe_cell(sheet, column.field)])


def write_excel(
    rows: Iterator[list[str]],
    spec: dict[str, Any],
    target: Path,
    where: str,
    lang: str,
    source: Source,
) -> None:
    """The rows (header first, text cells as published) as an Excel-ready workbook."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(text("excel.data_sheet", lang)[:31])
    header = next(rows, None) or []
    writer = _Writer(header, spec, lang)
    sample = [writer.values(row) for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    letters = _letters(len(writer.plan))
    for letter, width in zip(letters, writer.widths(sample), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.sheet_view.rightToLeft = lang == "fa"
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, [c.header for c in writer.plan], lang))
    count = 1
    for values in itertools.chain(sample, (writer.values(row) for row in rows)):
        count += 1
        if count > XLSX_MAX_ROWS:
            raise GlassWallError("download.xlsx_too_many_rows", file=where, limit=XLSX_MAX_ROWS)
        sheet.append(writer.cells(sheet, values))
    _source_sheet(book, source, writer.plan, lang)
    book.save(target)


def _letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i + 1) for i in range(count)]
