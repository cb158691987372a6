"""`datastore_search_sql` (issue 23): read-only SQL over everything published, CKAN's shape.

Hostile queries come through the Action API as a client would send them; each must be a
409 with CKAN's error envelope and a message in Persian and English, and nothing of it may
run. A served portal must keep answering while a runaway query burns its time limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import ckanapi
import httpx
import pytest
from starlette.testclient import TestClient

from portal.metadata.ckan_dicts import resource_id
from portal.store import Store

PROJECTS = '"mrud-khuzestan/infrastructure-projects"'
OBSERVATIONS = '"mcls-khuzestan/labour-indicators"'
# 10^10 rows, each computed (DuckDB counts a bare cross product's rows in about a second).
RUNAWAY = (
    f"select sum(a.value * b.value * c.value) from {OBSERVATIONS} a, {OBSERVATIONS} b,"
    f" {OBSERVATIONS} c"
)


def sql(client: TestClient, query: str, method: str = "GET") -> httpx.Response:
    if method == "POST":
        return client.post("/api/action/datastore_search_sql", json={"sql": query})
    return client.get("/api/3/action/datastore_search_sql", params={"sql": query})


def test_a_journalists_question_in_one_query(client: TestClient, samples: Store) -> None:
    answer = sql(
        client,
        "select province, count(*) projects, sum(budget_irr) budget"
        f" from {PROJECTS} where planned_end_date < date '2026-01-01'"
        " and actual_end_date is null group by province order by budget desc",
        "POST",
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["success"] is True and body["help"].endswith("name=datastore_search_sql")
    result = body["result"]
    assert [f["id"] for f in result["fields"]] == ["province", "projects", "budget"]
    assert [f["type"] for f in result["fields"]] == ["text", "int8", "numeric"]
    assert result["records"] and all(r["province"] == "IR-06" for r in result["records"])
    table = result["tables"]["mrud-khuzestan/infrastructure-projects"]
    assert table["version"] == 1 and table["resource"] == "projects" and len(table["sha256"]) == 64
    assert "records_truncated" not in result and result["sql"].startswith("select province")


def test_tables_by_resource_id_version_and_resource(client: TestClient, samples: Store) -> None:
    rid = resource_id("mrud-yazd", "infrastructure-projects", "projects")
    counts = [
        sql(client, f"select count(*) n from {name}").json()["result"]["records"][0]["n"]
        for name in (
            f'"{rid}"',
            '"mrud-yazd/infrastructure-projects"',
            '"mrud-yazd/infrastructure-projects@1"',
            '"mrud-yazd/infrastructure-projects/projects@1"',
        )
    ]
    assert len(set(counts)) == 1 and counts[0] > 0
    joined = sql(
        client,
        'select i.name_en, count(*) n from "mcls-yazd/labour-indicators" o'
        ' join "mcls-yazd/labour-indicators/indicators" i using (indicator_id)'
        " group by all order by n desc, 1 limit 3",
    ).json()["result"]
    assert len(joined["records"]) == 3 and set(joined["tables"]) == {
        "mcls-yazd/labour-indicators",
        "mcls-yazd/labour-indicators/indicators",
    }


HOSTILE = [
    "select * from read_csv('/etc/passwd')",
    "select * from read_parquet('http://127.0.0.1:9/x.parquet')",
    "select * from '/etc/passwd'",
    "copy (select 1) to '/tmp/h-desk-never.csv'",
    "attach '/tmp/h-desk-never.db' as other",
    "install httpfs",
    "load httpfs",
    "set memory_limit = '100GB'",
    "pragma threads = 8",
    f"select 1; select * from {PROJECTS}",
    "select getenv('HOME')",
    "select current_setting('temp_directory')",
    "select * from duckdb_settings()",
    "select * from information_schema.tables",
    'select * from "mrud-khuzestan/infrastructure-projects@99"',
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_409_in_ckans_shape(
    client: TestClient, samples: Store, query: str
) -> None:
    answer = sql(client, query, "POST")
    assert answer.status_code == 409, answer.text
    body = answer.json()
    error = body["error"]
    assert body["success"] is False and error["__type"] == "Validation Error"
    assert error["code"].startswith("sql.") and error["sql"]
    assert error["messages"]["fa"] != error["messages"]["en"]
    assert not Path("/tmp/h-desk-never.csv").exists() and not Path("/tmp/h-desk-never.db").exists()


def test_a_runaway_cross_join_is_stopped_at_the_time_limit(
    client: TestClient, samples: Store
) -> None:
    started = time.monotonic()
    answer = sql(client, RUNAWAY)
    assert time.monotonic() - started < 2 + 2  # the limit, the grace, a worker's start
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "sql.time_limit"
    assert "2 seconds" in error["messages"]["en"] and "۲ ثانیه" in error["messages"]["fa"]


def test_rows_past_the_limit_are_cut_and_said(client: TestClient, samples: Store) -> None:
    result = sql(client, "select * from range(40000)").json()["result"]
    assert len(result["records"]) == 32000 and result["records_truncated"] is True
    assert result["limits"] == {"seconds": 2.0, "rows": 32000, "memory_mb": 256}


def test_help_show_describes_it(client: TestClient, samples: Store) -> None:
    help_text = client.get("/api/3/action/help_show", params={"name": "datastore_search_sql"})
    assert "SELECT" in help_text.json()["result"]


@pytest.mark.slow
def test_ckanapi_asks_and_gets_ckans_answer(live: str, samples: Store) -> None:
    portal = ckanapi.RemoteCKAN(live)
    result = portal.action.datastore_search_sql(
        sql=f"select status, count(*) n from {PROJECTS} group by status order by n desc"
    )
    assert sum(r["n"] for r in result["records"]) == 48
    with pytest.raises(ckanapi.ValidationError) as refused:
        portal.action.datastore_search_sql(sql="select * from read_csv('/etc/passwd')")
    assert refused.value.error_dict["code"] == "sql.function_refused"
    cli = Path(sys.executable).parent / "ckanapi"
    query = f"sql=select count(*) n from {PROJECTS}"
    done = subprocess.run(
        [str(cli), "action", "datastore_search_sql", query, "-r", live],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["records"] == [{"n": 48}]


@pytest.mark.slow
def test_the_portal_keeps_answering_while_a_query_runs(live: str, samples: Store) -> None:
    with httpx.Client(base_url=live, timeout=30) as client:
        client.get("/api/3/action/datastore_search_sql", params={"sql": "select 1"})  # warm
        outcome: dict[str, Any] = {}

        def runaway() -> None:
            answer = client.get("/api/3/action/datastore_search_sql", params={"sql": RUNAWAY})
            outcome["status"] = answer.status_code

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        slowest = 0.0
        while thread.is_alive():
            started = time.monotonic()
            assert client.get("/health").status_code == 200
            shown = client.get(
                "/api/3/action/package_show", params={"id": "mrud-yazd--infrastructure-projects"}
            )
            assert shown.status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.1)
        thread.join()
    assert outcome["status"] == 409
    assert slowest < 0.5, f"the portal waited {slowest:.2f} s behind a query"


def test_a_jalali_date_compared_with_a_date_column_is_answered_with_a_warning(
    client: TestClient, samples: Store
) -> None:
    """`start_date > '1400-01-01'` compared with the year 1400 AD: every project matched,
    silently. The answer stands (it is what was asked) with a note of the Gregorian date."""
    query = f"select count(*) n from {PROJECTS} where start_date > '1400-01-01'"
    result = sql(client, query).json()["result"]
    everything = sql(client, f"select count(*) n from {PROJECTS}").json()["result"]
    assert result["records"] == everything["records"]  # answered as asked
    [note] = result["notes"]
    assert note["code"] == "sql.jalali_date"
    assert note["where"] == {
        "column": "start_date",
        "literal": "1400-01-01",
        "gregorian": "2021-03-21",
    }
    assert "2021-03-21" in note["message"]["en"] and "start_date" in note["message"]["en"]
    assert "۲۰۲۱-۰۳-۲۱" in note["message"]["fa"] or "2021-03-21" in note["message"]["fa"]
    between = sql(
        client,
        f"select id from {PROJECTS} p where p.planned_end_date between date '1399-01-01'"
        " and '1403-12-29'",
    ).json()["result"]
    assert [n["where"]["gregorian"] for n in between["notes"]] == ["2020-03-20", "2025-03-19"]
    # A Gregorian date, a text column or an old year on a column that holds old years: no note.
    for quiet in (
        f"select count(*) from {PROJECTS} where start_date > '2021-03-21'",
        f"select count(*) from {PROJECTS} where title_en > '1400-01-01'",
        "select count(*) from (select date '1390-01-01' d) where d > '1400-01-01'",
    ):
        assert "notes" not in sql(client, quiet).json()["result"], quiet
    embedded = client.get("/embed/sql", params={"sql": query, "lang": "en"}).text
    assert "2021-03-21" in embedded and "1400-01-01" in embedded
