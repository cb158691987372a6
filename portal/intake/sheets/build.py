"""A data package from a workbook or CSV: descriptor with the profile schema, UTF-8 CSV,
metadata from the metadata sheet and the options, every correction listed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.config import Settings
from portal.errors import IntakeRefused, UploadTooLarge
from portal.i18n import text
from portal.intake.sheets.columns import column, columns
from portal.intake.sheets.extent import WorkbookLimits
from portal.intake.sheets.grid import Sheet, Source
from portal.intake.sheets.locate import Located, locate
from portal.intake.sheets.normalise import ALWAYS, Correction, normalise
from portal.intake.sheets.options import (  # noqa: F401 (imported from here too)
    SHEET_SUFFIXES,
    TEXT_SUFFIXES,
    WORKBOOK_SUFFIXES,
    SheetOptions,
    is_sheet_source,
)
from portal.intake.sheets.spans import data_span, iso_date, read_metadata, slug
from portal.intake.sheets.textfile import read_text_table
from portal.intake.sheets.workbook import read_workbook
from portal.profiles import profile_schema
from portal.spreadsheet_safe import csv_writer
from portal.validation.report import Finding

OLD_ONLY_PROVINCES = {"IR-31", "IR-32"}


@dataclass
class Built:
    folder: Path
    source: Source
    profile: str
    located: list[Located]
    corrections: list[Correction]
    applied: bool
    findings: list[Finding]
    addresses: dict[tuple[str, int, str], str] = field(default_factory=dict)
    suppressed: set[tuple[str, str]] = field(default_factory=set)
    from_data: list[str] = field(default_factory=list)

    def document(self, filled: list[str]) -> dict[str, Any]:
        """What the version keeps of its way in (the `normalisation` attachment)."""
        return {
            "source": self.source.file,
            "kind": self.source.kind,
            "sheets": {loc.resource: loc.sheet.name for loc in self.located},
            "corrections": [c.to_dict() for c in self.corrections if c.applied],
            "suggested_not_applied": sum(1 for c in self.corrections if not c.applied),
            "filled_from_profile": filled,
            "filled_from_data": self.from_data,
        }


def read_source(path: Path, settings: Settings) -> Source:
    if not path.is_file():
        raise IntakeRefused("intake.source_missing", file=path.name)
    size = path.stat().st_size
    if size > settings.max_upload_bytes:
        raise UploadTooLarge("intake.too_large", file=path.name, limit=settings.max_upload_bytes)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        if size == 0:
            raise IntakeRefused("sheets.empty_file", file=path.name)
        raise IntakeRefused("sheets.old_xls", file=path.name)
    if suffix in WORKBOOK_SUFFIXES:
        limits = WorkbookLimits(settings.max_compression_ratio, settings.max_columns)
        return read_workbook(path, limits)
    return read_text_table(path)


def _fill_merged(loc: Located) -> dict[tuple[int, int], int]:
    """Cells of merged ranges in the data, filled with the range's value: cell -> source row.

    A range is clamped to the table's rows and matched columns first: a merge stretched
    over the sheet adds nothing beyond the cells that are read anyway.
    """
    filled = {}
    last_row = loc.data_rows[-1] if loc.data_rows else loc.header_row
    matched = sorted(loc.match.fields)
    for top, left, bottom, right in loc.sheet.merged:
        if top <= loc.header_row or top > last_row:
            continue
        for row in range(top, min(bottom, last_row) + 1):
            for col in matched:
                if left <= col <= right and (row, col) != (top, left):
                    filled[(row, col)] = top
    return filled


@dataclass
class _Table:
    resource: str
    header: list[str]
    rows: list[list[str]]


def _table(loc: Located, fix: bool, built: Built) -> _Table:
    sheet = loc.sheet
    by_field = {name: position for position, name in loc.match.fields.items()}
    merged = _fill_merged(loc)
    out_rows = []
    for number, row in enumerate(loc.data_rows, start=2):
        cells = []
        for col in columns(loc.resource):
            position = by_field.get(col.name)
            if position is None:
                cells.append("")
                continue
            source_row = merged.get((row, position), row)
            value = sheet.cell(source_row, position)
            raw, fixed, rules = normalise(value, col)
            address = sheet.address(row, position)
            built.addresses[(loc.resource, number, col.name)] = address
            if source_row != row:
                raw, rules = "", ("merged-cell", *rules)
            if (row, position) in sheet.formulas:
                built.findings.append(
                    Finding.make(
                        "sheet-formula",
                        "warning",
                        resource=loc.resource,
                        row=number,
                        field=col.name,
                        cell=raw,
                        address=address,
                    )
                )
            write = fix or rules == ALWAYS
            if rules and fixed != raw:
                built.corrections.append(
                    Correction(loc.resource, number, col.name, address, raw, fixed, rules, write)
                )
            cells.append(fixed if write else raw)
        out_rows.append(cells)
    return _Table(loc.resource, [c.name for c in columns(loc.resource)], out_rows)


def _column_findings(loc: Located, built: Built) -> None:
    sheet, match = loc.sheet, loc.match
    for col in match.missing:
        built.suppressed.add((loc.resource, col.name))
        built.findings.append(
            Finding.make(
                "sheet-missing-column",
                "error" if col.required else "warning",
                resource=loc.resource,
                field=col.name,
                sheet=sheet.name,
                label=col.label("fa") + " / " + col.label("en"),
            )
        )
    for position, label in match.unexpected:
        built.findings.append(
            Finding.make(
                "sheet-unexpected-column",
                "warning",
                resource=loc.resource,
                cell=label,
                sheet=sheet.name,
                column=sheet.address(loc.header_row, position),
                profile=built.profile,
            )
        )
    for name, spots in match.duplicates:
        built.findings.append(
            Finding.make(
                "sheet-duplicate-column",
                "warning",
                resource=loc.resource,
                field=name,
                sheet=sheet.name,
                columns=", ".join(sheet.column_letter(s) for s in spots),
                label=column(loc.resource, name).label("fa"),
            )
        )
    if sheet.hidden:
        built.findings.append(
            Finding.make("sheet-hidden", "warning", resource=loc.resource, sheet=sheet.name)
        )


def _old_provinces(table: _Table, built: Built, sheet: Sheet) -> None:
    if "province" not in table.header:
        return
    at = table.header.index("province")
    fixed = {c.row: c.new for c in built.corrections if c.field == "province"}
    old = sorted(
        {
            fixed.get(number, cells[at])
            for number, cells in enumerate(table.rows, start=2)
            if fixed.get(number, cells[at]) in OLD_ONLY_PROVINCES
        }
    )
    if old:
        built.findings.append(
            Finding.make(
                "sheet-old-province-codes",
                "error",
                resource=table.resource,
                field="province",
                cell=", ".join(old),
                sheet=sheet.name,
            )
        )


def _descriptor(
    built: Built, tables: list[_Table], options: SheetOptions, meta: dict[str, Any]
) -> dict[str, Any]:
    def pick(option: str | None, key: str) -> str | None:
        value = option if option not in (None, "") else meta.get(key)
        return None if value in (None, "") else str(value).strip()

    name = pick(options.dataset, "name") or slug(Path(built.source.file).stem)
    if not name:
        raise IntakeRefused("sheets.options_needed", file=built.source.file)
    descriptor: dict[str, Any] = {"name": name}
    for key, option, meta_key in (
        ("title_fa", options.title_fa, "title_fa"),
        ("title", options.title_en, "title_en"),
        ("description_fa", options.description_fa, "description_fa"),
        ("description", options.description_en, "description_en"),
    ):
        value = pick(option, meta_key)
        if value:
            descriptor[key] = value
    start, end = iso_date(meta.get("temporal_start")), iso_date(meta.get("temporal_end"))
    if not (start and end):
        span = data_span(tables)
        if span:
            start, end = span
            built.from_data.append("temporal")
    if start and end:
        descriptor["temporal"] = {"start": start, "end": end}
    provinces = sorted(
        {
            row[t.header.index("province")]
            for t in tables
            if "province" in t.header
            for row in t.rows
            if row[t.header.index("province")].startswith("IR-")
        }
    )
    if provinces:
        descriptor["spatial"] = {"provinces": provinces}
        built.from_data.append("spatial")
    descriptor["resources"] = [
        {
            "name": t.resource,
            "path": f"data/{t.resource}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": text(f"sheet.data.{t.resource}", "en"),
            "title_fa": text(f"sheet.data.{t.resource}", "fa"),
            "schema": profile_schema(t.resource),
        }
        for t in tables
    ]
    return descriptor


def build_package(
    source_path: Path, out: Path, options: SheetOptions, *, fix: bool, settings: Settings
) -> Built:
    """Write a data package for the workbook or CSV at `source_path` into `out`."""
    source = read_source(source_path, settings)
    profile, located = locate(source)
    built = Built(out, source, profile, located, [], fix, [])
    if source.encoding != "utf-8":
        built.findings.append(
            Finding.make(
                "encoding-not-utf8",
                "warning",
                resource=located[0].resource,
                cell=source.file,
                suggestion=source.encoding,
            )
        )
    tables = []
    for loc in located:
        _column_findings(loc, built)
        table = _table(loc, fix, built)
        _old_provinces(table, built, loc.sheet)
        tables.append(table)
    meta = read_metadata(source, {loc.sheet.name for loc in located})
    descriptor = _descriptor(built, tables, options, meta)
    (out / "data").mkdir(parents=True)
    for table in tables:
        with (out / "data" / f"{table.resource}.csv").open("w", encoding="utf-8", newline="") as h:
            writer = csv_writer(h, lineterminator="\n")
            writer.writerow(table.header)
            writer.writerows(table.rows)
    (out / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return built
