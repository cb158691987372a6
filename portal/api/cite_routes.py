"""Cite this figure, embed it, and let WordPress do it from a pasted link (oEmbed).

- `/cite/{agency}/{dataset}/{version|latest}/{resource}/{row}/{field}`: the value with its
  provenance and a ready citation in Persian and English; JSON for a script that asks for
  it (`Accept: application/json`, or `?format=json`), as its errors are;
- `/embed/…` (same address) and `/embed/sql?sql=…`: light HTML for an iframe, no
  dashboard: the figure, or a query's answer as bars and a table, with version and source
  and a link back;
- `/oembed?url=…&format=json`: the oEmbed answer (a `rich` iframe) for any of those.

Pages are small server-rendered HTML from the catalogs; every value is escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from portal.api.citations import Figure, figure
from portal.api.ckan.index import INDEXES
from portal.api.context import public_base_url, read_store, settings
from portal.api.negotiation import asks_json
from portal.errors import BadParameter, NotFound
from portal.i18n import number, text
from portal.persian import to_persian_digits
from portal.sql.query import Result, run_query

CITE = "/cite/{agency}/{dataset}/{version}/{resource}/{row}/{field}"
# Routes a browser opens: their errors are the door's error page for it (`portal.api.errors`).
PAGE_PREFIXES = ("/cite/", "/embed/")
EMBED = "/embed/{agency}/{dataset}/{version}/{resource}/{row}/{field}"
STYLE = (
    "body{font-family:Vazirmatn,Tahoma,sans-serif;margin:0;padding:1rem;color:#111;"
    "background:#fff;line-height:1.6}main{max-width:48rem}"
    ".value{font-size:2rem;font-weight:bold;margin:.25rem 0}dt{font-weight:bold}"
    "dd{margin:0 0 .5rem 0}main{overflow-wrap:anywhere}.note{color:#7a4b00}"
    "a{color:#0b57d0}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
    "padding:.2rem .5rem}.ltr{direction:ltr;unicode-bidi:isolate}"
    "p bdi[dir=ltr]{display:inline-block;max-width:100%}"
)
# Latin runs of a citation read in their own order inside a Persian sentence: an address, an
# ISO date or time, a hash (else the bidi algorithm shows «2026-12-04» as «04-12-2026»).
_LATIN_RUN = re.compile(
    r"https?://\S+[^\s.,;)]|\d{4}-\d{2}-\d{2}(?:[T ][0-9:]+Z?)?|sha256 [0-9a-f]+…?"
)
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
EMBED_SIZE = {"figure": (420, 220), "sql": (640, 480)}
# Column types of a query's answer that hold numbers (`portal.sql.engine.pg_type`).
NUMBERS = frozenset({"int2", "int4", "int8", "float4", "float8", "numeric"})
EMBED_ROWS = 20  # rows of an answer the embed's table shows


def _isolated(sentence: str) -> str:
    """`sentence` escaped, each Latin run (address, date, hash) in a left-to-right isolate."""
    parts, at = [], 0
    for run in _LATIN_RUN.finditer(sentence):
        parts += [escape(sentence[at : run.start()]), f'<bdi dir="ltr">{escape(run.group())}</bdi>']
        at = run.end()
    return "".join(parts) + escape(sentence[at:])


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "fa")
    return lang if lang in ("fa", "en") else "fa"


def _digits(number: int, lang: str) -> str:
    return to_persian_digits(str(number)) if lang == "fa" else str(number)


def _licence(found: Figure, lang: str) -> str:
    """The licence's title in English; its code on a Persian page (the titles are English)."""
    if lang == "fa" and found.licence_code:
        return f'<span class="ltr">{escape(found.licence_code)}</span>'
    return escape(found.licence)


def _rows_note(result: Result, lang: str) -> str:
    """Said when the embed's table stops before the answer does: an article must not show
    the first 20 rows of 32 as if they were all."""
    total = len(result.answer.records)
    if result.answer.truncated:
        said = text("journo.embed.more_rows", lang, shown=min(total, EMBED_ROWS))
    elif total > EMBED_ROWS:
        said = text("journo.embed.first_rows", lang, shown=EMBED_ROWS, total=total)
    else:
        return ""
    return f'<p class="note">{escape(said)}</p>'


def _sample_note(sample: bool, lang: str) -> str:
    """The sample-data notice an embed carries into someone else's article (as the cite
    page shows it): invented figures must not read as official ones there either."""
    return f'<p class="note">{escape(text("excel.sample_notice", lang))}</p>' if sample else ""


def _page(lang: str, title: str, body: str, head: str = "") -> HTMLResponse:
    direction = "rtl" if lang == "fa" else "ltr"
    return HTMLResponse(
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{head}<style>{STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _oembed_link(base: str, url: str, title: str) -> str:
    href = f"{base}/oembed?" + urlencode({"url": url, "format": "json"})
    return (
        f'<link rel="alternate" type="application/json+oembed" href="{escape(href)}" '
        f'title="{escape(title)}">'
    )


def _figure(request: Request, segments: list[str] | None = None) -> Figure:
    """The figure the address names (`segments`: agency ... field of another address)."""
    p = request.path_params
    agency, dataset, version, resource, row, field = segments or (
        p["agency"],
        p["dataset"],
        p["version"],
        p["resource"],
        p["row"],
        p["field"],
    )
    with read_store(request) as store:
        return figure(store, agency, dataset, version, resource, row, field)


async def cite(request: Request) -> Response:
    answer = await _cited(request)
    answer.headers["Vary"] = "Accept"  # one address, the page or JSON as the client asks
    return answer


async def _cited(request: Request) -> Response:
    found = await run_in_threadpool(_figure, request)
    base, lang = public_base_url(request), _lang(request)
    if asks_json(request):
        return JSONResponse(found.to_dict(base))
    label = found.label_fa if lang == "fa" else found.label_en
    title = f"{label}: {found.shown(lang)}"
    permalink = f"{base}{found.path}"
    rows = [
        ("cite.agency", escape(found.agency_fa if lang == "fa" else found.agency_en)),
        ("cite.dataset", escape(found.title_fa if lang == "fa" else found.title_en)),
        ("cite.version", _digits(found.version, lang)),
        (
            "cite.table_row",
            escape(text("cite.table_row_value", lang, resource=found.resource, row=found.row)),
        ),
        ("cite.field", f'<span class="ltr">{escape(found.field)}</span>'),
        ("cite.published", f'<span class="ltr">{escape(found.published)}</span>'),
        ("cite.sha256", f'<span class="ltr">{escape(found.sha256)}</span>'),
        ("cite.licence", _licence(found, lang)),
    ]
    notes = []
    if found.latest:
        notes.append(text("cite.resolved", lang, version=found.version))
    if found.sample:
        notes.append(text("excel.sample_notice", lang))
    other = "en" if lang == "fa" else "fa"
    body = (
        f'<h1>{escape(label)}</h1><p class="value">{escape(found.shown(lang))}</p>'
        + "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
        + "<dl>"
        + "".join(f"<dt>{escape(text(k, lang))}</dt><dd>{v}</dd>" for k, v in rows)
        + "</dl>"
        + f"<h2>{escape(text('cite.how', lang))}</h2>"
        + f'<p lang="fa" dir="rtl">{_isolated(found.citation("fa", base))}</p>'
        + f'<p lang="en" dir="ltr">{escape(found.citation("en", base))}</p>'
        + f'<p><a href="{escape(permalink)}">{escape(text("cite.permalink", lang))}</a> · '
        f'<a href="{escape(base + found.file_path)}">{escape(text("cite.file", lang))}</a> · '
        f'<a href="{escape(base + found.path.replace("/cite/", "/embed/", 1))}">'
        f"{escape(text('cite.embed', lang))}</a> · "
        f'<a href="{escape(request.url.path)}?lang={other}">'
        f"{escape(text('cite.other_language', lang))}</a></p>"
    )
    head = (
        _oembed_link(base, f"{permalink}?lang={lang}", title)
        + f'<link rel="canonical" href="{escape(permalink)}">'
    )
    return _page(lang, title, body, head)


async def embed_figure(request: Request) -> Response:
    found = await run_in_threadpool(_figure, request)
    base, lang = public_base_url(request), _lang(request)
    label = found.label_fa if lang == "fa" else found.label_en
    agency = found.agency_fa if lang == "fa" else found.agency_en
    body = (
        f'<p>{escape(label)}</p><p class="value">{escape(found.shown(lang))}</p>'
        + _sample_note(found.sample, lang)
        + f"<p>{escape(text('cite.embed_source', lang, agency=agency, version=found.version))}"
        f' — <a href="{escape(base + found.path)}" target="_blank" rel="noopener">'
        f"{escape(text('cite.permalink', lang))}</a></p>"
    )
    return _page(lang, f"{label}: {found.shown(lang)}", body)


def _bars(result: Result, lang: str) -> str:
    """Inline SVG bars when the answer is labels with numbers (≤ 40 rows)."""
    fields = result.answer.fields
    label = next((f["id"] for f in fields if f["type"] == "text"), None)
    value = next((f["id"] for f in fields if f["type"] in NUMBERS), None)
    rows = [
        r
        for r in result.answer.records
        if label and value and isinstance(r.get(value), int | float)
    ]
    if not label or not value or not 1 <= len(rows) <= 40:
        return ""
    top = max(abs(float(r[value])) for r in rows) or 1.0
    height = 24 * len(rows) + 8
    bars = []
    for i, row in enumerate(rows):
        width = 360 * abs(float(row[value])) / top
        shown = number(row[value], lang)
        bars.append(
            f'<text x="0" y="{24 * i + 18}" font-size="13">{escape(str(row[label])[:28])}</text>'
            f'<rect x="200" y="{24 * i + 5}" width="{width:.1f}" height="16" fill="#0072B2"/>'
            f'<text x="{204 + width:.1f}" y="{24 * i + 18}" font-size="12">{escape(shown)}</text>'
        )
    title = escape(f"{value} / {label}")
    return (
        f'<svg role="img" aria-label="{title}" width="100%" viewBox="0 0 640 {height}" '
        f'xmlns="http://www.w3.org/2000/svg" direction="ltr">{"".join(bars)}</svg>'
    )


async def embed_sql(request: Request) -> Response:
    sql = request.query_params.get("sql", "")
    base, lang = public_base_url(request), _lang(request)
    home = settings(request).home
    result = await run_in_threadpool(lambda: run_query(home, INDEXES.current(home, base), sql))
    names = [f["id"] for f in result.answer.fields]
    counted = {f["id"] for f in result.answer.fields if f["type"] in NUMBERS}
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    body_rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape(_cell(r.get(n), lang, n in counted))}</td>" for n in names)
        + "</tr>"
        for r in result.answer.records[:EMBED_ROWS]
    )
    sources = " · ".join(
        text("cite.sql_source", lang, name=s.name, version=s.version, sha=s.sha256[:12])
        for s in result.sources
    )
    back = f"{base}/sql?" + urlencode({"lang": lang, "sql": sql})
    body = (
        _bars(result, lang)
        + f'<table class="ltr"><thead><tr>{head}</tr></thead><tbody>{body_rows}</tbody></table>'
        + _rows_note(result, lang)
        + "".join(f'<p class="note">{escape(n)}</p>' for n in result.notes(lang))
        + _sample_note(any(s.sample for s in result.sources), lang)
        + f"<p>{escape(sources)} — "
        f'<a href="{escape(back)}" target="_blank" rel="noopener">'
        f"{escape(text('cite.open_query', lang))}</a></p>"
    )
    return _page(lang, text("cite.sql_title", lang), body)


def _cell(value: Any, lang: str, counted: bool) -> str:
    """A number of a numeric column in the page's digits (as the dashboard's SQL page shows
    it); text, which the agency wrote (an id, a code, a date), exactly as it is."""
    if value is None:
        return ""
    if counted and isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, lang) if lang == "fa" else str(value)
    return str(value)


def _embed_of(url: str, base: str) -> tuple[str, str, str] | None:
    """(embed address, kind, title) for a page of this portal that can be embedded."""
    parts = urlsplit(url)
    path, query = parts.path, parts.query
    segments = [s for s in path.split("/") if s]
    lang = "en" if "lang=en" in query else "fa"
    if (
        len(segments) == 7
        and segments[0] in ("cite", "embed")
        and all(_SEGMENT.match(s) for s in segments)
    ):
        return (
            f"{base}/embed/{'/'.join(segments[1:])}?lang={lang}",
            "figure",
            "/".join(segments[1:]),
        )
    if path.rstrip("/") in ("/sql", "/embed/sql") and "sql=" in query:
        return f"{base}/embed/sql?{query}", "sql", "SQL"
    return None


async def oembed(request: Request) -> Response:
    url = request.query_params.get("url", "")
    if not url.strip():
        raise BadParameter("api.missing_parameter", field="url")
    form = request.query_params.get("format") or "json"
    if form != "json":
        # oEmbed says 501 here; this portal answers no 5xx for a request a person can make.
        raise BadParameter("oembed.format", field="format")
    base = public_base_url(request)
    found = _embed_of(url, base)
    if found is None:
        raise NotFound("oembed.not_embeddable", what=url[:200])
    src, kind, title = found
    credit = {}
    if kind == "figure":  # nothing to embed where the figure's own page is a 404
        shown = await run_in_threadpool(_figure, request, title.split("/"))
        lang = "en" if src.endswith("lang=en") else "fa"
        # what the figure's own page is titled: a reader (and a screen reader) reads it
        title = f"{shown.label_fa if lang == 'fa' else shown.label_en}: {shown.shown(lang)}"
        credit = {"author_name": shown.agency_fa if lang == "fa" else shown.agency_en}
    width, height = EMBED_SIZE[kind]
    for name, current in (("maxwidth", width), ("maxheight", height)):
        given = request.query_params.get(name, "")
        if given.isdigit() and 0 < int(given) < current:
            if name == "maxwidth":
                width = int(given)
            else:
                height = int(given)
    html = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'style="border:0" loading="lazy" title="{escape(title)}"></iframe>'
    )
    return JSONResponse(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "Glass Wall",
            "provider_url": base,
            "title": title,
            **credit,
            "html": html,
            "width": width,
            "height": height,
        }
    )


ROUTES = [
    Route(CITE, cite),
    Route("/embed/sql", embed_sql),
    Route(EMBED, embed_figure),
    Route("/oembed", oembed),
]
