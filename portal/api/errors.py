"""One handler turns every GlassWallError into a JSON response with its own status."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from portal.errors import GlassWallError, InvalidPackage, TooManyRequests


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


EXCEPTION_HANDLERS = {GlassWallError: glasswall_error}
