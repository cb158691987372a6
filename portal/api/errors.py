"""One handler turns every GlassWallError into a JSON response with its own status."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request
from starlette.responses import JSONResponse

from portal.errors import GlassWallError, InsufficientStorage, InvalidPackage, TooManyRequests
from portal.store.disk import is_disk_full


async def glasswall_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GlassWallError)
    body: dict[str, object] = {
        "success": False,
        "error": {"__type": exc.ckan_type, "code": exc.key, "message": exc.message},
    }
    if isinstance(exc, InvalidPackage):
        body["report"] = exc.report.to_dict()
        if exc.clerk is not None:
            body["clerk"] = exc.clerk.to_dict()
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return JSONResponse(body, status_code=exc.http_status, headers=headers)


async def os_error(request: Request, exc: Exception) -> JSONResponse:
    """A full disk is the server's 507, said in both languages; anything else stays a 500."""
    assert isinstance(exc, OSError)
    if is_disk_full(exc):
        return await glasswall_error(request, InsufficientStorage("server.disk_full"))
    return await server_error(request, exc)


async def sqlite_error(request: Request, exc: Exception) -> JSONResponse:
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
    OSError: os_error,
    sqlite3.Error: sqlite_error,
    Exception: server_error,
}
