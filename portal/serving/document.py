"""The served page document speaks the page's language: `<html lang="fa" dir="rtl">`.

Streamlit serves the same index.html, `<html lang="en">`, for every page; screen readers
then read Persian as English (WCAG 3.1.1). This wrapper rewrites that one tag on the way
out, from the address's `lang` (Persian when absent, as the pages choose). The page sets
the attributes again after a language switch inside the session (`portal.web.ui`).

The same shell is all a reader without scripts gets of the pages the door does not draw
(/sql, /releases, /publish): its `<title>Streamlit</title>` and an English `<noscript>` about
Streamlit's agent API. Both are replaced with the page's name and a sentence in the page's
language pointing at the pages that need no scripts.

So the body differs by address while Streamlit's ETag and Last-Modified name its one
index.html: the rewritten body gets a tag of its own bytes, and a reader's If-None-Match is
answered here (304 only for exactly the bytes it holds), never by Streamlit.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import cache
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.door.tags import tags
from portal.i18n import text
from portal.pages import PAGES

LANGUAGES = {"fa": b'<html lang="fa" dir="rtl">', "en": b'<html lang="en" dir="ltr">'}
_SERVED = b'<html lang="en">'


def document_language(query_string: bytes) -> str:
    chosen = parse_qs(query_string.decode("latin-1")).get("lang", ["fa"])[0]
    return chosen if chosen in LANGUAGES else "fa"


_TITLE = re.compile(rb"<title>Streamlit</title>")
# Request fields answered for Streamlit's index.html, not for the body the reader gets.
_ASKED_OF_THE_BODY = (b"accept-encoding", b"if-none-match", b"if-modified-since")
_OF_THE_FILE = (b"content-length", b"etag", b"last-modified")
# What a 304 repeats of the 200 it stands for (RFC 9110 15.4.5).
_KEPT_BY_304 = (b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary")
_READ = ("GET", "HEAD")
_NOSCRIPT = re.compile(rb"<noscript>.*?</noscript>", re.S)


@cache
def _shell_parts(path: str, lang: str) -> tuple[bytes, bytes]:
    """The `<title>` and `<noscript>` of the page at `path`, in `lang`."""
    site = text("door.site", lang)
    named = next((text(page.title, lang) for page in PAGES if page.path == path), None)
    title = f"{named} · {site}" if named else site
    suffix = "" if lang == "fa" else f"?lang={lang}"
    links = " · ".join(
        f'<a href="{where}{suffix}">{html.escape(text(key, lang))}</a>'
        for where, key in (("/dataset", "web.cat.nav"), ("/projects", "web.projects"))
    )
    said = f"<noscript><p>{html.escape(text('walk.noscript', lang))}</p><p>{links}</p></noscript>"
    return f"<title>{html.escape(title)}</title>".encode(), said.encode()


def _is_page(path: str) -> bool:
    """A page address (no file extension, not Streamlit's own endpoints or static files)."""
    last = path.rsplit("/", 1)[-1]
    return "." not in last and not path.startswith(("/_stcore", "/static", "/app/", "/component"))


def _held(headers: list[tuple[bytes, bytes]]) -> set[str]:
    """The entity tags the reader's If-None-Match names (weak ones compared as strong)."""
    said = b",".join(v for k, v in headers if k.lower() == b"if-none-match").decode("latin-1")
    return {tag.removeprefix("W/") for tag in tags(said)}


def _tagged(start: Message, body: bytes, held: set[str]) -> list[Message]:
    """The rewritten page with a tag of its own bytes (Streamlit's names index.html, the
    same for every address), or a 304 when the reader holds exactly these bytes."""
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in _OF_THE_FILE]
    if start.get("status", 200) != 200:
        headers.append((b"content-length", str(len(body)).encode()))
        return [{**start, "headers": headers}, {"type": "http.response.body", "body": body}]
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers.append((b"etag", etag.encode()))
    if etag in held or "*" in held:
        kept = [(k, v) for k, v in headers if k.lower() in _KEPT_BY_304]
        return [
            {"type": "http.response.start", "status": 304, "headers": kept},
            {"type": "http.response.body", "body": b""},
        ]
    headers.append((b"content-length", str(len(body)).encode()))
    return [{**start, "headers": headers}, {"type": "http.response.body", "body": body}]


class DocumentLanguage:
    """Rewrite the `<html>` tag of HTML page responses; pass everything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _READ or not _is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        # HEAD describes the body GET would send: the rewritten one, so it is asked as a GET
        # and its body left out here (Streamlit's answer to HEAD named index.html).
        head = scope["method"] == "HEAD"
        lang = document_language(scope.get("query_string", b""))
        tag = LANGUAGES[lang]
        title, noscript = _shell_parts(scope["path"], lang)
        # The page is ~8 kB: ask for it uncompressed so the tag can be rewritten, and whole:
        # whether the reader's copy is still good is a question about the rewritten body.
        held = _held(scope["headers"])
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _ASKED_OF_THE_BODY]
        scope = {**scope, "headers": headers, "method": "GET"}
        start: Message | None = None
        body = b""

        async def rewrite(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if not content_type.startswith(b"text/html"):
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            body = body.replace(_SERVED, tag, 1)
            body = _TITLE.sub(lambda _: title, body, count=1)
            body = _NOSCRIPT.sub(lambda _: noscript, body, count=1)
            for answer in _tagged(start, body, held):
                if head and answer["type"] == "http.response.body":
                    answer = {**answer, "body": b""}
                await send(answer)

        await self.app(scope, receive, rewrite)
