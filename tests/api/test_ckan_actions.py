"""The CKAN Action API in-process: envelope, each action, and what each bad request gets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from starlette.testclient import TestClient

from portal.persian import iso_to_jalali, to_persian_digits
from portal.store import Store

YAZD = "mrud-yazd--infrastructure-projects"
PROJECTS = "mrud-yazd/infrastructure-projects/projects"


def ok(client: TestClient, action: str, **params: Any) -> Any:
    response = client.post(f"/api/action/{action}", json=params)
    body = response.json()
    assert response.status_code == 200, body
    assert body["success"] is True and body["help"].endswith(f"help_show?name={action}")
    return body["result"]


def refused(client: TestClient, action: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.post(f"/api/3/action/{action}", json=params)
    body = response.json()
    assert response.status_code == status, body
    assert body["success"] is False and set(body["error"]) >= {"__type", "message", "messages"}
    assert body["error"]["messages"]["fa"] and body["error"]["messages"]["en"]
    return body["error"]


def test_get_and_post_on_both_prefixes_give_the_same_answer(
    client: TestClient, samples: Store
) -> None:
    answers = [
        client.get("/api/3/action/package_list").json(),
        client.get("/api/action/package_list").json(),
        client.post("/api/action/package_list", json={}).json(),
        client.post("/api/3/action/package_list").json(),
    ]
    assert all(a == answers[0] for a in answers)
    assert answers[0]["result"] == [
        "mcls-khuzestan--labour-indicators",
        "mcls-yazd--labour-indicators",
        "mrud-khuzestan--infrastructure-projects",
        YAZD,
    ]
    assert ok(client, "package_list", limit=1, offset=1) == ["mcls-yazd--labour-indicators"]


def test_package_show_is_a_ckan_package_dict(client: TestClient, samples: Store) -> None:
    from portal.store import catalog

    version = catalog.version(samples.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    package = ok(client, "package_show", id=YAZD)
    assert ok(client, "package_show", id=package["id"]) == package
    assert ok(client, "package_show", id="mrud-yazd/infrastructure-projects") == package
    assert package["organization"]["name"] == "mrud-yazd"
    assert package["owner_org"] == package["organization"]["id"]
    assert package["license_id"] == "CC-BY-4.0"
    assert package["title_translated"]["fa"].startswith("طرح")
    assert package["metadata_created"] and package["metadata_modified"]
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["version"] == "1" and extras["quality_score"] == "100"
    assert extras["manifest_sha256"] == version.manifest_sha256
    assert extras["sample_data"] == "true" and extras["province"] == "IR-21"
    (resource,) = package["resources"]
    assert resource["hash"] == f"sha256:{version.resources[0].sha256}"  # as frictionless reads it
    assert resource["size"] == version.resources[0].bytes and resource["format"] == "CSV"
    assert resource["url"].endswith("/download/mrud-yazd/infrastructure-projects/1/projects.csv")
    assert resource["schema"]["primaryKey"] == ["id"]
    assert ok(client, "resource_show", id=resource["id"]) == resource
    assert ok(client, "resource_show", id=PROJECTS) == resource


def test_package_search_normalises_persian_and_filters(client: TestClient, samples: Store) -> None:
    # Arabic yeh and kaf, Arabic-Indic digits and a missing ZWNJ find the same datasets.
    assert ok(client, "package_search", q="يزد")["count"] == 2
    assert ok(client, "package_search", q="یزد")["count"] == 2
    assert ok(client, "package_search", q="طرحهای عمرانی")["count"] == 2
    assert ok(client, "package_search", q="nothing-like-this")["count"] == 0
    found = ok(client, "package_search", fq="organization:mrud-yazd")
    assert [p["name"] for p in found["results"]] == [YAZD]
    tagged = ok(client, "package_search", fq='tags:"sample data" -organization:mcls-yazd')
    assert tagged["count"] == 3
    either = ok(client, "package_search", fq="organization:(mrud-yazd OR mcls-yazd)")
    assert either["count"] == 2
    assert ok(client, "package_search", q="province:IR-06")["count"] == 2
    page = ok(client, "package_search", rows=2, start=1, sort="name desc")
    assert page["count"] == 4 and [p["name"] for p in page["results"]] == [
        "mrud-khuzestan--infrastructure-projects",
        "mcls-yazd--labour-indicators",
    ]


def test_package_search_facets(client: TestClient, samples: Store) -> None:
    get = client.get(
        "/api/3/action/package_search",
        params={"facet.field": '["organization","province","sector","status"]', "rows": 0},
    ).json()["result"]
    assert get["results"] == [] and get["count"] == 4
    assert get["facets"]["province"] == {"IR-06": 2, "IR-21": 2}
    assert get["facets"]["organization"]["mrud-yazd"] == 1
    assert "transport.road" in get["facets"]["sector"]
    items = get["search_facets"]["province"]["items"]
    assert {"name": "IR-21", "display_name": "IR-21", "count": 2} in items


def test_organizations(client: TestClient, samples: Store) -> None:
    assert ok(client, "organization_list")[0] == "mcls-khuzestan"
    full = ok(client, "organization_list", all_fields=True)
    assert full[0]["package_count"] == 1 and full[0]["title_translated"]["en"]
    org = ok(client, "organization_show", id="mrud-yazd", include_datasets=True)
    assert [p["name"] for p in org["packages"]] == [YAZD]
    assert "packages" not in ok(client, "organization_show", id=org["id"])


def test_datastore_search_filters_sorts_and_pages(client: TestClient, samples: Store) -> None:
    result = ok(
        client,
        "datastore_search",
        resource_id=PROJECTS,
        filters={"status": ["completion", "implementation"], "province": "IR-21"},
        sort="budget_irr desc, id asc",
        fields=["id", "budget_irr", "status"],
        limit=3,
        offset=1,
    )
    assert [f["id"] for f in result["fields"]] == ["id", "budget_irr", "status"]
    assert {f["id"]: f["type"] for f in result["fields"]}["budget_irr"] == "int"
    budgets = [r["budget_irr"] for r in result["records"]]
    assert budgets == sorted(budgets, reverse=True) and len(budgets) == 3
    assert all(r["status"] in ("completion", "implementation") for r in result["records"])
    assert result["total"] > 3 and result["_links"]["next"].startswith("/api/3/action/")
    everything = ok(client, "datastore_search", resource_id=PROJECTS, limit=1000)
    assert everything["total"] == 32 and everything["records"][0]["_id"] == 1
    assert everything["fields"][0] == {"id": "_id", "type": "int"}
    first = everything["records"][0]
    assert isinstance(first["physical_progress_pct"], float) and first["id"] == "mrud-yazd-0001"


def test_datastore_search_text_query_is_spelling_insensitive(
    client: TestClient, samples: Store
) -> None:
    plain = ok(client, "datastore_search", resource_id=PROJECTS, q="اردکان")
    arabic = ok(client, "datastore_search", resource_id=PROJECTS, q="اردكان")
    assert plain["total"] == arabic["total"] > 0
    by_field = ok(client, "datastore_search", resource_id=PROJECTS, q={"county": "اردکان"})
    assert by_field["total"] == plain["total"]
    get = client.get(
        "/api/3/action/datastore_search",
        params={"resource_id": PROJECTS, "filters": '{"county": "اردکان"}', "limit": "1"},
    ).json()["result"]
    assert get["total"] == plain["total"] and len(get["records"]) == 1


@pytest.mark.parametrize("query", ["...", "،،", "---", "-", "ـ", '""', "AND", "؟ !"])
def test_a_query_with_no_word_finds_nothing(client: TestClient, samples: Store, query: str) -> None:
    """Typed, but with no letter or digit to look for: no dataset and no row, where it
    found every one (the one matcher, portal/tables/search.py)."""
    assert ok(client, "package_search", q=query)["count"] == 0
    assert ok(client, "datastore_search", resource_id=PROJECTS, q=query)["total"] == 0
    by_field = ok(client, "datastore_search", resource_id=PROJECTS, q={"county": query})
    assert by_field["total"] == 0
    # nothing typed (or spaces, a cleared box) is no search: everything
    everything = ok(client, "package_search")["count"]
    assert everything == ok(client, "package_search", q=" ")["count"] > 0
    assert ok(client, "package_search", q="*:*")["count"] == everything
    rows = ok(client, "datastore_search", resource_id=PROJECTS)["total"]
    assert ok(client, "datastore_search", resource_id=PROJECTS, q=" ")["total"] == rows > 0


R = {"resource_id": PROJECTS}
CKAN_TYPES = {400: "Bad request", 404: "Not Found Error", 409: "Validation Error"}


@pytest.mark.parametrize(
    ("action", "params", "status", "code"),
    [
        ("no_such_action", {}, 400, "api.unknown_action"),
        ("package_show", {}, 409, "api.missing_parameter"),
        ("package_show", {"id": "nobody--nothing"}, 404, "api.package_not_found"),
        ("organization_show", {"id": "nobody"}, 404, "api.organization_not_found"),
        ("resource_show", {"id": "x/y/z"}, 404, "api.resource_not_found"),
        ("package_search", {"rows": "many"}, 409, "api.expected_integer"),
        ("package_search", {"rows": 5000}, 409, "api.out_of_range"),
        ("package_search", {"fq": "secret_field:x"}, 409, "api.unknown_search_field"),
        ("package_search", {"fq": "just words"}, 409, "api.fq_not_understood"),
        ("package_search", {"sort": "size sideways"}, 409, "api.bad_sort"),
        ("package_search", {"facet.field": ["contact"]}, 409, "api.unknown_facet"),
        ("datastore_search", {**R, "filters": {"nope": 1}}, 409, "api.unknown_field"),
        ("datastore_search", {**R, "filters": {"budget_irr": "lots"}}, 409, "api.filter_type"),
        ("datastore_search", {**R, "filters": "[1"}, 409, "api.expected_json"),
        ("datastore_search", {**R, "sort": "nope asc"}, 409, "api.bad_sort"),
        ("datastore_search", {**R, "limit": -1}, 409, "api.out_of_range"),
        ("datastore_search", {**R, "fields": ["id", "nope"]}, 409, "api.unknown_field"),
        ("datastore_search", {**R, "records_format": "csv"}, 409, "api.bad_records_format"),
        ("datastore_search", {}, 409, "api.missing_parameter"),
        ("help_show", {"name": "package_delete"}, 404, "api.unknown_action"),
    ],
)
def test_each_bad_request_gets_a_ckan_error(
    client: TestClient,
    samples: Store,
    action: str,
    params: dict[str, Any],
    status: int,
    code: str,
) -> None:
    error = refused(client, action, status, **params)
    assert (error["__type"], error["code"]) == (CKAN_TYPES[status], code)


def test_a_body_that_is_not_json_is_a_validation_error(client: TestClient, samples: Store) -> None:
    response = client.post("/api/3/action/package_list", content=b"{not json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "api.bad_json"
    big = client.post("/api/3/action/package_list", content=b" " * (1024 * 1024 + 1))
    assert big.status_code == 413


def test_a_new_publication_shows_at_once(
    client: TestClient, samples: Store, tmp_path: Any, settings: Any
) -> None:
    from portal.publishing.publish import publish
    from tests.packages import copy_sample, set_cell

    assert ok(client, "package_show", id=YAZD)["version"] == "1"
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "beneficiaries", "77")
    publish(samples, folder, settings, agency_slug="mrud-yazd")
    package = ok(client, "package_show", id=YAZD)
    assert package["version"] == "2" and package["resources"][0]["url"].endswith("/2/projects.csv")
    first = ok(client, "datastore_search", resource_id=PROJECTS, limit=1)["records"][0]
    assert first["beneficiaries"] == 77


def test_help_show_and_status_show(client: TestClient, samples: Store) -> None:
    assert "resource_id" in ok(client, "help_show", name="datastore_search")
    assert ok(client, "status_show")["ckan_version"].startswith("2.11")


def test_a_date_filter_reads_as_a_date_or_is_refused(client: TestClient, samples: Store) -> None:
    """A date filter that is no Gregorian date was silently 0 rows: a journalist typing the
    Jalali date of the page (1399-03-02, ۱۳۹۹/۰۳/۰۲) believed no project started that day."""
    exact = ok(client, "datastore_search", resource_id=PROJECTS, filters={"id": "mrud-yazd-0001"})
    started = exact["records"][0]["start_date"]
    found = ok(client, "datastore_search", resource_id=PROJECTS, filters={"start_date": started})
    assert found["total"] >= 1 and "mrud-yazd-0001" in {r["id"] for r in found["records"]}
    jalali = iso_to_jalali(date.fromisoformat(started))  # 1399/03/02
    for typed in (jalali.replace("/", "-"), to_persian_digits(jalali)):
        error = refused(client, "datastore_search", 409, **R, filters={"start_date": typed})
        assert error["code"] == "journo.api.filter_jalali"
        assert started in error["messages"]["en"] and started in error["messages"]["fa"]
        assert "start_date" in error["messages"]["en"] and "start_date" in error["messages"]["fa"]
    error = refused(client, "datastore_search", 409, **R, filters={"start_date": ["soon"]})
    assert error["code"] == "journo.api.filter_date" and "soon" in error["messages"]["en"]


def test_datastore_search_distinct_gives_each_value_once(
    client: TestClient, samples: Store
) -> None:
    """`distinct` (CKAN's parameter) was ignored: a journalist listing counties got every
    project's county, repeats and all, and a total that counted projects."""
    every = ok(client, "datastore_search", resource_id=PROJECTS, fields=["county"], limit=1000)
    counties = [r["county"] for r in every["records"]]
    assert len(set(counties)) < len(counties)  # the sample repeats counties

    def distinct_counties(**page: int) -> dict:
        return ok(
            client,
            "datastore_search",
            resource_id=PROJECTS,
            fields=["county"],
            distinct=True,
            sort="county",
            **page,
        )

    once = distinct_counties(limit=1000)
    assert [r["county"] for r in once["records"]] == sorted(set(counties))
    assert once["total"] == len(set(counties))
    paged = distinct_counties(limit=2, offset=1)
    assert [r["county"] for r in paged["records"]] == sorted(set(counties))[1:3]
    pairs = ok(
        client,
        "datastore_search",
        resource_id=PROJECTS,
        fields=["county", "status"],
        filters={"status": "completion"},
        distinct="true",
        limit=1000,
    )
    seen = [(r["county"], r["status"]) for r in pairs["records"]]
    assert len(seen) == len(set(seen)) == pairs["total"] and {s for _, s in seen} == {"completion"}
    error = refused(client, "datastore_search", 409, **R, distinct="maybe")
    assert error["code"] == "api.expected_boolean"


def test_a_text_filter_is_spelling_insensitive_like_the_download_filter(
    client: TestClient, samples: Store
) -> None:
    """Typed on an Arabic keyboard (ي ك), `filters={"county": "اردكان"}` found no row while
    `q`, the pages and `…/projects.csv?county=اردكان` find the county's projects."""
    persian = ok(client, "datastore_search", resource_id=PROJECTS, filters={"county": "اردکان"})
    arabic = ok(client, "datastore_search", resource_id=PROJECTS, filters={"county": "اردكان"})
    assert arabic["total"] == persian["total"] > 0
    assert {r["county"] for r in arabic["records"]} == {"اردکان"}  # the value as published
    download = client.get(
        "/download/mrud-yazd/infrastructure-projects/1/projects.json", params={"county": "اردكان"}
    ).json()
    assert [r["id"] for r in download] == [r["id"] for r in arabic["records"]]
    codes = ok(client, "datastore_search", resource_id=PROJECTS, filters={"province": "ir-21"})
    assert codes["total"] == 32
    assert (
        ok(client, "datastore_search", resource_id=PROJECTS, filters={"county": "اردک"})["total"]
        == 0
    )  # a whole value, not a part of one (that is `q`)
