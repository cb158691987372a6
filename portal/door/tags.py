"""Each encoded copy of a response carries its own entity tag (RFC 9110 8.8.3).

The compression middleware encodes the door's pages (zstd) and the dashboard's scripts and
styles (zstd, brotli, gzip) as each reader asks, but keeps the tag the app gave the plain
bytes: a cache holding two copies under one tag could pair a 304 with the wrong body. Here,
outside the middleware, an encoded answer's tag gets the coding's name (`"…-zstd"`), and
a reader revalidating a copy it holds (in a coding it still accepts) is asked about under
the plain tag the app knows, so it still gets its 304, naming the copy it holds. The door
tags its own brotli and gzip copies the same way (`portal.door.front`).
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.door.encoded import CODINGS, accepted


def tags(if_none_match: str) -> list[str]:
    return [tag.strip() for tag in if_none_match.split(",") if tag.strip()]


def encoded_tag(tag: str, coding: str) -> str:
    """`"abc"` -> `"abc-br"` (a weak tag stays weak)."""
    return f'{tag[:-1]}-{coding}"' if tag.endswith('"') else f"{tag}-{coding}"


def _plain_tags(held: list[str], taken: frozenset[str]) -> dict[str, str]:
    """The plain tag of each encoded copy the reader holds and still accepts -> its tag."""
    plain: dict[str, str] = {}
    for tag in held:
        for coding in CODINGS:
            suffix = f'-{coding}"'
            if coding in taken and tag.endswith(suffix):
                plain.setdefault(f'{tag[: -len(suffix)]}"', tag)
    return plain


class EncodedTags:
    """ASGI wrapper around the compression middleware (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = Headers(scope=scope)
        held = tags(asked.get("if-none-match", ""))
        plain = _plain_tags(held, accepted(asked.get("accept-encoding", ""))) if held else {}
        if plain:
            scope = dict(scope)  # MutableHeaders copies the list: the caller's scope stays
            MutableHeaders(scope=scope)["if-none-match"] = ", ".join([*held, *plain])

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                _retag(message, plain)
            await send(message)

        await self.app(scope, receive, tagged)


def _retag(message: Message, plain: dict[str, str]) -> None:
    message.setdefault("headers", [])
    headers = MutableHeaders(scope=message)
    _vary_once(headers)
    tag = headers.get("etag")
    if not tag:
        return
    coding = headers.get("content-encoding", "")
    if coding in CODINGS and not tag.endswith(f'-{coding}"'):
        headers["etag"] = encoded_tag(tag, coding)
    elif message["status"] == 304 and tag in plain:
        headers["etag"] = plain[tag]  # the copy the reader holds


def _vary_once(headers: MutableHeaders) -> None:
    """One Vary naming each field once: the door says `Accept-Encoding` and the middleware
    adds it again when it encodes or passes the plain bytes."""
    said = ", ".join(headers.getlist("vary"))
    if not said:
        return
    names: dict[str, str] = {}
    for name in (part.strip() for part in said.split(",")):
        if name:
            names.setdefault(name.lower(), name)
    headers["vary"] = ", ".join(names.values())
