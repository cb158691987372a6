"""`POST /api/approve` and `POST /api/reject`: the second member's decision on a draft."""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal.api.context import settings
from portal.api.publish_route import _bearer, sealed_body
from portal.config import Settings
from portal.errors import BadParameter
from portal.i18n import bilingual
from portal.intake.limits import read_body
from portal.publishing.approval import approve, reject
from portal.store import writing

MAX_BODY = 16 * 1024


async def _fields(request: Request, *required: str) -> dict[str, str]:
    """The JSON body's text fields; a missing or non-text one is a bilingual 409."""
    body = await read_body(request, MAX_BODY)
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise BadParameter("api.approval_bad_json", field="body") from None
    if not isinstance(data, dict):
        raise BadParameter("api.approval_bad_json", field="body")
    for name in required:
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise BadParameter("api.approval_field", field=name)
    return {key: value for key, value in data.items() if isinstance(value, str)}


def _approve(config: Settings, token: str, fields: dict[str, str]) -> dict[str, Any]:
    store = writing(config.home)
    try:
        done = approve(store, fields["agency"], fields["dataset"], token, fields.get("sha256"))
    finally:
        store.close()
    if done.release is not None:
        return {"success": True, "unchanged": False, **sealed_body(done.release)}
    v = done.version
    assert v is not None
    return {
        "success": True,
        "unchanged": done.unchanged,
        "published": {"agency": v.agency, "dataset": v.dataset, "version": v.number},
        "manifest_sha256": v.manifest_sha256,
        "prepared_by": done.draft.preparer(),
        "approved_by": done.approver.public(),
    }


def _reject(config: Settings, token: str, fields: dict[str, str]) -> dict[str, Any]:
    store = writing(config.home)
    try:
        draft = reject(store, fields["agency"], fields["dataset"], token, fields["reason"])
    finally:
        store.close()
    message = bilingual("draft.rejected", agency=draft.agency, dataset=draft.dataset)
    return {"success": True, "rejected": draft.sha256, "message": message}


async def approve_endpoint(request: Request) -> JSONResponse:
    token = _bearer(request)
    fields = await _fields(request, "agency", "dataset")
    body = await run_in_threadpool(_approve, settings(request), token, fields)
    status = 202 if "sealed" in body else 200 if body["unchanged"] else 201
    return JSONResponse(body, status_code=status)


async def reject_endpoint(request: Request) -> JSONResponse:
    token = _bearer(request)
    fields = await _fields(request, "agency", "dataset", "reason")
    return JSONResponse(await run_in_threadpool(_reject, settings(request), token, fields))


ROUTES = [
    Route("/api/approve", approve_endpoint, methods=["POST"]),
    Route("/api/reject", reject_endpoint, methods=["POST"]),
]
