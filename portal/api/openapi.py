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

from portal.api.openapi_parts import (
    ACTION_PARAMS,
    ACTION_RESPONSES,
    APPROVE,
    ATOM,
    COLUMN_FILTERS,
    DATASET,
    ENVELOPE,
    FEED,
    FEEDBACK_ITEM,
    FIGURE,
    HTML,
    NOT_MODIFIED,
    PAGE_404,
    REJECT,
    VERSION_QUERY,
    XML,
    error_responses,
    json_body,
    page_error_responses,
    text_param,
)

PATHS: dict[str, Any] = {
    "/cite/{agency}/{dataset}/{version}/{resource}/{row}/{field}": {
        "get": {
            "summary": "One published figure with its provenance and a citation (fa, en)",
            "parameters": [
                *FIGURE,
                text_param("format", description="json for JSON (or Accept: application/json)"),
            ],
            "responses": {
                "200": {
                    "description": "An HTML page, or JSON as Accept (or format) asks",
                    "content": {"text/html": {}, "application/json": {"schema": {}}},
                },
                **page_error_responses(404),
            },
        }
    },
    "/embed/{agency}/{dataset}/{version}/{resource}/{row}/{field}": {
        "get": {
            "summary": "The figure as light HTML for an iframe, with its source",
            "parameters": FIGURE,
            "responses": {"200": HTML, **page_error_responses(404)},
        }
    },
    "/embed/sql": {
        "get": {
            "summary": "A query's answer as light HTML (bars, table, sources) for an iframe",
            "parameters": [
                text_param("sql", description="as datastore_search_sql"),
                text_param("lang"),
            ],
            "responses": {"200": HTML, **page_error_responses(409, 429)},
        }
    },
    "/oembed": {
        "get": {
            "summary": "oEmbed 1.0 for a /cite/, /embed/ or /sql?sql= address (type rich)",
            "parameters": [
                text_param("url", description="the page to embed"),
                text_param("format", description="json (anything else: 409)"),
                {"name": "maxwidth", "in": "query", "schema": {"type": "integer"}},
                {"name": "maxheight", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": json_body("oEmbed: version, type, html, width, height, provider"),
                **error_responses(404, 409),
            },
        }
    },
    "/health": {
        "get": {"summary": "Liveness", "responses": {"200": json_body("ok and the dataset count")}}
    },
    "/api/openapi.json": {
        "get": {"summary": "This document", "responses": {"200": json_body("OpenAPI 3.1")}}
    },
    "/api/projects/{agency}/{project}/history": {
        "get": {
            "summary": "One project across every version: its values and what changed, "
            "with the agency's explanations",
            "parameters": [
                text_param("agency", "path"),
                text_param("project", "path", "the project id"),
            ],
            "responses": {
                "200": json_body("{success: true, result: the history}", ENVELOPE),
                **error_responses(404),
            },
        }
    },
    "/api/datasets/{agency}/{dataset}/signals": {
        "get": {
            "summary": "Signals in a version (changes to look at: budgets, dates, progress)",
            "parameters": [*DATASET, VERSION_QUERY],
            "responses": {
                "200": json_body("{success: true, result: the signals}", ENVELOPE),
                **error_responses(404, 409),
            },
        }
    },
    "/api/datasets/{agency}/{dataset}/explanations": {
        "get": {
            "summary": "The changes of a version with the agency's explanation of each",
            "parameters": [*DATASET, VERSION_QUERY],
            "responses": {
                "200": json_body("{success: true, result: {changes}}", ENVELOPE),
                **error_responses(404, 409),
            },
        }
    },
    "/feeds/publications.atom": FEED,
    "/feeds/answers.atom": {
        "get": {
            "summary": "Atom feed of the agencies' answers to questions and flags",
            "responses": {"200": ATOM},
        }
    },
    "/feeds/{agency}.atom": {
        "get": {
            **FEED["get"],
            "summary": "Atom feed of one agency's publications",
            "parameters": [text_param("agency", "path")],
        }
    },
    "/feeds/{agency}/{dataset}.atom": {
        "get": {
            **FEED["get"],
            "summary": "Atom feed of one dataset's versions",
            "parameters": DATASET,
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
            "responses": {"200": XML, **NOT_MODIFIED},
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
            "responses": {"200": XML, **NOT_MODIFIED, **PAGE_404},
        }
    },
    "/og.png": {
        "get": {
            "summary": "A page's share card (Open Graph image)",
            "parameters": [
                text_param("page", description="the page's address, e.g. /project?project=ID"),
                {
                    **text_param("lang", description="fa (default) or en"),
                    "schema": {"type": "string", "enum": ["fa", "en"]},
                },
            ],
            "responses": {
                "200": {"description": "PNG", "content": {"image/png": {}}},
                **NOT_MODIFIED,
                **PAGE_404,
                "503": {"description": "Too many cards being drawn; Retry-After says when"},
            },
        }
    },
    "/download/{agency}/{dataset}/{version}/datapackage.json": {
        "get": {
            "summary": "The version's Data Package descriptor, paths relative to this address "
            "(`frictionless validate URL` reads every table)",
            "parameters": [*DATASET, text_param("version", "path", "a number or `latest`")],
            "responses": {"200": json_body("datapackage.json"), **error_responses(304, 404)},
        }
    },
    "/api/3/action/{name}": {
        "get": {
            "summary": "CKAN-compatible Action API (read-only)",
            "parameters": ACTION_PARAMS,
            "responses": ACTION_RESPONSES,
        },
        "post": {
            "summary": "The same actions with a JSON body (as ckanapi sends them)",
            "parameters": ACTION_PARAMS[:1],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": ACTION_RESPONSES,
        },
    },
    "/download/{agency}/{dataset}/{version}/{file}": {
        "get": {
            "summary": "A published file: the exact CSV, or JSON/XLSX/zip derived from it",
            "parameters": [
                text_param("agency", "path"),
                text_param("dataset", "path"),
                text_param("version", "path", "a number or `latest`"),
                text_param(
                    "file", "path", "RESOURCE.csv|json|xlsx, package.zip, or datapackage.json"
                ),
                text_param(
                    "bom",
                    description="csv: 1 (true, yes, on) for a BOM and formula-neutralised CSV; "
                    "0 (false, no, off) or absent for the CSV as published; any other is a 400",
                ),
                COLUMN_FILTERS,
                {
                    **text_param(
                        "lang",
                        description="xlsx: the Excel-ready workbook's language (labels, names "
                        "of codes, dates, right-to-left for fa, a source sheet); default fa",
                    ),
                    "schema": {"type": "string", "enum": ["fa", "en"]},
                },
                {
                    **text_param("form", description="xlsx: raw for one machine-readable sheet"),
                    "schema": {"type": "string", "enum": ["raw"]},
                },
            ],
            "responses": {
                "200": {"description": "The file", "content": {"*/*": {}}},
                **error_responses(304, 400, 404, 409),
            },
        }
    },
    "/api/feedback": {
        "get": {
            "summary": "The public record of questions and flags",
            "parameters": [
                text_param("dataset", description="AGENCY/DATASET"),
                text_param("agency"),
            ],
            "responses": {
                "200": json_body("items and the count waiting"),
                **error_responses(400, 404),
            },
        },
        "post": {
            "summary": "Ask about or flag a figure",
            "requestBody": {"content": {"application/json": {"schema": FEEDBACK_ITEM}}},
            "responses": {
                "201": json_body("received; waiting for the agency"),
                **error_responses(400, 404, 413, 429),
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
                "200": json_body("unchanged: identical to the latest version"),
                "201": json_body("published"),
                "202": json_body("validated and kept as a draft, waiting for approval (four eyes)"),
                **error_responses(400, 401, 403, 413, 422, 429, 507),
            },
        }
    },
    "/api/approve": {
        "post": {
            "summary": "Approve (publish) the waiting draft of a dataset: a member other than "
            "its preparer, with the approver or admin role (Bearer token)",
            "security": [{"bearer": []}],
            "requestBody": {"content": {"application/json": {"schema": APPROVE}}},
            "responses": {
                "200": json_body("unchanged: identical to the latest version"),
                "201": json_body("published, signed by the preparer and the approver"),
                **error_responses(400, 401, 403, 404, 409, 413, 507),
            },
        }
    },
    "/api/reject": {
        "post": {
            "summary": "Reject the waiting draft of a dataset with a reason (Bearer token)",
            "security": [{"bearer": []}],
            "requestBody": {"content": {"application/json": {"schema": REJECT}}},
            "responses": {
                "200": json_body("rejected; nothing was published"),
                **error_responses(400, 401, 403, 404, 409, 413),
            },
        }
    },
    "/api/releases": {
        "get": {
            "summary": "The advance release calendar: each sealed release (agency, dataset, "
            "titles, planned time, status scheduled|moved|released|late|cancelled, "
            "commitment, released version, pre-release access, reasons)",
            "parameters": [text_param("agency")],
            "responses": {"200": json_body("the releases, by planned time")},
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
            "parameters": [text_param("sha256", "path")],
            "responses": {"200": {"description": "The bytes"}, **error_responses(404)},
        }
    },
    "/catalog.jsonld": {
        "get": {"summary": "DCAT-AP catalog", "responses": {"200": json_body("JSON-LD")}}
    },
    "/catalog/{agency}/{dataset}.jsonld": {
        "get": {
            "summary": "DCAT-AP (or schema.org) description of one dataset",
            "parameters": [
                text_param("agency", "path"),
                text_param("dataset", "path"),
                text_param("vocabulary", description="schema.org for schema.org"),
            ],
            "responses": {"200": json_body("JSON-LD"), **error_responses(404)},
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
        "with the message in Persian and English (the door's 404, and the errors of "
        "/cite/ and /embed/ to a client asking for text/html, are a bilingual HTML page).",
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": PATHS,
}


async def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)


ROUTES = [Route("/api/openapi.json", openapi_document)]
