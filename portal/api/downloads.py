"""Stable download URLs: `/download/{agency}/{dataset}/{version|latest}/{file}`.

`{resource}.csv` is the published object itself (its sha256 is the manifest's and the
strong ETag; Range requests work). `?bom=1`, `.json`, `.xlsx` (Excel-ready, Persian by
default; `?form=raw` one machine-readable sheet), column filters and `package.zip` are
derived from it. Numbered versions never change, so they are cached
for a year; `latest` is revalidated.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, cast

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, MalformedRangeHeader, Response, StreamingResponse
from starlette.responses import RangeNotSatisfiable as StarletteRangeNotSatisfiable
from starlette.routing import Route

from portal.api.context import public_base_url, read_store
from portal.api.exports.excel import Source, write_excel
from portal.api.exports.formats import csv_stream, json_stream, write_package_zip, write_xlsx
from portal.api.exports.rows import date_columns, filtered, filters_from, read_rows
from portal.errors import GlassWallError, NotFound, RangeNotSatisfiable
from portal.metadata.datapackage import served_descriptor
from portal.metadata.descriptor import Descriptor
from portal.store import Store
from portal.store.records import ResourceEntry, Version

# Query parameters an `.xlsx` understands itself beside the column filters.
XLSX_OPTIONS = frozenset({"lang", "form"})
XLSX_FORMS = "excel-by-default"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


class RangedResponse(FileResponse):
    """A file whose unreadable or impossible Range is said in both languages (Starlette's
    own answers are an English text and an empty 416)."""

    @classmethod
    def _parse_range_header(cls, http_range: str, file_size: int) -> list[tuple[int, int]]:
        try:
            return super()._parse_range_header(http_range, file_size)
        except MalformedRangeHeader:
            raise GlassWallError("walk2.bad_range", range=http_range[:100]) from None
        except StarletteRangeNotSatisfiable:
            raise RangeNotSatisfiable(
                "walk2.range_not_satisfiable", range=http_range[:100], size=file_size
            ) from None


class ObjectResponse(RangedResponse):
    """A file sent in 1 MiB reads: 8x fewer thread hops than the default, memory still flat."""

    chunk_size = 1024 * 1024


def _not_found(request: Request) -> NotFound:
    return NotFound("api.not_found", what=request.url.path)


def _version_number(text: str) -> int:
    """The version in a path; -1 for anything SQLite could not hold (10^23 is not a version)."""
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return -1


def _version(store: Store, request: Request) -> Version:
    p = request.path_params
    segments = (p["agency"], p["dataset"], p["version"], p.get("file", "datapackage.json"))
    if not all(_SEGMENT.match(s) and ".." not in s for s in segments):
        raise _not_found(request)
    number = None if p["version"] == "latest" else _version_number(p["version"])
    if number == -1:
        raise _not_found(request)
    version = store.version(p["agency"], p["dataset"], number)
    if version is None:
        raise _not_found(request)
    return version


def _headers(version: Version, etag: str, request: Request, filename: str) -> dict[str, str]:
    latest = request.path_params["version"] == "latest"
    return {
        "ETag": etag,
        "Cache-Control": "no-cache" if latest else "public, max-age=31536000, immutable",
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Glasswall-Version": str(version.number),
    }


def _derived_etag(sha256: str, request: Request) -> str:
    address: tuple[object, ...] = (request.url.path, sorted(request.query_params.multi_items()))
    if request.url.path.endswith(".xlsx"):
        # Plain `.xlsx` was the one machine-readable sheet: the form named in the tag, a
        # cache holding that one gets the Excel-ready workbook, never a 304.
        address = (*address, XLSX_FORMS)
    variant = hashlib.sha256(repr(address).encode())
    return f'W/"{sha256}-{variant.hexdigest()[:16]}"'


def _temp_file(suffix: str) -> tuple[Path, BackgroundTask]:
    folder = Path(tempfile.mkdtemp(prefix="glasswall-export-"))
    return folder / f"export{suffix}", BackgroundTask(shutil.rmtree, folder, ignore_errors=True)


async def download(request: Request) -> Response:
    stem, _, ext = request.path_params["file"].rpartition(".")
    if ext not in MEDIA:
        raise _not_found(request)
    with read_store(request) as store:
        version = _version(store, request)
        if ext == "zip" and stem == "package":
            return await _package_zip(store, version, request)
        entry = version.resource(stem)
        if entry is None or ext == "zip":
            raise _not_found(request)
        query = request.query_params.multi_items()
        raw = ext == "csv" and not query
        etag = f'"{entry.sha256}"' if raw else _derived_etag(entry.sha256, request)
        filename = f"{version.agency}-{version.dataset}-v{version.number}-{entry.name}.{ext}"
        headers = _headers(version, etag, request, filename)
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        path = store.objects.path(entry.sha256)
        if raw:
            headers["X-Content-SHA256"] = entry.sha256
            return ObjectResponse(path, media_type=MEDIA["csv"], headers=headers)
        spec = store.resource_spec(version, entry.name)
        if ext == "xlsx" and _xlsx_form(request) == "excel":
            source = _excel_source(store, version, entry, request)
            return await _excel(request, path, {**spec, "name": entry.name}, headers, source)
    return await _derived(request, ext, path, spec, entry, headers)


def _bom(request: Request) -> bool:
    """`?bom=` in the usual yes/no words; any other word refused, since taking it for "no"
    silently gave the raw CSV (formulas live) to a reader who asked for Excel's."""
    value = request.query_params.get("bom")
    if value is None or value.strip().lower() in FALSE_WORDS:
        return False
    if value.strip().lower() in TRUE_WORDS:
        return True
    raise GlassWallError("download.bad_bom", file=request.url.path, value=value[:20])


def _xlsx_form(request: Request) -> str:
    """`.xlsx` is the Excel-ready workbook (in Persian unless `lang=en`): what the issue and a
    reader double-clicking the link expect. `?form=raw` keeps the one machine-readable sheet
    (field names, values as published) for scripts."""
    form = request.query_params.get("form", "excel")
    if form not in ("excel", "raw"):
        raise GlassWallError("download.bad_form", file=request.url.path, form=form[:20])
    return form


def _excel_source(store: Store, version: Version, entry: ResourceEntry, request: Request) -> Source:
    """What the Excel-ready workbook's source sheet says about where its rows come from."""
    descriptor = store.descriptor(version)
    agency = store.agency(version.agency)
    licences = descriptor.get("licenses") or [{}]
    first = licences[0] if isinstance(licences[0], dict) else {}
    licence = " ".join(str(first.get(k) or "") for k in ("title", "path")).strip()
    filters = [(k, v) for k, v in request.query_params.multi_items() if k not in XLSX_OPTIONS]
    v = version
    return Source(
        agency_fa=agency.title_fa if agency else v.agency,
        agency_en=agency.title_en if agency else v.agency,
        dataset=f"{v.agency}/{v.dataset}",
        title_fa=str(descriptor.get("title_fa") or ""),
        title_en=str(descriptor.get("title") or v.title),
        version=v.number,
        published=v.created_at,
        resource=entry.name,
        sha256=entry.sha256,
        address=f"{public_base_url(request)}/download/{v.agency}/{v.dataset}/{v.number}/"
        f"{entry.name}.csv",
        licence=licence or str(first.get("name") or ""),
        sample=bool(descriptor.get("sample")),
        filters=" & ".join(f"{k}={val}" for k, val in filters),
    )


async def _excel(
    request: Request, path: Path, spec: dict[str, Any], headers: dict[str, str], source: Source
) -> Response:
    where = f"{request.url.path}"
    lang = request.query_params.get("lang", "fa")
    if lang not in ("fa", "en"):
        raise GlassWallError("download.bad_lang", file=where, lang=lang[:20])
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in XLSX_OPTIONS]
    rows = filtered(read_rows(path, spec), filters_from(query), where, date_columns(spec))
    target, cleanup = _temp_file(".xlsx")
    try:
        await run_in_threadpool(write_excel, rows, spec, target, where, lang, source)
    except Exception:
        await cleanup()
        raise
    return RangedResponse(target, media_type=MEDIA["xlsx"], headers=headers, background=cleanup)


async def _derived(
    request: Request,
    ext: str,
    path: Path,
    spec: dict[str, Any],
    entry: ResourceEntry,
    headers: dict[str, str],
) -> Response:
    query = request.query_params.multi_items()
    if ext == "xlsx":
        query = [(k, v) for k, v in query if k != "form"]
    where = f"{request.url.path}"
    rows = filtered(read_rows(path, spec), filters_from(query), where, date_columns(spec))
    if ext == "csv":
        bom = _bom(request)
        return StreamingResponse(
            csv_stream(rows, bom=bom), media_type=MEDIA["csv"], headers=headers
        )
    if ext == "json":
        return StreamingResponse(json_stream(rows, spec), media_type=MEDIA["json"], headers=headers)
    target, cleanup = _temp_file(".xlsx")
    try:
        await run_in_threadpool(write_xlsx, rows, {**spec, "name": entry.name}, target, where)
    except Exception:
        await cleanup()
        raise
    return RangedResponse(target, media_type=MEDIA["xlsx"], headers=headers, background=cleanup)


async def datapackage(request: Request) -> Response:
    """The version's descriptor beside its files: `frictionless validate URL` reads it whole.
    `latest` names its version and points at that version's files (they never change)."""
    with read_store(request) as store:
        version = _version(store, request)
        etag = f'"{version.manifest_sha256}-datapackage"'
        headers = _headers(version, etag, request, "datapackage.json")
        headers["Content-Disposition"] = 'inline; filename="datapackage.json"'
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        stored = cast(Descriptor, store.descriptor(version))
    pinned = None
    if request.path_params["version"] == "latest":
        v = version
        pinned = f"{public_base_url(request)}/download/{v.agency}/{v.dataset}/{v.number}/"
    body = json.dumps(served_descriptor(stored, version, pinned), ensure_ascii=False, indent=2)
    return Response(body.encode(), media_type=MEDIA["json"], headers=headers)


async def _package_zip(store: Store, version: Version, request: Request) -> Response:
    """The package as published: datapackage.json, data files, the report and manifest."""
    etag = f'"{version.manifest_sha256}"'
    name = f"{version.agency}-{version.dataset}-v{version.number}.zip"
    headers = _headers(version, etag, request, name)
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    members: list[tuple[str, Path | bytes]] = [
        ("datapackage.json", store.objects.read_bytes(version.descriptor_sha256)),
        ("validation-report.json", store.objects.read_bytes(version.report_sha256)),
        ("manifest.json", store.objects.read_bytes(version.manifest_sha256)),
    ]
    members += [(r.path, store.objects.path(r.sha256)) for r in version.resources]
    target, cleanup = _temp_file(".zip")
    await run_in_threadpool(write_package_zip, members, target)
    return RangedResponse(target, media_type=MEDIA["zip"], headers=headers, background=cleanup)


ROUTES = [
    Route(
        "/download/{agency}/{dataset}/{version}/datapackage.json",
        datapackage,
        methods=["GET", "HEAD"],
    ),
    Route("/download/{agency}/{dataset}/{version}/{file}", download, methods=["GET", "HEAD"]),
]
