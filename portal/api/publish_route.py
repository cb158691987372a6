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
from portal.leftovers import tag
from portal.limits import limited_stream, publish_rate
from portal.publish import PublishResult, publish
from portal.store import Store, reading
from portal.store.records import Agency
from portal.store.tokens import authenticate

_CHUNK = 1024 * 1024


def _publish_archive(archive: Path, config: Settings, token: str) -> PublishResult:
    """Runs in a worker thread: SQLite connections stay in the thread that opened them."""
    store = Store(config.home)
    try:
        return publish(store, archive, config, token=token)
    finally:
        store.close()


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("token.missing")
    return token.strip()


def _agency(config: Settings, token: str) -> Agency:
    with reading(config.home) as store:
        return authenticate(store.conn, token)


def _save(upload: UploadFile, archive: Path) -> None:
    """Copy the parser's spooled file to staging in chunks: never the whole upload in memory."""
    upload.file.seek(0)
    with archive.open("xb") as out:
        while chunk := upload.file.read(_CHUNK):
            out.write(chunk)


async def publish_endpoint(request: Request) -> JSONResponse:
    # Who is asking, and whether they may, is settled before a byte of the body is read.
    token = _bearer(request)
    config = settings(request)
    agency = await run_in_threadpool(_agency, config, token)
    await run_in_threadpool(publish_rate, config.home, agency.slug, config.publish_per_hour)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise IntakeRefused("api.publish_not_multipart", file="package")
    stream = limited_stream(request, config.max_upload_bytes, "upload")
    parser = MultiPartParser(request.headers, stream, max_files=1, max_fields=5)
    try:
        form = await parser.parse()
    except MultiPartException:
        raise IntakeRefused("intake.source_missing", file="package") from None
    upload = form.get("package")
    if not isinstance(upload, UploadFile):
        raise IntakeRefused("intake.source_missing", file="package")
    config.staging_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix=f"api{tag()}", dir=config.staging_dir) as folder:
            archive = Path(folder) / "upload.zip"
            await run_in_threadpool(_save, upload, archive)
            await upload.close()
            result = await run_in_threadpool(_publish_archive, archive, config, token)
    finally:
        await form.close()
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
