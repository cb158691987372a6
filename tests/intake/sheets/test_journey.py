"""A clerk's Persian workbook published from the command line, every correction disclosed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from portal.cli import app
from portal.store import Store, catalog
from portal.store.attachments import attachment
from tests.intake.sheets.books import LONG_EN, LONG_FA, clerk_workbook, valid_rows

runner = CliRunner()
ABOUT = [
    "--dataset",
    "yazd-projects",
    "--title-fa",
    "طرح‌های عمرانی یزد (نمونه)",
    "--title-en",
    "Yazd development projects (sample)",
    "--description-fa",
    LONG_FA,
    "--description-en",
    LONG_EN,
]


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--lang", "en", *args])
    return result.exit_code, result.output


def test_clerk_workbook_publishes_with_fix(tmp_path: Path, store: Store, profiled: str) -> None:
    book = clerk_workbook(tmp_path / "book.xlsx")
    code, out = run("publish", str(book), "--token", profiled, *ABOUT)
    assert code == 1, out
    assert out.index("Not published") < out.index("start_date: 3 × Jalali dates, rows 3-5")
    assert "طرح‌ها!K3" in out and "apply the suggested corrections" in out
    assert catalog.datasets(store.conn) == []

    code, out = run("publish", str(book), "--token", profiled, *ABOUT, "--fix")
    assert code == 0, out
    assert "Published mrud-yazd/yazd-projects version 1" in out
    assert "32 values normalised on the way in" in out
    version = catalog.version(store.conn, "mrud-yazd", "yazd-projects", None)
    assert version is not None
    data = store.objects.read_bytes(version.resources[0].sha256).decode("utf-8")
    published = {row["id"]: row for row in csv.DictReader(io.StringIO(data))}
    for expected in valid_rows():
        row = published[expected["id"]]
        assert {key: row[key] for key in expected} == expected
    document = attachment(store, version, "normalisation")
    assert document is not None
    assert document["source"] == "book.xlsx" and document["sheets"] == {"projects": "طرح‌ها"}
    changes = document["corrections"]
    assert len(changes) == 32
    assert {
        "resource": "projects",
        "row": 2,
        "field": "start_date",
        "cell": "طرح‌ها!K3",
        "old": "۱۴۰۲/۰۵/۱۷",
        "new": "2023-08-08",
        "rule": "persian-digits+jalali-date",
    } in changes
    # every listed correction is what the published file holds
    rows = list(csv.DictReader(io.StringIO(data)))
    for change in changes:
        assert rows[change["row"] - 2][change["field"]] == change["new"]
    assert set(document["filled_from_profile"]) >= {"publisher", "contact", "licenses"}


def test_validate_writes_the_package_and_a_marked_workbook(
    tmp_path: Path, store: Store, profiled: str
) -> None:
    book = clerk_workbook(tmp_path / "book.xlsx")
    marked, fixed = tmp_path / "marked.xlsx", tmp_path / "fixed"
    code, out = run("validate", str(book), "--agency", "mrud-yazd", *ABOUT, "--marked", str(marked))
    assert code == 1, out
    sheet = load_workbook(marked)["طرح‌ها"]
    assert sheet["K3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["K3"].comment is not None and "2023-08-08" in sheet["K3"].comment.text
    assert sheet["I4"].comment is not None  # the formula cell is flagged
    assert load_workbook(marked).sheetnames[0] == "Report"  # --lang en

    code, out = run("validate", str(book), "--agency", "mrud-yazd", *ABOUT, "--fix", str(fixed))
    assert code == 0, out
    assert "32 corrections written" in out
    assert (fixed / "datapackage.json").is_file()
    text = (fixed / "data" / "projects.csv").read_text(encoding="utf-8")
    assert "2023-08-08" in text and "۱۴۰۲" not in text and "ي" not in text


def test_a_bare_csv_is_a_way_in_too(tmp_path: Path, store: Store, profiled: str) -> None:
    source = tmp_path / "projects.csv"
    source.write_text(
        "شناسه طرح;وضعیت;استان;عنوان طرح (فارسی);تاریخ شروع\n"
        "csv-1;در حال اجرا;یزد;طرح نمونه;۱۴۰۲-۰۵-۱۷\n",
        encoding="utf-8",
    )
    code, out = run("validate", str(source), "--json", *ABOUT)
    assert code == 1
    assert '"cell": "E2"' in out  # CSV cells are addressed as the spreadsheet shows them
    code, out = run("publish", str(source), "--token", profiled, *ABOUT, "--fix")
    assert code == 0, out
    assert 'Column "County / شهرستان"' not in out


def test_the_same_workbook_again_does_not_say_published(
    tmp_path: Path, store: Store, profiled: str
) -> None:
    """Publishing the same workbook twice said "identical to version 1; nothing new was
    published" and then "Published: version 1." under it."""
    book = clerk_workbook(tmp_path / "book.xlsx")
    code, _ = run("publish", str(book), "--token", profiled, *ABOUT, "--fix")
    assert code == 0
    code, out = run("publish", str(book), "--token", profiled, *ABOUT, "--fix")
    assert code == 0, out
    assert "identical to version 1; nothing new was published" in out
    assert "Published" not in out, out
    assert catalog.version(store.conn, "mrud-yazd", "yazd-projects", 2) is None
