"""The building blocks of the OpenAPI document: errors, parameters, media and bodies.

Kept apart from `openapi.py`, which lists the paths, so each stays short to read.
"""

from __future__ import annotations

from typing import Any

from portal.api.ckan.actions import ACTIONS

ERROR = {
    "type": "object",
    "properties": {
        "success": {"const": False},
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "a stable code (the message's key), e.g. api.not_found",
                },
                "message": {"description": "Persian and English ({fa, en}) or one string"},
            },
        },
    },
}


def json_body(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema or {"type": "object"}}},
    }


def error_responses(*codes: int) -> dict[str, Any]:
    texts = {
        304: "Not modified (ETag matched)",
        400: "Refused: the request or upload is malformed or unsafe (bilingual message)",
        401: "No, unknown or revoked token",
        403: "Another agency's package",
        404: "No such dataset, version, resource, action or path",
        409: "A parameter CKAN would call invalid",
        413: "The body is larger than the limit",
        422: "Validation found errors; the report is in the body",
        429: "A rate limit or every SQL worker busy; Retry-After says when to try again",
        507: "The server's disk is full; nothing was stored",
    }
    return {
        str(code): ({"description": texts[code]} if code == 304 else json_body(texts[code], ERROR))
        for code in codes
    }


def page_error_responses(*codes: int) -> dict[str, Any]:
    """Errors of a route a browser opens: JSON, or the door's bilingual error page to a
    client that asks for text/html."""
    answers = error_responses(*codes)
    for answer in answers.values():
        answer["content"]["text/html"] = {}
    return answers


APPROVE = {
    "type": "object",
    "required": ["agency", "dataset"],
    "properties": {
        "agency": {"type": "string"},
        "dataset": {"type": "string"},
        "sha256": {"type": "string", "description": "the draft reviewed; refused if it changed"},
    },
}
REJECT = {
    "type": "object",
    "required": ["agency", "dataset", "reason"],
    "properties": {
        "agency": {"type": "string"},
        "dataset": {"type": "string"},
        "reason": {"type": "string"},
    },
}


def text_param(name: str, where: str = "query", description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": {"type": "string"},
        "description": description,
    }


ACTION_PARAMS = [
    {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": sorted(ACTIONS)},
    },
    text_param("id", description="package, organization or resource id"),
    text_param("name", description="help_show: the action to describe"),
    text_param("q", description="package_search: free text and field:value clauses"),
    text_param("fq", description="package_search: field:value filter clauses"),
    text_param("sort"),
    text_param("facet.field", description='package_search: a JSON list, e.g. ["organization"]'),
    {"name": "facet.limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "facet.mincount", "in": "query", "schema": {"type": "integer"}},
    text_param("fq_list", description="package_search: a JSON list of fq clauses"),
    text_param("fields", description="datastore_search: the columns to return"),
    text_param("records_format", description="datastore_search: objects (default) or lists"),
    text_param("distinct", description="datastore_search: true: each combination once"),
    text_param("organizations", description="organization_list: the names to show"),
    text_param("all_fields", description="organization_list: true for whole objects"),
    text_param("include_datasets", description="organization_show: true for its packages"),
    {"name": "rows", "in": "query", "schema": {"type": "integer"}},
    {"name": "start", "in": "query", "schema": {"type": "integer"}},
    text_param("resource_id", description="datastore_search: AGENCY/DATASET/RESOURCE"),
    text_param("filters", description="datastore_search: a JSON object of column -> value(s)"),
    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "offset", "in": "query", "schema": {"type": "integer"}},
    text_param("sql", description='datastore_search_sql: one SELECT; tables "RESOURCE_ID", '
          '"AGENCY/DATASET", "AGENCY/DATASET/RESOURCE", optionally with @VERSION'),
]  # fmt: skip

ACTION_RESPONSES = {
    "200": json_body("CKAN's envelope: {help, success: true, result}"),
    **error_responses(400, 404, 409, 413, 429),
}

FEEDBACK_ITEM = {
    "type": "object",
    "required": ["dataset", "message"],
    "properties": {
        "dataset": {"type": "string", "description": "AGENCY/DATASET"},
        "message": {"type": "string", "maxLength": 500},
        "kind": {"type": "string", "enum": ["question", "flag"]},
        "version": {"type": "integer"},
        "resource": {"type": "string"},
        "row": {"type": "integer"},
        "field": {"type": "string"},
        "value": {"type": "string"},
        "project": {"type": "string"},
        "name": {"type": "string"},
        "contact": {"type": "string"},
    },
}

FIGURE = [
    text_param("agency", "path"),
    text_param("dataset", "path"),
    text_param("version", "path", "a number or `latest` (the answer names the version)"),
    text_param("resource", "path"),
    text_param("row", "path", "the row in the published file, from 1"),
    text_param("field", "path"),
    text_param("lang", description="fa (default) or en"),
]
HTML = {"description": "HTML", "content": {"text/html": {}}}
PAGE_404 = {"404": {"description": "Nothing at that address (an HTML page)", **HTML}}
ATOM = {"description": "An Atom 1.0 feed", "content": {"application/atom+xml": {}}}
XML = {"description": "XML", "content": {"application/xml": {}}}
NOT_MODIFIED = {"304": {"description": "Not modified (ETag matched)"}}
ENVELOPE = {
    "type": "object",
    "properties": {"success": {"const": True}, "result": {"type": "object"}},
}
DATASET = [text_param("agency", "path"), text_param("dataset", "path")]
VERSION_QUERY = text_param("version", description="a version from 1 to the latest; default latest")
COLUMN_FILTERS = {
    "name": "columns",
    "in": "query",
    "style": "form",
    "explode": True,
    "schema": {"type": "object", "additionalProperties": {"type": "string"}},
    "description": "Column filters, `?COLUMN=VALUE[,VALUE…]` for any column of the table "
    "(e.g. `?province=IR-06&status=completion,implementation`): only the rows whose every "
    "named column holds one of the values (Persian spelling-insensitive). An unknown column "
    "is a 400 naming the columns.",
}
FEED = {
    "get": {
        "summary": "Atom feed of publications",
        "responses": {"200": ATOM, **error_responses(404)},
    }
}
