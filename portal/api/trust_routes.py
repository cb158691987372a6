"""Trust across versions over HTTP: project histories, signals, explanations, Atom feeds.

Feeds are rebuilt only when the public log changes (each publication appends to it).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.api.ckan.params import Params
from portal.api.context import public_base_url, settings
from portal.errors import NotFound
from portal.store import Store, public_log, reading
from portal.store.files import StoreFiles
from portal.store.records import Version
from portal.trust import feeds
from portal.trust.history import project_history
from portal.trust.published import explained_changes, signals

ATOM = "application/atom+xml; charset=utf-8"
_FEEDS: dict[tuple[Any, ...], bytes] = {}
_LOCK = threading.Lock()


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"success": True, "result": result})


def _version(store: Store, request: Request) -> Version:
    """`?version=N` of the dataset, else its latest. A version that is not a whole number
    from 1 to the latest is a bilingual 409 naming the range (a huge one overflowed SQLite
    into a 500; `-1` or `abc` silently gave the latest)."""
    agency, dataset = request.path_params["agency"], request.path_params["dataset"]
    latest = store.version(agency, dataset)
    if latest is None:
        raise NotFound("api.dataset_not_found", what=f"{agency}/{dataset}")
    wanted = request.query_params.get("version", "")
    if not wanted:
        return latest
    number = Params({"version": wanted}).integer(
        "version", latest.number, minimum=1, maximum=latest.number
    )
    version = store.version(agency, dataset, number)
    if version is None:
        raise NotFound("api.dataset_not_found", what=f"{agency}/{dataset}@{number}")
    return version


def _history(home: Path, agency: str, project: str) -> dict[str, Any]:
    with reading(home) as store:
        return project_history(store, agency, project)


async def history(request: Request) -> Response:
    agency, project = request.path_params["agency"], request.path_params["project"]
    return _ok(await run_in_threadpool(_history, settings(request).home, agency, project))


def _trust_document(home: Path, request: Request, kind: str) -> dict[str, Any]:
    with reading(home) as store:
        version = _version(store, request)
        document: Any = (
            signals(store, version)
            if kind == "signals"
            else {"changes": explained_changes(store, version)}
        )
        return {"agency": version.agency, "dataset": version.dataset, "version": version.number,
                **(document or {"signals": None})}  # fmt: skip


async def signals_endpoint(request: Request) -> Response:
    return _ok(await run_in_threadpool(_trust_document, settings(request).home, request, "signals"))


async def explanations_endpoint(request: Request) -> Response:
    return _ok(
        await run_in_threadpool(_trust_document, settings(request).home, request, "explanations")
    )


def _publications(home: Path, base: str, agency: str | None, dataset: str | None) -> bytes:
    key = (home, public_log.generation(StoreFiles(home).log), base, agency, dataset)
    with _LOCK:
        if key in _FEEDS:
            return _FEEDS[key]
    with reading(home) as store:
        if agency is not None and store.agency(agency) is None:
            raise NotFound("api.not_found", what=agency)
        if dataset is not None and store.version(agency or "", dataset) is None:
            raise NotFound("api.dataset_not_found", what=f"{agency}/{dataset}")
        body = feeds.publications(store, base, agency, dataset)
    with _LOCK:
        if len(_FEEDS) > 256:
            _FEEDS.clear()
        _FEEDS[key] = body
    return body


async def publications_feed(request: Request) -> Response:
    agency = request.path_params.get("agency")
    dataset = request.path_params.get("dataset")
    home, base = settings(request).home, public_base_url(request)
    body = await run_in_threadpool(_publications, home, base, agency, dataset)
    return Response(body, media_type=ATOM)


def _answers(home: Path, base: str) -> bytes:
    with reading(home) as store:
        return feeds.answers(store, base)


async def answers_feed(request: Request) -> Response:
    body = await run_in_threadpool(_answers, settings(request).home, public_base_url(request))
    return Response(body, media_type=ATOM)


ROUTES = [
    Route("/api/projects/{agency}/{project}/history", history),
    Route("/api/datasets/{agency}/{dataset}/signals", signals_endpoint),
    Route("/api/datasets/{agency}/{dataset}/explanations", explanations_endpoint),
    Route("/feeds/publications.atom", publications_feed),
    Route("/feeds/answers.atom", answers_feed),
    Route("/feeds/{agency}.atom", publications_feed),
    Route("/feeds/{agency}/{dataset}.atom", publications_feed),
]
