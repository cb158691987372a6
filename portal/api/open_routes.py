"""What lets anyone check and harvest the portal: DCAT-AP, the public log, the objects.

`/log.jsonl` and `/objects/{sha256}` are everything `glasswall verify --portal` needs to
prove, from outside, that the published history was not rewritten.
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from portal.api.context import public_base_url, read_store, settings
from portal.api.downloads import ObjectResponse, RangedResponse
from portal.errors import NotFound
from portal.metadata.dcat import dcat_catalog, dcat_document, schema_org
from portal.metadata.snapshot import SNAPSHOTS
from portal.store.files import StoreFiles
from portal.store.withheld import withheld

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
JSONLD = "application/ld+json"


class JSONLDResponse(JSONResponse):
    media_type = JSONLD


async def catalog_jsonld(request: Request) -> Response:
    snapshot = await run_in_threadpool(SNAPSHOTS.current, settings(request).home)
    return JSONLDResponse(dcat_catalog(public_base_url(request), snapshot))


async def dataset_jsonld(request: Request) -> Response:
    agency, dataset = request.path_params["agency"], request.path_params["dataset"]
    snapshot = await run_in_threadpool(SNAPSHOTS.current, settings(request).home)
    published = snapshot.find(agency, dataset)
    if published is None:
        raise NotFound("api.not_found", what=f"{agency}/{dataset}")
    base = public_base_url(request)
    if request.query_params.get("vocabulary") == "schema.org":
        return JSONLDResponse(schema_org(base, published))
    return JSONLDResponse(dcat_document(base, published))


async def public_log(request: Request) -> Response:
    path = StoreFiles(settings(request).home).log
    if not path.exists():
        return Response(b"", media_type="application/jsonl")
    # The log only grows: a verifier may fetch what is new with a Range request (one it
    # cannot be served is said in both languages, as the downloads say it).
    return RangedResponse(
        path, media_type="application/jsonl", headers={"Cache-Control": "no-cache"}
    )


async def stored_object(request: Request) -> Response:
    sha = request.path_params["sha256"]
    if not _SHA256.match(sha):
        raise NotFound("api.not_found", what=sha)
    with read_store(request) as store:
        if not store.objects.has(sha) or withheld(store, sha):  # sealed until released
            raise NotFound("api.not_found", what=sha)
        path = store.objects.path(sha)
    headers = {"ETag": f'"{sha}"', "Cache-Control": "public, max-age=31536000, immutable"}
    return ObjectResponse(path, media_type="application/octet-stream", headers=headers)


ROUTES = [
    Route("/catalog.jsonld", catalog_jsonld),
    Route("/catalog/{agency}/{dataset}.jsonld", dataset_jsonld),
    Route("/log.jsonl", public_log, methods=["GET", "HEAD"]),
    Route("/objects/{sha256}", stored_object, methods=["GET", "HEAD"]),
]
