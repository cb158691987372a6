"""`/api/openapi.json` describes every route the portal serves beside the glass wall, and
nothing else: the route table is walked both ways (as a test of `__all__` keeps it honest)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from portal.api import ckan
from portal.api.openapi import DOCUMENT, PATHS
from portal.api.routes import not_found
from portal.app import open_data_app
from portal.config import Settings
from portal.door.front import MACHINE_PATHS, Door
from portal.store import Store

_METHODS = ("get", "post", "put", "patch", "delete")


def served(settings: Settings) -> set[tuple[str, str]]:
    """(path, method) for every route of the open-data app, less its catch-all 404s, and
    every machine address of the door (GET: the door answers GET and HEAD only)."""
    found: set[tuple[str, str]] = set()
    for route in open_data_app(settings).routes:
        assert isinstance(route, Route), route
        if route.endpoint is not_found:
            continue
        found |= {(route.path, m.lower()) for m in route.methods or () if m != "HEAD"}
    return found | {(path, "get") for path in MACHINE_PATHS}


def described() -> set[tuple[str, str]]:
    return {(path, method) for path, item in PATHS.items() for method in item if method in _METHODS}


def test_every_route_is_described_and_every_description_is_a_route(settings: Settings) -> None:
    routes, document = served(settings), described()
    assert sorted(routes - document) == [], "served but not in /api/openapi.json"
    assert sorted(document - routes) == [], "in /api/openapi.json but not served"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in PATHS.items()
        for method, operation in item.items()
        if method in _METHODS
    ]


@pytest.mark.parametrize(("path", "method", "operation"), _operations())
def test_each_operation_names_its_path_parameters_and_answers(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    in_path = set(re.findall(r"{(\w+)}", path))
    declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
    assert declared == in_path
    assert all(p["required"] for p in operation.get("parameters", []) if p["in"] == "path")
    assert operation["summary"] and operation["responses"]
    assert any(code.startswith("2") for code in operation["responses"])


def _query_names(operations: list[dict[str, Any]]) -> set[str]:
    return {p["name"] for op in operations for p in op.get("parameters", []) if p["in"] == "query"}


def test_every_query_parameter_a_handler_reads_is_described(settings: Settings) -> None:
    """Each name a route's module reads from the query string is a query parameter of one of
    that module's operations (the download's column filters are the free-form `columns`)."""
    by_module: dict[str, list[dict[str, Any]]] = {}
    for route in open_data_app(settings).routes:
        assert isinstance(route, Route)
        if route.endpoint is not_found:
            continue
        module = inspect.getsourcefile(route.endpoint)
        item = PATHS[route.path]
        by_module.setdefault(str(module), []).extend(item[m] for m in item if m in _METHODS)
    by_module[str(inspect.getsourcefile(Door))] = [PATHS[p]["get"] for p in MACHINE_PATHS]
    read = re.compile(r'query_params(?:\.get)?[\[(]"([\w.]+)"')
    for module, operations in by_module.items():
        names = set(read.findall(Path(module).read_text()))
        assert names <= _query_names(operations), module
    # The Action API reads its parameters through `Params`, in every module of the package.
    ckan_read = re.compile(r'params\.\w+\(\s*"([\w.]+)"')
    folder = Path(inspect.getfile(ckan)).parent
    names = {n for f in folder.glob("*.py") for n in ckan_read.findall(f.read_text())}
    assert names and names <= _query_names([PATHS["/api/3/action/{name}"]["get"]])


def test_the_download_describes_its_column_filters_and_workbook_options() -> None:
    parameters = {
        p["name"]: p
        for p in PATHS["/download/{agency}/{dataset}/{version}/{file}"]["get"]["parameters"]
    }
    columns = parameters["columns"]
    assert columns["style"] == "form" and columns["explode"] is True
    assert columns["schema"]["additionalProperties"] == {"type": "string"}
    assert parameters["lang"]["schema"]["enum"] == ["fa", "en"]
    assert parameters["form"]["schema"]["enum"] == ["raw"]


def test_the_served_document_is_this_one(settings: Settings) -> None:
    client = TestClient(open_data_app(settings))
    assert client.get("/api/openapi.json").json() == DOCUMENT


async def _dashboard(scope: Scope, receive: Receive, send: Send) -> None:
    from starlette.responses import PlainTextResponse

    await PlainTextResponse("the dashboard")(scope, receive, send)


def test_the_door_answers_each_machine_address_itself(samples: Store, settings: Settings) -> None:
    """The door's addresses in the document are the door's, not the dashboard's."""
    door = TestClient(Door(_dashboard, settings.home))
    for path, query in (
        ("/robots.txt", ""),
        ("/sitemap.xml", ""),
        ("/sitemap-1.xml", ""),
        ("/og.png", "?page=/&lang=en"),
    ):
        answer = door.get(path + query)
        assert answer.status_code == 200 and answer.text != "the dashboard", path
    assert door.get("/sitemap-2.xml").status_code == 404  # one part only


def test_each_records_format_described_is_answered(client: TestClient, samples: Store) -> None:
    """The document offered `records_format=csv`, which the action refuses: a journalist
    scripting from /api/openapi.json got a 409 for a documented value."""
    (described,) = [
        p["description"]
        for p in PATHS["/api/3/action/{name}"]["get"]["parameters"]
        if p["name"] == "records_format"
    ]
    offered = re.findall(r"\b(objects|lists|csv|tsv)\b", described)
    assert "objects" in offered and "lists" in offered
    for form in offered:
        answer = client.post(
            "/api/3/action/datastore_search",
            json={
                "resource_id": "mrud-yazd/infrastructure-projects/projects",
                "records_format": form,
                "limit": 1,
            },
        )
        assert answer.status_code == 200, (form, answer.json())
