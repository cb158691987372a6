"""Read-only CORS: any web page may read the open data; none may publish through a visitor.

Only the open paths get CORS headers. `/api/publish` gets none, so a browser refuses a
cross-site request carrying an agency token.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

OPEN_PREFIXES = (
    "/download/",
    "/api/3/action/",
    "/api/action/",
    "/catalog",
    "/log.jsonl",
    "/objects/",
)


class ReadOnlyCORS:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Content-Type", "Range", "If-None-Match"],
            expose_headers=["ETag", "Content-Range", "X-Content-SHA256", "X-Glasswall-Version"],
            max_age=86400,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(OPEN_PREFIXES):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
