from __future__ import annotations

import io

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from portal.web.page_export import csv_for_excel, file_name, xlsx


def test_csv_has_a_bom_and_no_formula_survives() -> None:
    frame = pd.DataFrame(
        {"id": ["a", "b"], "title_fa": ['=HYPERLINK("x")', "راه‌آهن"], "budget_irr": [1e9, np.nan]}
    )
    body = csv_for_excel(frame)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "راه‌آهن" in text
    assert "1000000000" in text and "nan" not in text


def test_xlsx_keeps_numbers_as_numbers() -> None:
    frame = pd.DataFrame({"id": ["a"], "budget_irr": [1200.0], "title_fa": ["@cmd"]})
    sheet = load_workbook(io.BytesIO(xlsx(frame, "projects"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == 1200 and rows[1][2] == "@cmd"
    assert sheet["C2"].data_type == "s" and sheet["C2"].quotePrefix  # text, never a formula


def test_a_filtered_file_says_so() -> None:
    assert file_name("projects", True, "csv") == "projects-filtered.csv"
    assert file_name("projects", False, "xlsx") == "projects-all.xlsx"
