"""`/api/openapi.json`: the HTTP API described in OpenAPI 3.1, for journalists and for fuzzing.

Written as a Python structure beside the routes it describes; the schemathesis run in
`make test` sends generated requests to a served portal and fails on any 5xx or any status
this document does not list, so the description and the behaviour cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from portal.api.ckan.actions import ACTIONS

_ERROR = {
    "type": "object",
    "properties": {
        "success": {"const": False},
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"description": "Persian and English ({fa, en}) or one string"},
            },
        },
    },
}


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema or {"type": "object"}}},
    }


def _errors(*codes: int) -> dict[str, Any]:
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
        str(code): ({"description": texts[code]} if code == 304 else _json(texts[code], _ERROR))
        for code in codes
    }


def _text(name: str, where: str = "query", description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": {"type": "string"},
        "description": description,
    }


_ACTION_PARAMS = [
    {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": sorted(ACTIONS)},
    },
    _text("id", description="package, organization or resource id"),
    _text("q", description="package_search: free text and field:value clauses"),
    _text("fq", description="package_search: field:value filter clauses"),
    _text("sort"),
    {"name": "rows", "in": "query", "schema": {"type": "integer"}},
    {"name": "start", "in": "query", "schema": {"type": "integer"}},
    _text("resource_id", description="datastore_search: AGENCY/DATASET/RESOURCE"),
    _text("filters", description="datastore_search: a JSON object of column -> value(s)"),
    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "offset", "in": "query", "schema": {"type": "integer"}},
    _text("sql", description='datastore_search_sql: one SELECT; tables "RESOURCE_ID", '
          '"AGENCY/DATASET", "AGENCY/DATASET/RESOURCE", optionally with @VERSION'),
]  # fmt: skip

_ACTION_RESPONSES = {
    "200": _json("CKAN's envelope: {help, success: true, result}"),
    **_errors(400, 404, 409, 413, 429),
}

_FEEDBACK_ITEM = {
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

_FIGURE = [
    _text("agency", "path"),
    _text("dataset", "path"),
    _text("version", "path", "a number or `latest` (the answer names the version)"),
    _text("resource", "path"),
    _text("row", "path", "the row in the published file, from 1"),
    _text("field", "path"),
    _text("lang", description="fa (default) or en"),
]
_HTML = {"description": "HTML", "content": {"text/html": {}}}

PATHS: dict[str, Any] = {
    "/cite/{agency}/{dataset}/{version}/{resource}/{row}/{field}": {
        "get": {
            "summary": "One published figure with its provenance and a citation (fa, en)",
            "parameters": [*_FIGURE, _text("format", description="json for a JSON answer")],
            "responses": {"200": _HTML, **_errors(404)},
        }
    },
    "/embed/{agency}/{dataset}/{version}/{resource}/{row}/{field}": {
        "get": {
            "summary": "The figure as light HTML for an iframe, with its source",
            "parameters": _FIGURE,
            "responses": {"200": _HTML, **_errors(404)},
        }
    },
    "/embed/sql": {
        "get": {
            "summary": "A query's answer as light HTML (bars, table, sources) for an iframe",
            "parameters": [_text("sql", description="as datastore_search_sql"), _text("lang")],
            "responses": {"200": _HTML, **_errors(409, 429)},
        }
    },
    "/oembed": {
        "get": {
            "summary": "oEmbed 1.0 for a /cite/, /embed/ or /sql?sql= address (type rich)",
            "parameters": [
                _text("url", description="the page to embed"),
                _text("format", description="json (anything else: 409)"),
                {"name": "maxwidth", "in": "query", "schema": {"type": "integer"}},
                {"name": "maxheight", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": _json("oEmbed: version, type, html, width, height, provider"),
                **_errors(404, 409),
            },
        }
    },
    "/health": {
        "get": {"summary": "Liveness", "responses": {"200": _json("ok and the dataset count")}}
    },
    "/api/3/action/{name}": {
        "get": {
            "summary": "CKAN-compatible Action API (read-only)",
            "parameters": _ACTION_PARAMS,
            "responses": _ACTION_RESPONSES,
        },
        "post": {
            "summary": "The same actions with a JSON body (as ckanapi sends them)",
            "parameters": _ACTION_PARAMS[:1],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": _ACTION_RESPONSES,
        },
    },
    "/download/{agency}/{dataset}/{version}/{file}": {
        "get": {
            "summary": "A published file: the exact CSV, or JSON/XLSX/zip derived from it",
            "parameters": [
                _text("agency", "path"),
                _text("dataset", "path"),
                _text("version", "path", "a number or `latest`"),
                _text("file", "path", "RESOURCE.csv|json|xlsx, package.zip, or datapackage.json"),
                _text("bom", description="1 for a BOM and formula-neutralised CSV"),
                {
                    **_text(
                        "lang",
                        description="xlsx: the Excel-ready workbook's language (labels, names "
                        "of codes, dates, right-to-left for fa, a source sheet); default fa",
                    ),
                    "schema": {"type": "string", "enum": ["fa", "en"]},
                },
                {
                    **_text("form", description="xlsx: raw for one machine-readable sheet"),
                    "schema": {"type": "string", "enum": ["raw"]},
                },
            ],
            "responses": {
                "200": {"description": "The file", "content": {"*/*": {}}},
                **_errors(304, 400, 404, 409),
            },
        }
    },
    "/api/feedback": {
        "get": {
            "summary": "The public record of questions and flags",
            "parameters": [_text("dataset", description="AGENCY/DATASET"), _text("agency")],
            "responses": {"200": _json("items and the count waiting"), **_errors(400, 404)},
        },
        "post": {
            "summary": "Ask about or flag a figure",
            "requestBody": {"content": {"application/json": {"schema": _FEEDBACK_ITEM}}},
            "responses": {
                "201": _json("received; waiting for the agency"),
                **_errors(400, 404, 413, 429),
            },
        },
    },
    "/api/publish": {
        "post": {
            "summary": "Publish a data package (agencies; Bearer token)",
            "security": [{"bearer": []}],
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"package": {"type": "string", "format": "binary"}},
                        }
                    }
                }
            },
            "responses": {
                "200": _json("unchanged: identical to the latest version"),
                "201": _json("published"),
                **_errors(400, 401, 403, 413, 422, 429, 507),
            },
        }
    },
    "/log.jsonl": {
        "get": {
            "summary": "The hash-chained publication log",
            "responses": {
                "200": {"description": "JSON lines", "content": {"application/jsonl": {}}}
            },
        }
    },
    "/objects/{sha256}": {
        "get": {
            "summary": "A content-addressed object (manifest, descriptor, report, data)",
            "parameters": [_text("sha256", "path")],
            "responses": {"200": {"description": "The bytes"}, **_errors(404)},
        }
    },
    "/catalog.jsonld": {
        "get": {"summary": "DCAT-AP catalog", "responses": {"200": _json("JSON-LD")}}
    },
    "/catalog/{agency}/{dataset}.jsonld": {
        "get": {
            "summary": "DCAT-AP (or schema.org) description of one dataset",
            "parameters": [
                _text("agency", "path"),
                _text("dataset", "path"),
                _text("vocabulary", description="schema.org for schema.org"),
            ],
            "responses": {"200": _json("JSON-LD"), **_errors(404)},
        }
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Glass Wall open-data API",
        "version": "1",
        "description": "Downloads, a CKAN-compatible Action API, feedback, publishing, the "
        "publication log and objects. Errors are JSON with the message in Persian and English.",
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": PATHS,
}


async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)


ROUTES = [Route("/api/openapi.json", openapi_document)]
