"""A page's rows as files: formula-safe, and every row saying where it comes from."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.agencies import create_token
from portal.web.page_export import csv_for_excel, file_name, with_origin, xlsx
from tests.packages import copy_sample, set_cell
from tests.web.test_pages import run


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


def test_each_row_names_its_agency_dataset_version_and_row() -> None:
    frame = pd.DataFrame(
        {"id": ["a"], "agency": ["mrud-yazd"], "dataset": ["p"], "version": [3], "_row": [7]}
    )
    named = with_origin(frame)
    assert list(named.columns) == [
        "id",
        "source_agency",
        "source_dataset",
        "source_version",
        "source_row",
    ]
    sheet = load_workbook(io.BytesIO(xlsx(named, "projects"))).active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True))[1] == ("a", "mrud-yazd", "p", 3, 7)


def _page_files(monkeypatch: pytest.MonkeyPatch, lang: str) -> dict[str, Callable[[], Any]]:
    """The projects page, run by AppTest; the files its download buttons would make, by
    name (Streamlit makes them only on a click: the callables are kept as they register)."""
    made: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add_deferred

    def keep(
        manager: MediaFileManager,
        data_callable: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **more: Any,
    ) -> str:
        made[str(file_name)] = data_callable
        return original(manager, data_callable, mimetype, coordinates, file_name, **more)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    run("projects", lang)
    return made


def test_the_projects_page_downloads_carry_the_version_of_each_row(
    tmp_path: Path, published: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of every agency publishing projects, one in its second version: every row of
    the page's CSV and XLSX names where it comes from, and that row of that file is it."""
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "beneficiaries", "999000")
    publish(store, folder, published, token=create_token(store.conn, "mrud-yazd"))
    files = _page_files(monkeypatch, "en")
    rows = list(csv.DictReader(io.StringIO(files["projects-all.csv"]().decode("utf-8-sig"))))
    versions = {(r["source_agency"], r["source_dataset"], r["source_version"]) for r in rows}
    summaries = catalog.datasets(store.conn)
    latest = [catalog.version(store.conn, d.agency, d.dataset) for d in summaries]
    assert versions == {
        (v.agency, v.dataset, str(v.number)) for v in latest if v and v.resource("projects")
    }
    assert len(versions) > 1 and ("mrud-yazd", "infrastructure-projects", "2") in versions
    published_rows: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for agency, dataset, number in versions:
        version = catalog.version(store.conn, agency, dataset, int(number))
        assert version is not None
        entry = version.resource("projects")
        assert entry is not None
        text = store.objects.path(entry.sha256).read_text(encoding="utf-8-sig")
        published_rows[(agency, dataset, number)] = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        key = (row["source_agency"], row["source_dataset"], row["source_version"])
        source = published_rows[key][int(row["source_row"]) - 1]
        assert source["id"] == row["id"] and source["budget_irr"] == row["budget_irr"]
    changed = next(r for r in rows if r["id"] == "mrud-yazd-0001")
    assert changed["beneficiaries"] == "999000" and changed["source_version"] == "2"

    book = load_workbook(io.BytesIO(files["projects-all.xlsx"]()))
    assert book.sheetnames == ["projects", "sources"]
    data = list(book["projects"].iter_rows(values_only=True))
    header = list(data[0])
    assert header[-4:] == ["source_agency", "source_dataset", "source_version", "source_row"]
    assert len(data) == len(rows) + 1
    assert all(isinstance(line[-2], int) and isinstance(line[-1], int) for line in data[1:])
    listed = list(book["sources"].iter_rows(values_only=True))
    assert listed[0][:3] == ("agency", "dataset", "version")
    said = {(a, d, str(v)): rest for a, d, v, *rest in listed[1:]}
    assert set(said) == versions
    _, resource, sha256, address, sample = said[("mrud-yazd", "infrastructure-projects", "2")]
    yazd = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects", 2)
    assert yazd is not None and resource == "projects"
    assert sha256 == yazd.resources[0].sha256 and sample is True
    assert address == "/download/mrud-yazd/infrastructure-projects/2/projects.csv"
