"""Every HTTP route the portal serves beside the glass wall, and its middleware."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal.api import (
    approval_route,
    cite_routes,
    downloads,
    feedback_route,
    health,
    open_routes,
    openapi,
    publish_route,
    release_routes,
    trust_routes,
)
from portal.api.ckan import route as ckan_route
from portal.api.compression import JSONGZip
from portal.api.cors import ReadOnlyCORS
from portal.errors import NotFound

# Paths this module serves; `portal.app` routes them here before the glass wall sees them.
OPEN_PREFIXES = (
    "/download/",
    "/api/",
    "/catalog",
    "/log.jsonl",
    "/objects/",
    "/health",
    "/feeds/",
    "/cite/",
    "/embed/",
    "/oembed",
)


async def not_found(request: Request) -> Response:
    raise NotFound("api.not_found", what=request.url.path)


def all_routes() -> list[BaseRoute]:
    return [
        *openapi.ROUTES,
        *downloads.ROUTES,
        *health.ROUTES,
        *publish_route.ROUTES,
        *approval_route.ROUTES,
        *release_routes.ROUTES,
        *feedback_route.ROUTES,
        *ckan_route.ROUTES,
        *open_routes.ROUTES,
        *trust_routes.ROUTES,
        *cite_routes.ROUTES,
        # Anything else under these prefixes is a JSON 404, never the glass wall's HTML.
        *(
            Route(f"/{prefix}/{{rest:path}}", not_found, methods=["GET", "POST", "HEAD"])
            for prefix in ("api", "download", "objects", "catalog", "feeds", "cite", "embed")
        ),
    ]


def all_middleware() -> list[Middleware]:
    return [Middleware(ReadOnlyCORS), Middleware(JSONGZip)]
