"""Page and API agree: the projects page keeps the projects the DataStore's `q` returns
(issue 22, item 3: one matcher, portal/tables/search.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from portal.app import open_data_app
from portal.config import Settings
from portal.profiles import codelist
from portal.web import data
from portal.web.views.projects import _select
from tests.tables.test_search import variants

PROJECTS = ("mrud-yazd/infrastructure-projects", "mrud-khuzestan/infrastructure-projects")


def _api_ids(client: TestClient, query: str) -> set[tuple[str, str]]:
    found = set()
    for ref in PROJECTS:
        answer = client.get(
            "/api/3/action/datastore_search",
            params={"resource_id": f"{ref}/projects", "q": query, "limit": 32000},
        )
        assert answer.status_code == 200, answer.text
        agency = ref.split("/")[0]
        found |= {(agency, r["id"]) for r in answer.json()["result"]["records"]}
    return found


def test_province_name_finds_the_projects_on_the_page_and_in_the_api(
    published: Settings,
) -> None:
    """«خوزستان» found «۰ طرح از ۸۰» and `q=خوزستان` 0 rows; 48 projects are there."""
    stamp = data.generation()
    frame, text = data.projects(stamp), data.project_search(stamp)
    khuzestan = frame[frame["province"] == "IR-06"]
    assert len(khuzestan) > 0
    client = TestClient(open_data_app(published))
    empty = ((), (), (), ())
    for query in ("خوزستان", "Khuzestan", "خوزستان"):
        page = _select(frame, (empty, (0, 10**9), query), 10**9, text)
        assert set(page["id"]) >= set(khuzestan["id"])
        assert set(zip(page["agency"], page["id"], strict=True)) == _api_ids(client, query)


def _vocabulary() -> list[str]:
    words = []
    for entry in codelist("provinces"):
        words += [*variants(entry.name_fa), entry.name_en]
    return words


@pytest.fixture
def page_and_api(published: Settings) -> tuple:
    stamp = data.generation()
    frame, text = data.projects(stamp), data.project_search(stamp)
    counties = sorted({c for c in frame["county"] if c})
    titles = sorted({w for t in frame["title_fa"] for w in t.split()})[:40]
    agencies = sorted({w for t in data.datasets(stamp)["agency_fa"] for w in t.split()})
    vocabulary = _vocabulary() + [v for c in counties for v in variants(c)] + titles + agencies
    return frame, text, TestClient(open_data_app(published)), vocabulary


def test_page_and_api_find_the_same_projects(page_and_api: tuple) -> None:
    """Property: for any query of one or two names (province, county, agency, title
    words, in every spelling the normaliser folds), the page keeps the projects the API's
    `q` returns."""
    frame, text, client, vocabulary = page_and_api
    empty = ((), (), (), ())

    @given(words=st.lists(st.sampled_from(vocabulary), min_size=1, max_size=2))
    @settings(max_examples=60, deadline=None)
    def agree(words: list[str]) -> None:
        query = " ".join(words)
        page = _select(frame, (empty, (0, 10**9), query), 10**9, text)
        assert set(zip(page["agency"], page["id"], strict=True)) == _api_ids(client, query)

    agree()


def _packages(client: TestClient, query: str) -> set[str]:
    answer = client.get("/api/3/action/package_search", params={"q": query, "rows": 100})
    assert answer.status_code == 200, answer.text
    return {p["name"] for p in answer.json()["result"]["results"]}


def _catalogue(query: str, lang: str = "fa") -> set[str]:
    """The agencies of the datasets the catalogue page shows for `query`."""
    from tests.web.test_pages import run

    app = run("dataset", lang)
    app.text_input(key="c_search").input(query).run()
    links = [p.proto.query_string for p in app.get("page_link")]
    return {q.split("dataset=")[1].split("%2F")[0] for q in links if "dataset=" in q}


@pytest.mark.parametrize(
    ("query", "agencies"),
    [
        ("خوزستان", {"mrud-khuzestan", "mcls-khuzestan"}),
        ("Khuzestan", {"mrud-khuzestan", "mcls-khuzestan"}),
        ("تعاونيهاي ثبت شده", {"mcls-khuzestan", "mcls-yazd"}),  # an indicator, Arabic ي
        ("Cooperatives registered", {"mcls-khuzestan", "mcls-yazd"}),
        ("نفر", {"mcls-khuzestan", "mcls-yazd"}),  # the unit `persons` by its Persian name
        ("اردکان", {"mrud-yazd", "mcls-yazd"}),  # a county
    ],
)
def test_catalogue_and_package_search_find_places_indicators_and_units(
    published: Settings, query: str, agencies: set[str]
) -> None:
    client = TestClient(open_data_app(published))
    found = _packages(client, query)
    assert {name.split("--")[0] for name in found} == agencies, found
    assert _catalogue(query) == agencies


def _sql_ids(client: TestClient, ref: str, column: str, query: str) -> set[str]:
    sql = f"SELECT id FROM \"{ref}\" WHERE matches({column}, '{query}')"
    answer = client.get("/api/3/action/datastore_search_sql", params={"sql": sql})
    assert answer.status_code == 200, answer.text
    return {r["id"] for r in answer.json()["result"]["records"]}


def _field_ids(client: TestClient, ref: str, column: str, query: str) -> set[str]:
    answer = client.get(
        "/api/3/action/datastore_search",
        params={"resource_id": f"{ref}/projects", "q": json.dumps({column: query}), "limit": 999},
    )
    assert answer.status_code == 200, answer.text
    return {r["id"] for r in answer.json()["result"]["records"]}


# Queries the surfaces read differently before issue 24: a word only the description
# holds, words in quotes, Solr's AND, a ZWNJ left out, the seam «|» between two spellings.
QUERIES = ("airport", "insurance", '"خوزستان"', "Yazd AND airport", "راهآهن", "|", "ریلی")


@pytest.mark.parametrize("query", QUERIES)
def test_page_api_q_catalogue_and_sql_find_the_same(published: Settings, query: str) -> None:
    stamp = data.generation()
    frame, text = data.projects(stamp), data.project_search(stamp)
    client = TestClient(open_data_app(published))
    empty = ((), (), (), ())
    page = _select(frame, (empty, (0, 10**9), query), 10**9, text)
    assert set(zip(page["agency"], page["id"], strict=True)) == _api_ids(client, query)
    assert {n.split("--")[0] for n in _packages(client, query)} == _catalogue(query)
    for ref in PROJECTS:
        titled = _sql_ids(client, ref, "title_fa", query.replace("'", "''"))
        assert titled == _field_ids(client, ref, "title_fa", query)


def test_the_zwnj_less_spelling_finds_the_same_projects_everywhere(published: Settings) -> None:
    """«راهآهن» finds «راه‌آهن» on the page, through `q`, in one field and in SQL."""
    client = TestClient(open_data_app(published))
    ref = "mrud-khuzestan/infrastructure-projects"
    written = _field_ids(client, ref, "title_fa", "راه‌آهن")
    assert written and _field_ids(client, ref, "title_fa", "راهآهن") == written
    assert _sql_ids(client, ref, "title_fa", "راهآهن") == written
    assert {i for a, i in _api_ids(client, "راهآهن") if a == "mrud-khuzestan"} >= written


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_search_with_no_word_finds_nothing_on_the_pages(published: Settings, lang: str) -> None:
    """The projects and catalogue pages find nothing for `...` and say why, as the API
    (`q=...`) does: the one matcher."""
    from tests.web.test_pages import run

    said = {"fa": "هیچ حرف یا رقمی برای جست‌وجو ندارد", "en": "has no letter or digit"}[lang]
    assert _catalogue("...", lang) == set()
    projects = run("projects", lang)
    projects.text_input(key="f_search").set_value("---").run()
    assert any(said in info.value for info in projects.info)
    shown = next(c.value for c in projects.caption if "80" in c.value or "۸۰" in c.value)
    assert shown.startswith(("0 ", "۰ ")), shown
    catalogue = run("dataset", lang)
    catalogue.text_input(key="c_search").input("،،").run()
    assert any(said in info.value for info in catalogue.info)
