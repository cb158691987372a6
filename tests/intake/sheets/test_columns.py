"""Columns by name, not position: machine names, labels, aliases, any spelling and order."""

from __future__ import annotations

from portal.intake.sheets.columns import codelist_index, match_header
from portal.persian import fold_label


def test_headers_match_by_name_label_and_spelling() -> None:
    match = match_header(
        [
            "وضعيت",  # Arabic yeh
            "Project ID",
            "اعتبار(ريال)",  # no space, Arabic yeh
            "هزینه کرد (ریال)",  # a space for the ZWNJ
            "title_fa",
            "  استان  ",
            None,
            "یادداشت",
            "Status",
        ],
        "projects",
    )
    assert match.fields == {
        0: "status",
        1: "id",
        2: "budget_irr",
        3: "spent_irr",
        4: "title_fa",
        5: "province",
    }
    assert match.unexpected == [(7, "یادداشت")]
    assert match.duplicates == [("status", [0, 8])]
    assert "start_date" in {c.name for c in match.missing}


def test_codelist_names_in_both_languages() -> None:
    provinces = codelist_index("provinces")
    assert provinces[fold_label("استان يزد")] == "IR-21"
    assert provinces[fold_label("Yazd Province")] == "IR-21"
    assert provinces[fold_label("ir-21")] == "IR-21"
    statuses = codelist_index("project_statuses")
    assert statuses[fold_label("در حال اجرا")] == "implementation"
    assert statuses[fold_label("تکمیل شده")] == "completion"  # a space for the ZWNJ
    assert codelist_index("sectors")[fold_label("Road transport")] == "transport.road"
