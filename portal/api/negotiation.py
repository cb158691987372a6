"""Which form a client asks of an address that is both a page and data: a citation link
(`/cite/…`) is followed by people and fetched by scripts. Its answer and its errors read
the same Accept header (and `?format=json`), so a script never gets a page on success and
JSON on failure; both say `Vary: Accept`."""

from __future__ import annotations

from starlette.requests import Request


def qualities(accept: str) -> dict[str, float]:
    """Media type -> quality of an Accept header (a type without `q` has 1)."""
    found: dict[str, float] = {}
    for item in accept.lower().split(","):
        media, *params = (part.strip() for part in item.split(";"))
        quality = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            found[media] = float(quality)
        except ValueError:
            continue
    return found


def asks_json(request: Request) -> bool:
    """`?format=json`, or an Accept that names JSON above HTML (a script, not a browser)."""
    if request.query_params.get("format") == "json":
        return True
    said = qualities(request.headers.get("accept", ""))
    return said.get("application/json", 0.0) > said.get("text/html", 0.0)


def asks_page(request: Request) -> bool:
    """A browser: it names text/html, at least as much as JSON, and not `?format=json`.
    `*/*` or no Accept at all asks for neither (an error then stays JSON, a page a page)."""
    if request.query_params.get("format") == "json":
        return False
    said = qualities(request.headers.get("accept", ""))
    html = said.get("text/html", 0.0)
    return html > 0 and html >= said.get("application/json", 0.0)
