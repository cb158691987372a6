"""Small words that misled (issue 22, items 6, 7 and 9), on the Streamlit pages."""

from __future__ import annotations

import re
from pathlib import Path

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.agencies import create_token
from tests.packages import copy_sample, read_rows, write_rows
from tests.web.test_pages import run, texts

PERSIAN_DIGIT = "[۰-۹]"


def test_no_middle_dot_beside_persian_digits(published: Settings) -> None:
    """«۱ · کیفیت» reads as «۱ ۰»: Persian lines separate items with «؛»."""
    for page, params in (
        ("home", {}),
        ("agencies", {"agency": "mrud-yazd"}),
        ("dataset", {"dataset": "mrud-yazd/infrastructure-projects"}),
        ("dataset", {}),
    ):
        shown = texts(run(page, "fa", **params))
        assert not re.search(f"{PERSIAN_DIGIT}\\s*·|·\\s*{PERSIAN_DIGIT}", shown), page


def test_published_today_says_today_and_agencies_count_those_with_projects(
    published: Settings,
) -> None:
    shown = texts(run("home", "fa"))
    assert "آخرین انتشار امروز" in shown and "۰ روز پیش" not in shown
    assert "**۲ دستگاه** دادهٔ **۸۰ طرح**" in shown  # two agencies publish projects, not four
    assert "last published today" in texts(run("home", "en"))
    catalogue = texts(run("dataset", "fa"))
    assert "آخرین انتشار امروز؛" in catalogue and "۰ روز پیش" not in catalogue


def test_a_time_span_reads_start_first_in_words(published: Settings) -> None:
    shown = texts(run("dataset", "fa", dataset="mcls-yazd/labour-indicators"))
    assert "بازهٔ زمانی: \u2068از ۱۴۰۳/۰۷/۰۱ تا ۱۴۰۵/۰۶/۳۱\u2069" in shown


def test_one_row_is_singular_in_english(published: Settings, store: Store, tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "pkg")
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    write_rows(path, [*rows, dict(rows[0], id="mrud-yazd-9999")])
    publish(store, folder, published, token=create_token(store.conn, "mrud-yazd"))
    shown = texts(run("dataset", "en", dataset="mrud-yazd/infrastructure-projects"))
    assert "projects: 1 row added, 0 removed, 0 figures changed." in shown


def test_the_score_table_has_persian_digits(published: Settings) -> None:
    app = run("dataset", "fa", dataset="mrud-yazd/infrastructure-projects")
    [score] = [f.value for f in app.dataframe if "امتیاز" in f.value.columns]
    assert all(re.fullmatch("[۰-۹٫٬]+", str(v)) for v in score["امتیاز"])


def test_english_charts_carry_no_right_to_left_isolates(published: Settings) -> None:
    """«.W. Azar», «.Mazand» and legends from high to low on English pages."""
    for page in ("indicators", "home"):
        charts = run(page, "en").get("plotly_chart")
        assert charts, page
        assert not any("\u2067" in c.proto.spec or "\\u2067" in c.proto.spec for c in charts)
    fa = run("indicators", "fa").get("plotly_chart")
    assert any("\u2067" in c.proto.spec or "\\u2067" in c.proto.spec for c in fa)


def test_sample_indicator_metadata_matches_its_data(published: Settings) -> None:
    shown = texts(run("dataset", "fa", dataset="mcls-yazd/labour-indicators"))
    assert "از مهر ۱۴۰۳ تا شهریور ۱۴۰۵" in shown and "۱۴۰۲" not in shown
    app = run("indicators", "en")
    notes = [h.proto.body for h in app.get("html")]
    assert any("language, Persian" in n and 'lang="fa"' in n for n in notes)
