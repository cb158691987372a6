"""One reader for published tables: pages, DataStore, .json and .xlsx agree with the validator."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from portal.app import open_data_app
from portal.config import Settings
from portal.publishing.publish import publish, validate_source
from portal.store import Store, catalog
from portal.tables.reader import cache_dir, cell_readers, load_table, read_table
from portal.validation.table.scalar import ScalarField
from portal.web import context
from tests.packages import copy_sample

# Persian-style figures: `٬` groups thousands, `/` marks decimals, units around integers,
# yes/no words, and "-" or "n/a" for a missing cell.
SCHEMA = {
    "fields": [
        {"name": "code", "type": "string"},
        {"name": "amount", "type": "number", "groupChar": "٬", "decimalChar": "/"},
        {"name": "count", "type": "integer", "bareNumber": False},
        {"name": "open", "type": "boolean", "trueValues": ["بله"], "falseValues": ["خیر"]},
        {"name": "opened_on", "type": "date"},
        {"name": "note", "type": "string"},
    ],
    "missingValues": ["", "-", "n/a"],
}
ROWS = [
    ["code", "amount", "count", "open", "opened_on", "note"],
    ["a1", "1٬234٬567/89", "12 نفر", "بله", "2024-03-01", "first"],
    ["a2", "-", "n/a", "خیر", "", "-"],
    ["a3", "42", "#7", "بله", "2023-12-31", 'a "quoted"; note'],
    ["a4", "0/5", "1000 ریال", "-", "2020-02-29", ""],
]
EXPECTED = [
    {"code": "a1", "amount": 1234567.89, "count": 12, "open": True, "opened_on": "2024-03-01",
     "note": "first"},
    {"code": "a2", "amount": None, "count": None, "open": False, "opened_on": None, "note": None},
    {"code": "a3", "amount": 42.0, "count": 7, "open": True, "opened_on": "2023-12-31",
     "note": 'a "quoted"; note'},
    {"code": "a4", "amount": 0.5, "count": 1000, "open": None, "opened_on": "2020-02-29",
     "note": None},
]  # fmt: skip


def _package(tmp_path: Path) -> Path:
    folder = copy_sample(tmp_path / "pkg")
    lines = [";".join(f'"{c}"' if ";" in c or '"' in c else c for c in row) for row in ROWS]
    text = "\n".join(line.replace('"quoted"', '""quoted""') for line in lines) + "\n"
    (folder / "data" / "extras.csv").write_text(text, encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append(
        {
            "name": "extras",
            "path": "data/extras.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ";"},
            "schema": SCHEMA,
        }
    )
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.fixture
def published(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> str:
    folder = _package(tmp_path)
    assert validate_source(folder, settings).report.valid
    publish(store, folder, settings, token=yazd_token)
    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    entry = version.resource("extras")
    assert entry is not None
    return entry.sha256


def _validator_values() -> list[dict[str, Any]]:
    """What the validator's own scalar reader makes of each source cell."""
    fields = [ScalarField(f, SCHEMA["missingValues"]) for f in SCHEMA["fields"]]
    records = []
    for row in ROWS[1:]:
        record = {}
        for field, cell in zip(fields, row, strict=True):
            value, problems = field.read(cell)
            assert problems == []
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            record[field.name] = float(value) if field.type == "number" and value else value
        records.append(record)
    return records


def test_every_reader_agrees_cell_by_cell(published: str, store: Store, settings: Settings) -> None:
    assert _validator_values() == EXPECTED

    path = store.objects.path(published)
    descriptor = json.loads(
        store.objects.read_bytes(
            catalog.version(store.conn, "mrud-yazd", "infrastructure-projects").descriptor_sha256
        )
    )
    resource = next(r for r in descriptor["resources"] if r["name"] == "extras")
    assert read_table(path, resource).table.to_pylist() == EXPECTED
    readers = cell_readers(ROWS[0], resource)
    streamed = [
        {name: read(cell) for name, read, cell in zip(ROWS[0], readers, row, strict=True)}
        for row in ROWS[1:]
    ]
    assert streamed == EXPECTED

    client = TestClient(open_data_app(settings))
    base = "/download/mrud-yazd/infrastructure-projects/latest/extras"
    assert client.get(f"{base}.json").json() == EXPECTED
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?form=raw").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ROWS[0]
    as_records = [dict(zip(ROWS[0], row, strict=True)) for row in rows[1:]]
    assert as_records == [{k: v for k, v in record.items()} for record in EXPECTED]

    show = client.get(
        "/api/3/action/package_show", params={"id": "mrud-yazd--infrastructure-projects"}
    )
    rid = next(r["id"] for r in show.json()["result"]["resources"] if r["name"] == "extras")
    found = client.get("/api/3/action/datastore_search", params={"resource_id": rid})
    records = [
        {k: v for k, v in r.items() if k != "_id"} for r in found.json()["result"]["records"]
    ]
    assert records == EXPECTED
    types = {f["id"]: f["type"] for f in found.json()["result"]["fields"]}
    assert types["amount"] == "numeric" and types["count"] == "int" and types["open"] == "bool"

    with context.registered(settings):
        app = AppTest.from_string(
            f"from portal.web import data\nframe = data.object_table({published!r})\n"
            "import streamlit as st\nst.session_state['rows'] = frame.to_dict('records')",
            default_timeout=60,
        ).run()
    assert not app.exception, app.exception
    page_rows = app.session_state["rows"]
    for got, want in zip(page_rows, EXPECTED, strict=True):
        for name, value in want.items():
            if value is None:  # pages show a missing figure as NaN/None and missing text as ""
                assert got[name] in (None, "") or got[name] != got[name], (name, got[name])
            else:
                assert got[name] == value, (name, got[name], value)
    assert list(cache_dir(settings.home).glob(f"{published}-*.arrow"))


def test_publish_writes_the_columnar_cache_before_any_read(
    published: str, store: Store, settings: Settings
) -> None:
    """The first page run after a publication maps Arrow instead of parsing the CSV: the
    cache of every table of the new version exists as soon as `publish` returns, and a
    read from it types the cells as a fresh parse does."""
    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    written = {path.name.split("-")[0] for path in cache_dir(settings.home).glob("*.arrow")}
    assert {entry.sha256 for entry in version.resources} <= written
    descriptor = json.loads(store.objects.read_bytes(version.descriptor_sha256))
    spec = next(r for r in descriptor["resources"] if r["name"] == "extras")
    path = store.objects.path(published)
    from_cache = load_table(path, spec, published, cache_dir(settings.home)).table
    assert from_cache.equals(read_table(path, spec).table)


def _tamper_cache(home: Path, column: str = "budget_irr", *, reseal: bool = False) -> Path:
    """Multiply `column` by ten in the projects table's columnar cache file; with `reseal`,
    also rewrite its record so the file's hash matches again (a careful attacker)."""
    import hashlib

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.ipc

    for path in sorted(cache_dir(home).glob("*.arrow")):
        table = pa.ipc.open_file(pa.BufferReader(path.read_bytes())).read_all()  # not mapped
        if column in table.column_names:
            break
    else:
        raise AssertionError("no cached table with " + column)
    index = table.column_names.index(column)
    table = table.set_column(index, column, pc.multiply(table[column], 10))
    path.chmod(0o644)
    with path.open("wb") as out, pa.ipc.new_file(out, table.schema) as writer:
        writer.write_table(table)
    if reseal:
        record = path.with_suffix(".json")
        data = json.loads(record.read_text())
        data["arrow_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        record.write_text(json.dumps(data))
    return path


def _budgets(client: TestClient, *, fresh: bool = True) -> list[Any]:
    from portal.tables.reader import TABLES

    if fresh:
        TABLES.clear()  # as a worker started after the tampering would
    response = client.post(
        "/api/action/datastore_search",
        json={"resource_id": "mrud-yazd/infrastructure-projects/projects", "limit": 5},
    )
    assert response.status_code == 200, response.text
    return [row["budget_irr"] for row in response.json()["result"]["records"]]


def _csv_budgets(store: Store) -> list[int]:
    import csv

    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None
    text = store.objects.read_bytes(version.resources[0].sha256).decode("utf-8-sig")
    return [int(row["budget_irr"]) for row in list(csv.DictReader(io.StringIO(text)))[:5]]


def test_a_tampered_cache_file_is_never_served(samples: Store, settings: Settings) -> None:
    """Issue 21, item 8: budgets x10 in cache/tables/*.arrow; the API says the CSV's."""
    client = TestClient(open_data_app(settings))
    published = _csv_budgets(samples)
    assert _budgets(client) == published
    tampered = _tamper_cache(settings.home)
    assert _budgets(client) == published
    # Dropped and typed again from the object: the file holds the published figures again.
    assert tampered.exists() and tampered.with_suffix(".json").exists()
    assert _budgets(client) == published


def test_a_resealed_tampered_cache_file_is_named_by_verify(
    samples: Store, settings: Settings
) -> None:
    """A careful attacker rewrites the record too: verify types the object again and compares."""
    from portal.metadata.derived import verify_derived

    assert verify_derived(samples) == []
    tampered = _tamper_cache(settings.home, reseal=True)
    assert [(p.code, p.where) for p in verify_derived(samples)] == [
        ("cache_changed", str(tampered))
    ]


def test_a_cache_file_rewritten_in_place_under_a_running_worker_changes_nothing(
    samples: Store, settings: Settings
) -> None:
    """Found by hand on a served portal: the worker held the file memory-mapped, so a
    rewrite in place changed the figures it served without any read to check."""
    client = TestClient(open_data_app(settings))
    published = _csv_budgets(samples)
    assert _budgets(client) == published  # loaded and held by this "worker"
    _tamper_cache(settings.home)  # the same file, rewritten in place
    assert _budgets(client, fresh=False) == published


def test_a_resealed_tampered_cache_file_is_not_served_either(
    samples: Store, settings: Settings
) -> None:
    """Found by the attack rerun: the file and its record both rewritten (hash matching)
    were served. The record is sealed with a secret of the store's, which a resealer
    without it cannot forge: the file is dropped and typed again from the object."""
    client = TestClient(open_data_app(settings))
    published = _csv_budgets(samples)
    assert _budgets(client) == published
    _tamper_cache(settings.home, reseal=True)
    assert _budgets(client) == published
