"""`/api/3/action/{name}` and `/api/action/{name}`: CKAN's envelope and status codes.

Errors keep CKAN's `__type` (so ckanapi raises NotFound, ValidationError, ...) and carry
the message in Persian and English, one string for CKAN clients and both apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.api.ckan.actions import ACTIONS, ActionContext
from portal.api.ckan.answers import ANSWERS
from portal.api.ckan.index import INDEXES
from portal.api.ckan.params import Params, strict_json
from portal.api.context import public_base_url, settings
from portal.errors import BadParameter, GlassWallError, TooManyRequests, UnknownAction
from portal.intake.limits import read_body

MAX_ACTION_BODY = 1024 * 1024
# Actions answered from the in-memory index alone (no file read, no table scan).
# package_search parses and scans on every miss: off the event loop, like any CPU work.
# datastore_search_sql runs for up to its time limit: always in a worker thread.
IN_MEMORY = frozenset(ACTIONS) - {"datastore_search", "package_search", "datastore_search_sql"}


def _help(base_url: str, name: str) -> str:
    return f"{base_url}/api/3/action/help_show?name={name}"


def ckan_error(exc: GlassWallError, help_url: str) -> JSONResponse:
    error: dict[str, Any] = {
        "__type": exc.ckan_type,
        "message": f"{exc.message['fa']} — {exc.message['en']}",
        "messages": exc.message,
        "code": exc.key,
    }
    if isinstance(exc, BadParameter):
        error[exc.field] = [exc.message["en"]]
    body = {"help": help_url, "success": False, "error": error}
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


async def _params(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        body = await read_body(request, MAX_ACTION_BODY)
        if body.strip():
            try:
                posted = strict_json(body)
            except (ValueError, RecursionError):
                raise BadParameter("api.bad_json", field="body") from None
            if not isinstance(posted, dict):
                raise BadParameter("api.bad_json", field="body")
            data.update(posted)
    return data


def _answer(home: Path, name: str, base_url: str, data: dict[str, Any], help_url: str) -> bytes:
    """In a worker thread: the first call after a publication rebuilds the index."""
    index = INDEXES.current(home, base_url)
    result = ACTIONS[name](ActionContext(home, base_url, index), Params(data))
    return _encode({"help": help_url, "success": True, "result": result})


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


async def action_endpoint(request: Request) -> Response:
    name = request.path_params["name"]
    base_url = public_base_url(request)
    help_url = _help(base_url, name)
    try:
        if name not in ACTIONS:
            raise UnknownAction("api.unknown_action", name=name)
        data = await _params(request)
        home = settings(request).home
        index = INDEXES.fresh(home, base_url)
        key = ANSWERS.key(index, base_url, name, data) if index is not None else None
        body = ANSWERS.get(key) if key is not None else None
        if body is None and index is not None and name in IN_MEMORY:
            body = _answer(home, name, base_url, data, help_url)  # microseconds: no thread hop
        if body is None:
            body = await run_in_threadpool(_answer, home, name, base_url, data, help_url)
            if key is not None:
                ANSWERS.put(key, body)
    except GlassWallError as exc:
        return ckan_error(exc, help_url)
    return Response(body, media_type="application/json")


ROUTES = [
    Route("/api/3/action/{name}", action_endpoint, methods=["GET", "POST"]),
    Route("/api/action/{name}", action_endpoint, methods=["GET", "POST"]),
]
