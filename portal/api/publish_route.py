"""`POST /api/publish`: the same intake -> validation -> store pipeline, over HTTP."""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
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
from portal.i18n import bilingual
from portal.intake.leftovers import tag
from portal.intake.limits import limited_stream
from portal.intake.sheets.clerk import clerk_report
from portal.intake.sheets.options import SHEET_SUFFIXES, SheetOptions
from portal.publishing.admission import Publisher, admit
from portal.publishing.publish import PublishResult, publish_as
from portal.publishing.release_time import from_iso, parse_when, tehran
from portal.store import reading, writing
from portal.store.releases import Release
from portal.trust.explanations import Explanation, parse_text
from portal.validation.rules.packs import rule_packs

_CHUNK = 1024 * 1024
SHEET_FIELDS = ("dataset", "title_fa", "title_en", "description_fa", "description_en")


def _publish_archive(
    archive: Path,
    config: Settings,
    member: Publisher,
    given: list[Explanation],
    sheet: SheetOptions,
    fix: bool,
    release_at: datetime | None = None,
) -> PublishResult:
    """Runs in a worker thread: SQLite connections stay in the thread that opened them."""
    store = writing(config.home)
    try:
        return publish_as(
            store,
            archive,
            config,
            member,
            explanations=given,
            sheet=sheet,
            fix=fix,
            release_at=release_at,
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


def _admit(config: Settings, token: str) -> Publisher:
    """The one authentication and the one count against the agency's publish limit."""
    with reading(config.home) as store:
        return admit(store, config, token)


def _save(upload: UploadFile, archive: Path) -> None:
    """Copy the parser's spooled file to staging in chunks: never the whole upload in memory."""
    upload.file.seek(0)
    with archive.open("xb") as out:
        while chunk := upload.file.read(_CHUNK):
            out.write(chunk)


def sealed_body(release: Release) -> dict[str, object]:
    """A sealed release as the publisher hears of it: what, when, and the commitment."""
    planned = from_iso(release.planned_at)
    return {
        "sealed": {
            "agency": release.agency,
            "dataset": release.dataset,
            "version": release.version,
            "release_at": release.planned_at,
            "commitment": release.commitment,
        },
        "message": bilingual(
            "release.sealed",
            agency=release.agency,
            dataset=release.dataset,
            version=release.version,
            when_fa=tehran(planned, "fa"),
            when_en=tehran(planned, "en"),
        ),
    }


async def publish_endpoint(request: Request) -> JSONResponse:
    # Who is asking, and whether they may, is settled before a byte of the body is read.
    token = _bearer(request)
    config = settings(request)
    member = await run_in_threadpool(_admit, config, token)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise IntakeRefused("api.publish_not_multipart", file="package")
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
    rules = rule_packs(config.validators)
    given = parse_text(explained, "explanations", rules) if isinstance(explained, str) else []
    config.staging_dir.mkdir(parents=True, exist_ok=True)
    sheet = SheetOptions(*(_field(form, name) for name in SHEET_FIELDS))
    fix = _field(form, "fix") in ("1", "true", "yes")
    given_time = _field(form, "release_at")
    release_at = parse_when(given_time) if given_time else None
    try:
        with tempfile.TemporaryDirectory(prefix=f"api{tag()}", dir=config.staging_dir) as folder:
            archive = Path(folder) / _upload_name(upload)
            await run_in_threadpool(_save, upload, archive)
            await upload.close()
            result = await run_in_threadpool(
                _publish_archive, archive, config, member, given, sheet, fix, release_at
            )
    finally:
        await form.close()
    if result.release is not None:
        return JSONResponse(
            {"success": True, **sealed_body(result.release), "report": result.report.to_dict()},
            status_code=202,
        )
    if result.draft is not None:
        d = result.draft
        waiting: dict[str, object] = {
            "success": True,
            "waiting_for_approval": True,
            "draft": {
                "agency": d.agency,
                "dataset": d.dataset,
                "sha256": d.sha256,
                "prepared_by": d.preparer(),
            },
            "message": bilingual(
                "draft.waiting", agency=d.agency, dataset=d.dataset, name=d.prepared_name
            ),
            "report": result.report.to_dict(),
        }
        return JSONResponse(waiting, status_code=202)
    v = result.published()
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
