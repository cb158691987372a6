"""Finding the data table in any sheet order: the header row is the one that names the
most profile columns; title rows above it, a machine-name row under it, are skipped."""

from __future__ import annotations

from dataclasses import dataclass

from portal.errors import IntakeRefused
from portal.intake.sheets.columns import PROFILE_RESOURCES, HeaderMatch, match_header
from portal.intake.sheets.grid import Sheet, Source
from portal.persian import fold_label

HEADER_SEARCH_ROWS = 30
MIN_MATCHED = 2


@dataclass
class Located:
    resource: str
    sheet: Sheet
    header_row: int
    match: HeaderMatch
    data_rows: list[int]


def _best(source: Source, resource: str) -> tuple[int, Sheet, int, HeaderMatch] | None:
    best: tuple[int, Sheet, int, HeaderMatch] | None = None
    ordered = sorted(source.sheets, key=lambda s: s.hidden)  # visible sheets first
    for sheet in ordered:
        for row in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
            match = match_header(sheet.rows[row], resource)
            score = len(match.fields)
            if score >= MIN_MATCHED and (best is None or score > best[0]):
                best = (score, sheet, row, match)
    return best


def _is_name_row(cells: list[object], match: HeaderMatch) -> bool:
    names = [
        fold_label(str(cells[i])) == fold_label(name)
        for i, name in match.fields.items()
        if i < len(cells) and cells[i] not in (None, "")
    ]
    return len(names) >= MIN_MATCHED and all(names)


def _data_rows(sheet: Sheet, header: int, match: HeaderMatch) -> list[int]:
    rows: list[int] = []
    for row in range(header + 1, len(sheet.rows)):
        cells = sheet.rows[row]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        if not rows and _is_name_row(cells, match):
            continue
        rows.append(row)
    return rows


def _widest(sheet: Sheet) -> list[str]:
    for cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        filled = [str(c).strip() for c in cells if c is not None and str(c).strip()]
        if filled:
            return filled
    return []


def locate(source: Source) -> tuple[str, list[Located]]:
    """The profile the upload follows and where each of its tables is."""
    candidates = []
    for profile, resources in PROFILE_RESOURCES.items():
        found = {name: _best(source, name) for name in resources}
        if all(found.values()):
            total = sum(hit[0] for hit in found.values() if hit)
            candidates.append((total, profile, found))
    if not candidates:
        lone = [s for s in source.sheets if not s.hidden and len(_widest(s)) == 1]
        if lone and all(len(_widest(s)) <= 1 for s in source.sheets if not s.hidden):
            raise IntakeRefused(
                "sheets.one_column", file=source.file, sheet=lone[0].name, label=_widest(lone[0])[0]
            )
        names = "، ".join(s.name for s in source.sheets) or "-"
        raise IntakeRefused("sheets.no_data_sheet", file=source.file, sheets=names)
    _, profile, chosen = max(candidates, key=lambda c: c[0])
    located = []
    for resource, hit in chosen.items():
        assert hit is not None
        _, sheet, header, match = hit
        rows = _data_rows(sheet, header, match)
        if not rows:
            raise IntakeRefused("sheets.header_only", file=source.file, sheet=sheet.name)
        located.append(Located(resource, sheet, header, match, rows))
    return profile, located
