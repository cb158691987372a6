"""uvicorn's HTTP/1.1 protocol with a deadline for each request's head (slowloris).

uvicorn times out only the idle time after a response (`timeout_keep_alive`), and every
byte received restarts that wait; a connection that sends nothing, or a header a byte at
a time, is kept for ever (uvicorn issue 157's `--timeout-request-start` was never built).
A thousand such connections hold a single-process portal's sockets and file descriptors.
Here the head of every request (the request line and headers, the first one and each one
after a response on a kept-alive connection) must be complete within
`REQUEST_HEAD_TIMEOUT` seconds of the connection opening or the previous response, or the
connection is closed. Bytes trickling in do not extend it. Once a head is in, the request
runs as before (a long download or a websocket is not cut). Several workers sit behind
HAProxy, whose `timeout http-request` does the same in front of them.
"""

from __future__ import annotations

import asyncio
import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from portal.i18n import bilingual

# A real client sends its request line and headers (well under 16 KB) in one go; a phone
# on a slow link needs a second or two, not ten.
REQUEST_HEAD_TIMEOUT = 10.0


class HeadDeadlineProtocol(H11Protocol):
    """H11Protocol that closes a connection whose request head is not complete in time."""

    head_timeout = REQUEST_HEAD_TIMEOUT
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # a whole head arrived (or the parse failed)
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on this connection gets the same deadline

    def send_400_response(self, msg: str) -> None:
        """A request h11 cannot read (a malformed or over-long head) is told so in both
        languages, as every other refusal is, instead of uvicorn's English plain text."""
        body = json.dumps(
            {
                "success": False,
                "error": {
                    "__type": "Validation Error",
                    "code": "serve.bad_request",
                    "message": bilingual("serve.bad_request"),
                },
            },
            ensure_ascii=False,
        ).encode()
        headers = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.head_timeout, self._expire)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _expire(self) -> None:
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
