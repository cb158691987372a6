"""The clerk's report written into a copy of the clerk's own workbook.

Every offending cell is filled (red for errors, yellow for warnings, blue for values the
portal corrects) and carries a comment saying what is wrong and the fix; a first sheet
holds the verdict and the groups. A CSV comes back as a workbook of its cells.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from portal.i18n import text
from portal.intake.sheets.build import Built
from portal.intake.sheets.clerk import ClerkReport
from portal.spreadsheet_safe import append_row

FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "fix": PatternFill("solid", fgColor="BDD7EE"),
}
ADDRESS = re.compile(r"^(?:(?P<sheet>.+)!)?(?P<cell>[A-Z]{1,3}[0-9]+)$")
AUTHOR = "Glass Wall"


def _book(source: Path, built: Built) -> tuple[Workbook, str]:
    if built.source.kind == "xlsx":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Formulas come back as the values the portal read (Excel's last result): the
            # copy the portal hands out runs none, the clerk's own or anyone else's.
            book = load_workbook(source, data_only=True)
        return book, book.worksheets[0].title
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    grid = built.source.sheets[0]
    sheet.title = grid.name[:31] or "data"
    for row in grid.rows:
        append_row(sheet, row)
    return book, sheet.title


def marked_workbook(source: Path, built: Built, clerk: ClerkReport, lang: str = "fa") -> bytes:
    book, default = _book(source, built)
    summary = book.create_sheet(text("clerk.sheet_title", lang)[:31], 0)
    summary.sheet_view.rightToLeft = lang == "fa"
    append_row(summary, [clerk.verdict[lang]])
    summary["A1"].font = Font(bold=True, size=13)
    for note in clerk.notes:
        append_row(summary, [note[lang]])
    for group in clerk.groups:
        append_row(summary, [group.headline[lang], group.advice[lang]])
        summary.cell(summary.max_row, 1).fill = FILLS[group.kind]
        for item in group.items:
            append_row(summary, ["", item.address, item.message[lang]])
            spot = ADDRESS.match(item.address)
            if spot is None:
                continue
            sheet_name = spot["sheet"] or default
            if sheet_name not in book.sheetnames:
                continue
            cell = book[sheet_name][spot["cell"]]
            cell.fill = FILLS[group.kind]
            remark = f"{item.message[lang]}\n{group.advice[lang]}"
            previous = f"{cell.comment.text}\n" if cell.comment else ""
            cell.comment = Comment(previous + remark, AUTHOR, width=320, height=140)
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 40
    summary.column_dimensions["C"].width = 90
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
