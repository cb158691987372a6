"""`/api/openapi.json`: the HTTP API described in OpenAPI 3.1, for journalists and for fuzzing.

Every route of the open-data app and every machine address the door answers is here
(tests/api/test_openapi.py walks the route table both ways, like a test keeping `__all__`
honest).

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


_APPROVE = {
    "type": "object",
    "required": ["agency", "dataset"],
    "properties": {
        "agency": {"type": "string"},
        "dataset": {"type": "string"},
        "sha256": {"type": "string", "description": "the draft reviewed; refused if it changed"},
    },
}
_REJECT = {
    "type": "object",
    "required": ["agency", "dataset", "reason"],
    "properties": {
        "agency": {"type": "string"},
        "dataset": {"type": "string"},
        "reason": {"type": "string"},
    },
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
    _text("name", description="help_show: the action to describe"),
    _text("q", description="package_search: free text and field:value clauses"),
    _text("fq", description="package_search: field:value filter clauses"),
    _text("sort"),
    _text("facet.field", description='package_search: a JSON list, e.g. ["organization"]'),
    {"name": "facet.limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "facet.mincount", "in": "query", "schema": {"type": "integer"}},
    _text("fq_list", description="package_search: a JSON list of fq clauses"),
    _text("fields", description="datastore_search: the columns to return"),
    _text("records_format", description="datastore_search: objects (default), lists or csv"),
    _text("organizations", description="organization_list: the names to show"),
    _text("all_fields", description="organization_list: true for whole objects"),
    _text("include_datasets", description="organization_show: true for its packages"),
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
_PAGE_404 = {"404": {"description": "Nothing at that address (an HTML page)", **_HTML}}
_ATOM = {"description": "An Atom 1.0 feed", "content": {"application/atom+xml": {}}}
_XML = {"description": "XML", "content": {"application/xml": {}}}
_NOT_MODIFIED = {"304": {"description": "Not modified (ETag matched)"}}
_ENVELOPE = {
    "type": "object",
    "properties": {"success": {"const": True}, "result": {"type": "object"}},
}
_DATASET = [_text("agency", "path"), _text("dataset", "path")]
_VERSION_QUERY = _text("version", description="a version from 1 to the latest; default latest")
_COLUMN_FILTERS = {
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
_FEED = {
    "get": {
        "summary": "Atom feed of publications",
        "responses": {"200": _ATOM, **_errors(404)},
    }
}

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
    "/api/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": _json("OpenAPI 3.1")}}
    },
    "/api/projects/{agency}/{project}/history": {
        "get": {
            "summary": "One project across every version: its values and what changed, "
            "with the agency's explanations",
            "parameters": [_text("agency", "path"), _text("project", "path", "the project id")],
            "responses": {
                "200": _json("{success: true, result: the history}", _ENVELOPE),
                **_errors(404),
            },
        }
    },
    "/api/datasets/{agency}/{dataset}/signals": {
        "get": {
            "summary": "Signals in a version (changes to look at: budgets, dates, progress)",
            "parameters": [*_DATASET, _VERSION_QUERY],
            "responses": {
                "200": _json("{success: true, result: the signals}", _ENVELOPE),
                **_errors(404, 409),
            },
        }
    },
    "/api/datasets/{agency}/{dataset}/explanations": {
        "get": {
            "summary": "The changes of a version with the agency's explanation of each",
            "parameters": [*_DATASET, _VERSION_QUERY],
            "responses": {
                "200": _json("{success: true, result: {changes}}", _ENVELOPE),
                **_errors(404, 409),
            },
        }
    },
    "/feeds/publications.atom": _FEED,
    "/feeds/answers.atom": {
        "get": {
            "summary": "Atom feed of the agencies' answers to questions and flags",
            "responses": {"200": _ATOM},
        }
    },
    "/feeds/{agency}.atom": {
        "get": {
            **_FEED["get"],
            "summary": "Atom feed of one agency's publications",
            "parameters": [_text("agency", "path")],
        }
    },
    "/feeds/{agency}/{dataset}.atom": {
        "get": {
            **_FEED["get"],
            "summary": "Atom feed of one dataset's versions",
            "parameters": _DATASET,
        }
    },
    "/robots.txt": {
        "get": {
            "summary": "Crawler rules and the sitemap's address",
            "responses": {"200": {"description": "Text", "content": {"text/plain": {}}}},
        }
    },
    "/sitemap.xml": {
        "get": {
            "summary": "Every page, dataset, agency and project card, fa and en (an index of "
            "parts past 50,000 addresses)",
            "responses": {"200": _XML, **_NOT_MODIFIED},
        }
    },
    "/sitemap-{part}.xml": {
        "get": {
            "summary": "One part of a sitemap index",
            "parameters": [
                {
                    "name": "part",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
            "responses": {"200": _XML, **_NOT_MODIFIED, **_PAGE_404},
        }
    },
    "/og.png": {
        "get": {
            "summary": "A page's share card (Open Graph image)",
            "parameters": [
                _text("page", description="the page's address, e.g. /project?project=ID"),
                {
                    **_text("lang", description="fa (default) or en"),
                    "schema": {"type": "string", "enum": ["fa", "en"]},
                },
            ],
            "responses": {
                "200": {"description": "PNG", "content": {"image/png": {}}},
                **_NOT_MODIFIED,
                **_PAGE_404,
                "503": {"description": "Too many cards being drawn; Retry-After says when"},
            },
        }
    },
    "/download/{agency}/{dataset}/{version}/datapackage.json": {
        "get": {
            "summary": "The version's Data Package descriptor, paths relative to this address "
            "(`frictionless validate URL` reads every table)",
            "parameters": [*_DATASET, _text("version", "path", "a number or `latest`")],
            "responses": {"200": _json("datapackage.json"), **_errors(304, 404)},
        }
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
                _text("bom", description="csv: 1 for a BOM and formula-neutralised CSV"),
                _COLUMN_FILTERS,
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
                "202": _json("validated and kept as a draft, waiting for approval (four eyes)"),
                **_errors(400, 401, 403, 413, 422, 429, 507),
            },
        }
    },
    "/api/approve": {
        "post": {
            "summary": "Approve (publish) the waiting draft of a dataset: a member other than "
            "its preparer, with the approver or admin role (Bearer token)",
            "security": [{"bearer": []}],
            "requestBody": {"content": {"application/json": {"schema": _APPROVE}}},
            "responses": {
                "200": _json("unchanged: identical to the latest version"),
                "201": _json("published, signed by the preparer and the approver"),
                **_errors(400, 401, 403, 404, 409, 413, 507),
            },
        }
    },
    "/api/reject": {
        "post": {
            "summary": "Reject the waiting draft of a dataset with a reason (Bearer token)",
            "security": [{"bearer": []}],
            "requestBody": {"content": {"application/json": {"schema": _REJECT}}},
            "responses": {
                "200": _json("rejected; nothing was published"),
                **_errors(400, 401, 403, 404, 409, 413),
            },
        }
    },
    "/api/releases": {
        "get": {
            "summary": "The advance release calendar: each sealed release (agency, dataset, "
            "titles, planned time, status scheduled|moved|released|late|cancelled, "
            "commitment, released version, pre-release access, reasons)",
            "parameters": [_text("agency")],
            "responses": {"200": _json("the releases, by planned time")},
        }
    },
    "/feeds/releases.ics": {
        "get": {
            "summary": "The release calendar as iCalendar: one event per release at its hour",
            "responses": {"200": {"description": "text/calendar"}},
        }
    },
    "/feeds/releases.atom": {
        "get": {
            "summary": "The release calendar as an Atom feed",
            "responses": {"200": {"description": "application/atom+xml"}},
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

# CKAN clients also call the Action API without the version number (`/api/action/…`).
PATHS["/api/action/{name}"] = PATHS["/api/3/action/{name}"]

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Glass Wall open-data API",
        "version": "1",
        "description": "Downloads (with column filters), Data Package descriptors, a "
        "CKAN-compatible Action API with SQL, feedback, publishing, the publication log and "
        "objects, DCAT, project histories, signals and explanations, Atom feeds, citations "
        "and embeds (oEmbed), and the sitemap, robots.txt and share cards. Errors are JSON "
        "with the message in Persian and English (the door's 404 is an HTML page).",
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": PATHS,
}


async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)


ROUTES = [Route("/api/openapi.json", openapi_document)]
