"""The release calendar over HTTP: `/api/releases`, `/feeds/releases.ics`, `.atom`."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.api.context import public_base_url, settings
from portal.store import reading
from portal.trust import calendar
from portal.trust.calendar import CalendarRelease


def _releases(home: Path, agency: str | None) -> list[CalendarRelease]:
    with reading(home) as store:
        return calendar.releases(store, agency)


async def releases_endpoint(request: Request) -> JSONResponse:
    agency = request.query_params.get("agency") or None
    found = await run_in_threadpool(_releases, settings(request).home, agency)
    return JSONResponse(
        {"success": True, "count": len(found), "releases": [r.to_dict() for r in found]},
        headers={"Cache-Control": "no-cache"},
    )


async def releases_ics(request: Request) -> Response:
    found = await run_in_threadpool(_releases, settings(request).home, None)
    return Response(
        calendar.ics(found, public_base_url(request)), media_type="text/calendar; charset=utf-8"
    )


async def releases_atom(request: Request) -> Response:
    found = await run_in_threadpool(_releases, settings(request).home, None)
    return Response(
        calendar.atom(found, public_base_url(request)), media_type="application/atom+xml"
    )


# Before `/feeds/{agency}.atom`, which would take `releases` for an agency.
ROUTES = [
    Route("/api/releases", releases_endpoint),
    Route("/feeds/releases.ics", releases_ics),
    Route("/feeds/releases.atom", releases_atom),
]
