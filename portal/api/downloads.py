"""Stable download URLs: `/download/{agency}/{dataset}/{version|latest}/{resource}.csv`.

The bytes served are the published object itself, so their sha256 is the manifest's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from portal.api.context import read_store
from portal.errors import NotFound
from portal.store import catalog


def _version_number(text: str) -> int | None:
    if text == "latest":
        return None
    if not text.isdigit():
        raise NotFound("cli.not_found", what=text)
    return int(text)


async def download_resource(request: Request) -> Response:
    params = request.path_params
    ref = f"{params['agency']}/{params['dataset']}/{params['version']}/{params['resource']}"
    number = _version_number(params["version"])
    with read_store() as store:
        version = catalog.version(store.conn, params["agency"], params["dataset"], number)
        entry = version.resource(params["resource"]) if version else None
        if version is None or entry is None:
            raise NotFound("cli.not_found", what=ref)
        path = store.objects.path(entry.sha256)
    filename = f"{version.agency}-{version.dataset}-v{version.number}-{entry.name}.csv"
    cache = "public, max-age=31536000, immutable" if number is not None else "no-cache"
    return FileResponse(
        path,
        media_type=f"{entry.mediatype}; charset=utf-8",
        filename=filename,
        headers={
            "ETag": f'"{entry.sha256}"',
            "Cache-Control": cache,
            "X-Content-SHA256": entry.sha256,
        },
    )


async def health(request: Request) -> JSONResponse:
    with read_store() as store:
        count = len(catalog.datasets(store.conn))
    return JSONResponse({"status": "ok", "datasets": count})


ROUTES = [
    Route("/download/{agency}/{dataset}/{version}/{resource}.csv", download_resource),
    Route("/health", health),
]
