"""`POST /api/publish`: the same intake -> validation -> store pipeline, over HTTP."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal.api.context import settings
from portal.config import Settings
from portal.errors import IntakeRefused, Unauthorized
from portal.limits import RateLimiter, limited_stream
from portal.publish import PublishResult, publish
from portal.sheets.build import SHEET_SUFFIXES, SheetOptions
from portal.sheets.clerk import clerk_report
from portal.store import Store
from portal.store.tokens import token_hash
from portal.trust.explanations import Explanation, parse_text

_LIMITERS: dict[tuple[str, int], RateLimiter] = {}
SHEET_FIELDS = ("dataset", "title_fa", "title_en", "description_fa", "description_en")


def _limiter(settings: Settings) -> RateLimiter:
    """One limiter per store and rate: the limit protects one store."""
    key = (str(settings.home), settings.publish_per_hour)
    return _LIMITERS.setdefault(key, RateLimiter(settings.publish_per_hour, 3600))


def _publish_archive(
    archive: Path,
    config: Settings,
    token: str,
    given: list[Explanation],
    sheet: SheetOptions,
    fix: bool,
) -> PublishResult:
    """Runs in a worker thread: SQLite connections stay in the thread that opened them."""
    store = Store(config.home)
    try:
        return publish(
            store, archive, config, token=token, explanations=given, sheet=sheet, fix=fix
        )
    finally:
        store.close()


def _upload_name(upload: UploadFile) -> str:
    """A workbook or CSV keeps its name (messages and the version's record cite it, and its
    suffix says how to read it), cleaned of anything but letters, digits and `.-_ ()`."""
    name = Path((upload.filename or "").replace("\\", "/")).name
    if Path(name).suffix.lower() not in SHEET_SUFFIXES:
        return "upload.zip"
    clean = re.sub(r"[^\w.\- ()\u200c]", "_", name).lstrip(".")
    return clean[-120:] or "upload.csv"


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


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
    parser = MultiPartParser(request.headers, stream, max_files=1, max_fields=12)
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
    sheet = SheetOptions(*(_field(form, name) for name in SHEET_FIELDS))
    fix = _field(form, "fix") in ("1", "true", "yes")
    with tempfile.TemporaryDirectory(dir=config.staging_dir) as folder:
        archive = Path(folder) / _upload_name(upload)
        archive.write_bytes(await upload.read())
        result = await run_in_threadpool(
            _publish_archive, archive, config, token, given, sheet, fix
        )
    v = result.version
    body: dict[str, object] = {
        "success": True,
        "unchanged": result.unchanged,
        "published": {"agency": v.agency, "dataset": v.dataset, "version": v.number},
        "manifest_sha256": v.manifest_sha256,
        "report": result.report.to_dict(),
    }
    if result.built is not None:
        clerk = clerk_report(result.report, result.built, result.filled, version=v.number)
        body["clerk"] = clerk.to_dict()
    elif result.filled:
        body["filled_from_profile"] = result.filled
    return JSONResponse(body, status_code=200 if result.unchanged else 201)


ROUTES = [Route("/api/publish", publish_endpoint, methods=["POST"])]
