"""The served page document speaks the page's language: `<html lang="fa" dir="rtl">`.

Streamlit serves the same index.html, `<html lang="en">`, for every page; screen readers
then read Persian as English (WCAG 3.1.1). This wrapper rewrites that one tag on the way
out, from the address's `lang` (Persian when absent, as the pages choose). The page sets
the attributes again after a language switch inside the session (`portal.web.ui`).

The same shell is all a reader without scripts gets of the pages the door does not draw
(/sql, /releases, /publish): its `<title>Streamlit</title>` and an English `<noscript>` about
Streamlit's agent API. Both are replaced with the page's name and a sentence in the page's
language pointing at the pages that need no scripts.
"""

from __future__ import annotations

import html
import re
from functools import cache
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.i18n import text
from portal.pages import PAGES

LANGUAGES = {"fa": b'<html lang="fa" dir="rtl">', "en": b'<html lang="en" dir="ltr">'}
_SERVED = b'<html lang="en">'


def document_language(query_string: bytes) -> str:
    chosen = parse_qs(query_string.decode("latin-1")).get("lang", ["fa"])[0]
    return chosen if chosen in LANGUAGES else "fa"


_TITLE = re.compile(rb"<title>Streamlit</title>")
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


class DocumentLanguage:
    """Rewrite the `<html>` tag of HTML page responses; pass everything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not _is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        lang = document_language(scope.get("query_string", b""))
        tag = LANGUAGES[lang]
        title, noscript = _shell_parts(scope["path"], lang)
        # The page is ~8 kB: ask for it uncompressed so the tag can be rewritten.
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
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
            fixed = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            fixed.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": fixed})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)
