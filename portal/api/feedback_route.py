"""`POST /api/feedback` (a question or flag) and `GET /api/feedback` (the public record)."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal.api.context import read_store, settings
from portal.errors import FeedbackRefused
from portal.feedback.checks import new_feedback
from portal.feedback.service import receive
from portal.intake.limits import read_body
from portal.store.feedback import public_items, waiting_count

MAX_BODY = 16 * 1024


async def post_feedback(request: Request) -> JSONResponse:
    body = await read_body(request, MAX_BODY)
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise FeedbackRefused("feedback.bad_json", field="body") from None
    if not isinstance(data, dict):
        raise FeedbackRefused("feedback.bad_json", field="body")
    item = new_feedback(data)
    client = request.client.host if request.client else "unknown"
    new_id = await run_in_threadpool(receive, settings(request), item, client)
    return JSONResponse({"success": True, "id": new_id, "state": "waiting"}, status_code=201)


async def get_feedback(request: Request) -> JSONResponse:
    dataset = request.query_params.get("dataset")
    agency = request.query_params.get("agency")
    if dataset:
        agency, _, name = dataset.partition("/")
    elif agency:
        name = None
    else:
        raise FeedbackRefused("feedback.missing", field="dataset")
    with read_store(request) as store:
        items = store.run(public_items, agency, name)
        waiting = store.run(waiting_count, agency, name)
    return JSONResponse({"success": True, "items": [i.public() for i in items], "waiting": waiting})


ROUTES = [
    Route("/api/feedback", post_feedback, methods=["POST"]),
    Route("/api/feedback", get_feedback, methods=["GET"]),
]
