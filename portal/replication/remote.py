"""Publishing to a running portal over HTTP (`glasswall publish --portal URL`)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx

from portal.errors import RemoteUnreachable
from portal.intake.sheets.options import SheetOptions, is_sheet_source


def zip_source(source: Path) -> bytes:
    """The upload as zip bytes: a .zip as is, a folder or descriptor's folder zipped."""
    if source.suffix.lower() == ".zip":
        return source.read_bytes()
    folder = source if source.is_dir() else source.parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def publish_remote(
    source: Path,
    token: str,
    portal: str,
    explain: Path | None = None,
    *,
    sheet: SheetOptions | None = None,
    fix: bool = False,
    release_at: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """POST the package or workbook/CSV (with its options, and an explanations file) to
    `{portal}/api/publish`."""
    url = portal.rstrip("/") + "/api/publish"
    fields: dict[str, str] = {}
    if explain:
        fields["explanations"] = explain.read_text(encoding="utf-8")
    if release_at:  # sealed by the portal, published there at that hour
        fields["release_at"] = release_at
    if is_sheet_source(source):
        upload = (source.name, source.read_bytes(), "application/octet-stream")
        fields.update({k: v for k, v in asdict(sheet or SheetOptions()).items() if v})
        if fix:
            fields["fix"] = "1"
    else:
        upload = (source.name + ".zip", zip_source(source), "application/zip")
    try:
        response = httpx.post(
            url,
            headers={"Authorization": f"Bearer {token}"},
            files={"package": upload},
            data=fields or None,
            timeout=600,
        )
    except httpx.TimeoutException:
        raise RemoteUnreachable("walk.remote_timeout", url=url) from None
    except httpx.HTTPError:  # refused, no such host, reset: nothing answered at all
        raise RemoteUnreachable("walk.remote_unreachable", url=url) from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    return response.status_code, body
