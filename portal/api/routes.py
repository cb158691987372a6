"""Every HTTP route the portal serves beside the glass wall."""

from __future__ import annotations

from starlette.routing import BaseRoute

from portal.api import downloads, publish_route


def all_routes() -> list[BaseRoute]:
    return [*downloads.ROUTES, *publish_route.ROUTES]
