"""One handler turns every GlassWallError into a response with its own status: JSON, or
the door's bilingual error page for a browser opening a page route (a citation link)."""

from __future__ import annotations

import sqlite3

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from portal.api.cite_routes import PAGE_PREFIXES
from portal.api.negotiation import asks_page
from portal.door.render import error_document
from portal.errors import (
    GlassWallError,
    InsufficientStorage,
    InvalidPackage,
    MethodNotAllowed,
    TooManyRequests,
)
from portal.store.disk import is_disk_full


def wants_page(request: Request) -> bool:
    """A browser on a page route: it names text/html, at least as much as JSON. An API
    client (JSON asked, `*/*`, nothing, `?format=json`) keeps the JSON error."""
    return request.url.path.startswith(PAGE_PREFIXES) and asks_page(request)


async def glasswall_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GlassWallError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else {}
    headers.update(getattr(exc, "http_headers", {}))
    if request.url.path.startswith(PAGE_PREFIXES):
        headers["Vary"] = "Accept"  # one address, a page or JSON as the client asks
    if wants_page(request) and exc.http_status < 500:
        title = "door.not_found.title" if exc.http_status == 404 else "polish.error.title"
        page = error_document(exc.message, title)
        return HTMLResponse(page, status_code=exc.http_status, headers=headers)
    body: dict[str, object] = {
        "success": False,
        "error": {"__type": exc.ckan_type, "code": exc.key, "message": exc.message},
    }
    if isinstance(exc, InvalidPackage):
        body["report"] = exc.report.to_dict()
        if exc.clerk is not None:
            body["clerk"] = exc.clerk.to_dict()
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """A route asked with a method it does not take is said in both languages (Starlette's
    own answer is the English 'Method Not Allowed'); other HTTP errors answer as Starlette's."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = headers.get("Allow", "GET")
        refused = MethodNotAllowed(
            "walk2.method_not_allowed", method=request.method, allowed=allowed
        )
        answer = await glasswall_error(request, refused)
        answer.headers["Allow"] = allowed
        return answer
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=headers)
    return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=headers)


async def os_error(request: Request, exc: Exception) -> Response:
    """A full disk is the server's 507, said in both languages; anything else stays a 500."""
    assert isinstance(exc, OSError)
    if is_disk_full(exc):
        return await glasswall_error(request, InsufficientStorage("server.disk_full"))
    return await server_error(request, exc)


async def sqlite_error(request: Request, exc: Exception) -> Response:
    """SQLite says a full disk its own ways (SQLITE_FULL; an I/O error with no room left)."""
    assert isinstance(exc, sqlite3.Error)
    if is_disk_full(exc, request.app.state.settings.home):
        return await glasswall_error(request, InsufficientStorage("server.disk_full"))
    return await server_error(request, exc)


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    """The last resort: still JSON, still bilingual, never a traceback."""
    failure = GlassWallError("server.error")
    body = {
        "success": False,
        "error": {
            "__type": "Internal Server Error",
            "code": failure.key,
            "message": failure.message,
        },
    }
    return JSONResponse(body, status_code=500)


EXCEPTION_HANDLERS = {
    GlassWallError: glasswall_error,
    HTTPException: http_error,
    OSError: os_error,
    sqlite3.Error: sqlite_error,
    Exception: server_error,
}
