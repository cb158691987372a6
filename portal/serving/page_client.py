"""A citizen's tab without a browser: Streamlit's websocket protocol, for load tests and tests.

A browser opens `/_stcore/stream` (subprotocol `streamlit`), sends a `BackMsg` whose
`rerun_script` names the page and its query string, and draws the `ForwardMsg` deltas
until `script_finished`. `PageClient` does the same and keeps what a browser would draw:
the element types, in order, and any exception the page raised.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The statuses that end a page run; FINISHED_EARLY_FOR_RERUN means another run follows.
_DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}
_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class PageRun:
    """What one page run sent: its element types in order, and the time it took."""

    page: str
    seconds: float = 0.0
    elements: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    status: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "finished" and not self.exceptions

    def counts(self) -> Counter[str]:
        return Counter(self.elements)


def element_type(message: ForwardMsg) -> str | None:
    """The kind of element a delta draws (`markdown`, `plotly_chart`, ...), or a block."""
    if message.WhichOneof("type") != "delta":
        return None
    delta = message.delta
    kind = delta.WhichOneof("type")
    if kind == "new_element":
        return str(delta.new_element.WhichOneof("type"))
    if kind == "add_block":
        return "block"
    return None


def record(message: ForwardMsg, run: PageRun) -> None:
    kind = element_type(message)
    if kind is None:
        return
    run.elements.append(kind)
    if kind == "exception":
        run.exceptions.append(message.delta.new_element.exception.message)


def rerun_message(page: str, query: str) -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    message.rerun_script.page_script_hash = ""
    return bytes(message.SerializeToString())


class PageClient:
    """One websocket session, as one browser tab; `run` a page, then another."""

    def __init__(self, base_url: str, cookie: str | None = None, timeout: float = 60.0) -> None:
        self.url = base_url.rstrip("/").replace("http", "ws", 1) + "/_stcore/stream"
        self.cookie = cookie
        self.timeout = timeout
        self.socket: websockets.ClientConnection | None = None

    async def __aenter__(self) -> PageClient:
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.socket = await websockets.connect(
            self.url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def run(self, page: str, query: str = "lang=fa") -> PageRun:
        """Ask for `page` with `query` and read until its run finishes (or the timeout)."""
        assert self.socket is not None, "use PageClient in `async with`"
        run = PageRun(page)
        start = time.perf_counter()
        await self.socket.send(rerun_message(page, query))
        deadline = start + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                run.status = "timeout"
                break
            try:
                data = await _receive(self.socket, left)
            except TimeoutError:
                run.status = "timeout"
                break
            message = ForwardMsg()
            message.ParseFromString(data)
            if message.WhichOneof("type") == "new_session":
                run.elements.clear()  # a rerun started over: keep only its elements
                run.exceptions.clear()
            record(message, run)
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished == _RERUN:
                    continue
                run.status = "finished" if message.script_finished in _DONE else "other"
                break
        run.seconds = time.perf_counter() - start
        return run


async def _receive(socket: websockets.ClientConnection, timeout: float) -> bytes:
    data = await asyncio.wait_for(socket.recv(), timeout)
    return data if isinstance(data, bytes) else data.encode()
