"""Issue 21 (slowloris): one served worker kept 1,000 header-less connections open with no
timeout. Against `glasswall serve` (one process, uvicorn) on real sockets: connections that
send nothing, or a head a byte at a time, are closed once `REQUEST_HEAD_TIMEOUT` passes,
while an honest client is answered meanwhile."""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from portal.serving.http_guard import REQUEST_HEAD_TIMEOUT

SILENT = 200
TRICKLING = 20


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    sock.setblocking(False)
    return sock


def _closed_within(sockets: list[socket.socket], seconds: float, trickle: set[int]) -> float:
    """Seconds until every socket is closed by the server (fails past `seconds`); the
    sockets in `trickle` send one more byte of a header every half second meanwhile."""
    start = time.monotonic()
    selector = selectors.DefaultSelector()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_READ)
    open_ = {sock.fileno() for sock in sockets}
    next_byte = start
    while open_:
        now = time.monotonic()
        assert now - start < seconds, f"{len(open_)} connections still open after {seconds} s"
        if now >= next_byte:
            for sock in sockets:
                if sock.fileno() in trickle and sock.fileno() in open_:
                    with contextlib.suppress(OSError):  # closed: the read below sees it
                        sock.send(b"X")
            next_byte = now + 0.5
        for key, _ in selector.select(timeout=0.2):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            try:
                data = sock.recv(4096)
            except ConnectionResetError:
                data = b""
            assert data == b"", data  # no answer to a head that never came
            open_.discard(sock.fileno())
            selector.unregister(sock)
    return time.monotonic() - start


@pytest.mark.slow
def test_header_less_connections_are_closed_and_honest_ones_answered(served: str) -> None:
    silent = [_connect(served) for _ in range(SILENT)]
    trickling = [_connect(served) for _ in range(TRICKLING)]
    for sock in trickling:
        sock.send(b"GET /health HTTP/1.1\r\nHost: portal\r\nX-Slow: ")
    try:
        started = time.monotonic()
        answer = httpx.get(f"{served}/health", timeout=5)  # an honest client, meanwhile
        assert answer.status_code == 200 and time.monotonic() - started < 2
        took = _closed_within(
            silent + trickling,
            REQUEST_HEAD_TIMEOUT + 5,
            trickle={sock.fileno() for sock in trickling},
        )
        assert took <= REQUEST_HEAD_TIMEOUT + 5
        assert httpx.get(f"{served}/health", timeout=5).status_code == 200
    finally:
        for sock in silent + trickling:
            sock.close()


@pytest.mark.slow
def test_a_kept_alive_connection_gets_the_same_deadline_and_a_prompt_head_its_answer(
    served: str,
) -> None:
    """After a response the next head has the deadline too; a head sent in time (here
    after a pause of a few seconds) is answered as always."""
    sock = _connect(served)
    sock.setblocking(True)
    sock.settimeout(REQUEST_HEAD_TIMEOUT + 5)
    time.sleep(min(3.0, REQUEST_HEAD_TIMEOUT / 3))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: portal\r\n\r\n")
    assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: por")  # the next head never completes
    start = time.monotonic()
    while True:
        try:
            data = sock.recv(4096)
        except ConnectionResetError:
            data = b""
        if data == b"":
            break
        sock.sendall(b"t")
    assert time.monotonic() - start <= REQUEST_HEAD_TIMEOUT + 2
    sock.close()


@pytest.mark.slow
def test_a_request_head_too_long_to_read_is_refused_in_both_languages(served: str) -> None:
    """Found walking the portal as an attacker: a 100 kB address got uvicorn's English
    plain-text "Invalid HTTP request received." on a Persian portal."""
    parts = urlsplit(served)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GET /projects?q=" + b"a" * 50_000)  # as a network delivers it: in parts
        time.sleep(0.5)
        with contextlib.suppress(OSError):  # the server may answer and close before the rest
            sock.sendall(b"a" * 50_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    message = json.loads(body)["error"]["message"]
    assert "16 KB" in message["en"] and "۱۶ کیلوبایت" in message["fa"]
