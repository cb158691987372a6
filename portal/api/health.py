"""`/health`: is this process serving? The balancer and the supervisor ask it often."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal.api.context import settings
from portal.metadata.snapshot import SNAPSHOTS


async def health(request: Request) -> JSONResponse:
    # Answered on the event loop when nothing was published since: a busy worker pool
    # (exports, searches) must not make the portal look dead.
    home = settings(request).home
    snapshot = SNAPSHOTS.fresh(home)
    if snapshot is None:
        snapshot = await run_in_threadpool(SNAPSHOTS.current, home)
    return JSONResponse({"status": "ok", "datasets": len(snapshot.datasets)})


ROUTES = [Route("/health", health)]
