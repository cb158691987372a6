"""`<link rel="alternate" type="application/atom+xml">` in the pages' `<head>`.

Streamlit serves the same `index.html` for every page and gives scripts no way into the
document head, so the front adds the feed links on the way out: the portal's feed on every
page, and the dataset's or agency's own feed on the page that shows it. Only the HTML of
page requests is touched (asked for uncompressed, so it can be edited); everything else
streams through untouched.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASSET_PREFIXES = ("/_stcore", "/static", "/media", "/component", "/app/static")
ATOM = "application/atom+xml"


def feed_links(path: str, query: str) -> list[tuple[str, str]]:
    """(title, href) of the feeds a page at `path?query` announces."""
    links = [("Glass Wall: new versions", "/feeds/publications.atom")]
    params = parse_qs(query)
    dataset = (params.get("dataset") or [""])[0]
    agency = (params.get("agency") or [""])[0]
    if path.rstrip("/").endswith("/dataset") and dataset.count("/") == 1:
        links.append((f"Glass Wall: {dataset}", f"/feeds/{dataset}.atom"))
    elif path.rstrip("/").endswith("/agencies") and agency and "/" not in agency:
        links.append((f"Glass Wall: {agency}", f"/feeds/{agency}.atom"))
    return links


def oembed_links(path: str, query: str) -> list[str]:
    """The oEmbed discovery link of a page that can be embedded: a query on the SQL page."""
    if path.rstrip("/").endswith("/sql") and parse_qs(query).get("sql"):
        target = urlencode({"url": f"{path}?{query}", "format": "json"})
        return [f"/oembed?{target}"]
    return []


def head_links(path: str, query: str) -> bytes:
    feeds = "".join(
        f'<link rel="alternate" type="{ATOM}" title="{escape(title)}" href="{escape(href)}">'
        for title, href in feed_links(path, query)
    )
    embeds = "".join(
        f'<link rel="alternate" type="application/json+oembed" href="{escape(href)}">'
        for href in oembed_links(path, query)
    )
    return (feeds + embeds).encode("utf-8")


class FeedDiscovery:
    """ASGI middleware around the Streamlit app that adds the feed links to page HTML."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or path.startswith(ASSET_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if kind.startswith(b"text/html"):
                    start = message
                    return
                await send(message)
            elif start is None:
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = b"".join(chunks).replace(
                        b"</head>", head_links(path, query) + b"</head>", 1
                    )
                    headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
