"""Templates: the workbook a clerk starts from, and its round trip to a published package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from portal.cli import app
from portal.errors import IntakeRefused
from portal.intake.sheets.columns import columns
from portal.intake.sheets.template import template_csv, template_workbook, write_template
from portal.store import Store, catalog
from tests.intake.sheets.books import filled_template

runner = CliRunner()


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_projects_template(tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"projects-{lang}.xlsx"
    result = runner.invoke(app, ["template", "projects", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    data, guide, meta, lists = (book.worksheets[i] for i in range(4))
    assert lists.sheet_state == "hidden"
    first = [c.value for c in data[1]]
    assert first[0] == ("شناسه طرح" if lang == "fa" else "Project ID")
    assert [c.value for c in data[2]] == [c.name for c in columns("projects")]
    assert data.sheet_view.rightToLeft is (lang == "fa")
    assert "projects.status" in book.defined_names
    dropdowns = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert any(ref.startswith("F3") for ref in dropdowns)  # status
    choices = [c.value for c in lists["C"]][1:]
    assert ("در حال اجرا" if lang == "fa" else "Implementation") in choices
    assert data["I3"].number_format == "#,##0" and data["L3"].number_format == "yyyy-mm-dd"
    explained = {row[1].value: row for row in guide.iter_rows(min_row=3)}
    assert set(explained) == {c.name for c in columns("projects")}
    assert all(row[2].value and row[3].value is not None for row in explained.values())
    assert [row[2].value for row in meta.iter_rows(min_row=2)][:3] == [
        "name",
        "title_fa",
        "title_en",
    ]


def test_indicators_template_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "indicators.xlsx"
    assert runner.invoke(app, ["template", "indicators", "--out", str(out)]).exit_code == 0
    assert load_workbook(out).sheetnames[:2] == ["شاخص‌ها", "مشاهدات"]
    csv_out = tmp_path / "projects.csv"
    result = runner.invoke(app, ["template", "projects", "--lang", "en", "--out", str(csv_out)])
    assert result.exit_code == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbfProject ID,Title (Persian)")
    bad = runner.invoke(app, ["template", "budgets", "--out", str(tmp_path / "x.xlsx")])
    assert bad.exit_code == 2 and "budgets" in bad.output


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_filled_template_publishes_with_no_finding(
    tmp_path: Path, store: Store, profiled: str, lang: str
) -> None:
    template = tmp_path / "template.xlsx"
    runner.invoke(app, ["template", "projects", "--lang", lang, "--out", str(template)])
    book = filled_template(template, tmp_path / "filled.xlsx")
    result = runner.invoke(
        app, ["--lang", "en", "validate", str(book), "--agency", "mrud-yazd", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["findings"] == [], report["findings"]
    result = runner.invoke(app, ["publish", str(book), "--token", profiled])
    assert result.exit_code == 0, result.output
    version = catalog.version(store.conn, "mrud-yazd", "template-round-trip", None)
    assert version is not None and version.title == "Sample projects from the template"


@pytest.mark.parametrize(("profile", "lang"), [("budgets", "fa"), ("projects", "de")])
def test_an_unknown_template_is_refused_in_the_templates_own_words(profile: str, lang: str) -> None:
    """The dashboard's Publish page asks `template_workbook` too: its refusal was the CLI's
    message (`cli.template_unknown`). It names the profile and the language it was asked."""
    for make in (template_workbook, template_csv):
        with pytest.raises(IntakeRefused) as refused:
            make(profile, lang)
        assert refused.value.key == "template.unknown"
        for said in refused.value.message.values():
            assert f"«{profile}»" in said or f'"{profile}"' in said
            assert "projects" in said and "indicators" in said and lang in said


def test_a_template_file_of_another_kind_is_refused_by_its_name(tmp_path: Path) -> None:
    with pytest.raises(IntakeRefused) as refused:
        write_template("projects", "fa", tmp_path / "projects.ods")
    assert refused.value.key == "template.file_kind"
    for said in refused.value.message.values():
        assert "projects.ods" in said and ".xlsx" in said
    bad = runner.invoke(app, ["template", "projects", "--out", str(tmp_path / "projects.ods")])
    assert bad.exit_code == 2 and "projects.ods" in bad.output and ".csv" in bad.output
    assert not (tmp_path / "projects.ods").exists()
