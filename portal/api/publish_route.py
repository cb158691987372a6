"""`POST /api/publish`: the same intake -> validation -> store pipeline, over HTTP."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal.api.context import settings
from portal.config import Settings
from portal.errors import IntakeRefused, Unauthorized
from portal.limits import RateLimiter, limited_stream
from portal.publish import PublishResult, publish
from portal.store import Store
from portal.store.tokens import token_hash
from portal.trust.explanations import Explanation, parse_text

_LIMITERS: dict[tuple[str, int], RateLimiter] = {}


def _limiter(settings: Settings) -> RateLimiter:
    """One limiter per store and rate: the limit protects one store."""
    key = (str(settings.home), settings.publish_per_hour)
    return _LIMITERS.setdefault(key, RateLimiter(settings.publish_per_hour, 3600))


def _publish_archive(
    archive: Path, config: Settings, token: str, given: list[Explanation]
) -> PublishResult:
    """Runs in a worker thread: SQLite connections stay in the thread that opened them."""
    store = Store(config.home)
    try:
        return publish(store, archive, config, token=token, explanations=given)
    finally:
        store.close()


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("token.missing")
    return token.strip()


async def publish_endpoint(request: Request) -> JSONResponse:
    token = _bearer(request)
    config = settings(request)
    _limiter(config).check(token_hash(token), "api.publish_rate_limited")
    stream = limited_stream(request, config.max_upload_bytes, "upload")
    parser = MultiPartParser(request.headers, stream, max_files=1, max_fields=5)
    try:
        form = await parser.parse()
    except MultiPartException:
        raise IntakeRefused("intake.source_missing", file="package") from None
    upload = form.get("package")
    if not isinstance(upload, UploadFile):
        raise IntakeRefused("intake.source_missing", file="package")
    explained = form.get("explanations")
    given = parse_text(explained, "explanations") if isinstance(explained, str) else []
    config.staging_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=config.staging_dir) as folder:
        archive = Path(folder) / "upload.zip"
        archive.write_bytes(await upload.read())
        result = await run_in_threadpool(_publish_archive, archive, config, token, given)
    v = result.version
    body = {
        "success": True,
        "unchanged": result.unchanged,
        "published": {"agency": v.agency, "dataset": v.dataset, "version": v.number},
        "manifest_sha256": v.manifest_sha256,
        "report": result.report.to_dict(),
    }
    return JSONResponse(body, status_code=200 if result.unchanged else 201)


ROUTES = [Route("/api/publish", publish_endpoint, methods=["POST"])]
