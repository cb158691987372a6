"""The SQL page (issue 23), run by Streamlit's AppTest against a real store."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from portal.api.ckan.index import INDEXES
from portal.app import open_data_app
from portal.config import Settings
from portal.sql.query import run_query
from portal.web.feed_discovery import head_links
from portal.web.views import sql as sql_page
from tests.web.test_pages import run

BY_PROVINCE = (
    "SELECT province, count(*) AS projects, sum(budget_irr) AS budget_irr\n"
    'FROM "mrud-khuzestan/infrastructure-projects"\nGROUP BY province'
)


@pytest.mark.slow
def test_english_page_runs_an_example_and_keeps_the_query_in_the_address(
    published: Settings,
) -> None:
    app = run("sql", "en")
    assert app.title[0].value == "Ask the data in SQL"
    examples = app.selectbox(key="sql_example")
    assert "Budget and spending by province" in examples.options
    examples.set_value("Every agency's projects by status").run()
    assert "UNION ALL BY NAME" in app.text_area(key="sql_text").value
    app.button(key="sql_run").click().run()
    assert not app.exception and not app.error
    assert "UNION ALL BY NAME" in app.query_params["sql"]
    frame = app.dataframe[0].value
    assert list(frame.columns) == ["status", "projects", "budget_irr"]
    assert frame["projects"].sum() == 80  # every sample project, both agencies
    assert app.table, "an HTML table for screen readers"
    captions = " ".join(c.value for c in app.caption)
    assert "\u2068mrud-khuzestan/infrastructure-projects\u2069" in captions  # isolated
    captions = captions.replace("\u2068", "").replace("\u2069", "")
    assert "mrud-khuzestan/infrastructure-projects: version 1 of projects" in captions
    assert len(app.get("download_button")) == 2
    address = app.code[-1].value
    assert parse_qs(urlparse(address).query)["sql"][0] == app.query_params["sql"]


@pytest.mark.slow
def test_a_shared_address_shows_its_answer_in_persian(published: Settings) -> None:
    app = run("sql", "fa", sql=BY_PROVINCE)
    assert app.title[0].value == "پرسش از داده‌ها با SQL"
    assert app.text_area(key="sql_text").value == BY_PROVINCE
    frame = app.dataframe[0].value
    assert list(frame["province"]) == ["IR-06"]
    assert frame["projects"][0] == "۴۸"  # Persian digits on a Persian page
    assert any("ردیف در" in c.value for c in app.caption)
    assert len(app.get("plotly_chart")) == 0  # one row: no chart


@pytest.mark.slow
def test_a_refused_query_is_said_in_the_pages_language(published: Settings) -> None:
    app = run("sql", "fa", sql="select * from read_csv('/etc/passwd')")
    assert app.error and "read_csv" in app.error[0].value
    assert "در دسترس نیست" in app.error[0].value
    assert not app.dataframe
    english = run("sql", "en", sql="select 1; select 2")
    assert "exactly one statement" in english.error[0].value


@pytest.mark.slow
def test_a_labelled_answer_gets_a_chart(published: Settings) -> None:
    app = run(
        "sql",
        "en",
        sql='SELECT status, count(*) n FROM "mrud-yazd/infrastructure-projects" GROUP BY status',
    )
    assert len(app.get("plotly_chart")) == 1


@pytest.mark.slow
def test_the_answer_downloads_for_excel(published: Settings) -> None:
    index = INDEXES.current(published.home, "")
    result = run_query(published.home, index, BY_PROVINCE)
    frame = sql_page._frame(result)
    assert sql_page.csv_for_excel(frame).startswith("\ufeffprovince,projects,budget_irr".encode())
    sheet = load_workbook(io.BytesIO(sql_page._xlsx(frame, result))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("province", "projects", "budget_irr")
    assert rows[1][0] == "IR-06" and rows[1][1] == 48 and isinstance(rows[1][2], int)


def test_a_query_page_announces_its_oembed() -> None:
    head = head_links("/sql", "lang=en&sql=select+1").decode()
    assert 'type="application/json+oembed"' in head and "format=json" in head
    assert "json+oembed" not in head_links("/sql", "lang=en").decode()
    assert "json+oembed" not in head_links("/dataset", "dataset=a/b").decode()


def test_every_example_runs_and_the_search_example_finds_what_q_finds(
    published: Settings,
) -> None:
    """The examples are the page's first answers; the search one uses `matches`, the
    portal's own matcher, and finds the rows whose title the DataStore's `q` finds."""
    index = INDEXES.current(published.home, "")
    examples = sql_page._examples("en")
    for sql in examples.values():
        assert run_query(published.home, index, sql).answer.fields
    search = next(sql for sql in examples.values() if "matches(" in sql)
    found = {r["id"] for r in run_query(published.home, index, search).answer.records}
    ref = search.split('"')[1]
    client = TestClient(open_data_app(published))
    answer = client.get(
        "/api/3/action/datastore_search",
        params={
            "resource_id": f"{ref}/projects",
            "q": json.dumps({"title_fa": "راه‌آهن"}),
        },
    )
    assert found and found == {r["id"] for r in answer.json()["result"]["records"]}


@pytest.mark.slow
def test_quoted_table_names_keep_their_quotes_in_a_persian_line(published: Settings) -> None:
    """Two quoted Latin names joined by «، » ran together into one left-to-right run: the
    phone showed `"،"agency/dataset@version" ،"agency/dataset` and `resource""`."""
    app = run("sql", "fa")
    said = " ".join(
        [app.markdown[0].value if app.markdown else "", *(c.value for c in app.caption)]
    )
    for name in ('"agency/dataset"', '"agency/dataset@version"', '"agency/dataset/resource"'):
        assert f"\u2068{name}\u2069" in said, said


@pytest.mark.slow
def test_a_jalali_date_in_the_query_is_answered_with_a_warning(published: Settings) -> None:
    query = (
        'SELECT count(*) AS n FROM "mrud-khuzestan/infrastructure-projects"\n'
        "WHERE start_date > '1400-01-01'"
    )
    app = run("sql", "fa", sql=query)
    assert not app.error and app.dataframe, "answered as asked"
    [warning] = [w.value for w in app.warning if "1400-01-01" in w.value]
    assert "2021-03-21" in warning and "خورشیدی" in warning
