"""Request bodies against a served portal (issue 21, found by the attack rerun): a body
that trickles in is answered 408 once `body_deadline` passes, instead of holding its
connection for ever; a client that hangs up mid-body leaves no traceback in the log."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from portal.intake.limits import body_deadline

HEAD = (
    b"POST /api/feedback HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n"
)


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=30)


def _answer(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) == 0:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    while True:
        try:
            return status, json.loads(body)
        except ValueError:
            more = sock.recv(65536)
            if not more:
                raise
            body += more


@pytest.mark.slow
def test_a_trickling_body_is_answered_408_in_both_languages(served: str) -> None:
    sock = _connect(served)
    try:
        sock.sendall(HEAD + b'{"a":')
        started = time.monotonic()
        sock.settimeout(0.5)
        answered = None
        while time.monotonic() - started < body_deadline(1000) + 10:
            sock.send(b" ")  # a byte now and then: never complete
            try:
                sock.settimeout(30)
                sock.setblocking(False)
                peek = sock.recv(1, socket.MSG_PEEK)
                if peek:
                    answered = time.monotonic() - started
                    break
            except BlockingIOError:
                pass
            finally:
                sock.setblocking(True)
            time.sleep(1)
        assert answered is not None, "the trickling body still held its connection"
        assert answered <= body_deadline(1000) + 3
        status, body = _answer(sock)
        assert status == 408
        assert body["error"]["code"] == "api.body_too_slow"
        message = body["error"]["message"]
        assert "slowly" in message["en"] and "کند" in message["fa"]
        assert httpx.get(f"{served}/health", timeout=5).status_code == 200
    finally:
        sock.close()


@pytest.mark.slow
def test_a_client_gone_mid_body_leaves_no_traceback(served: str, tmp_path: Path) -> None:
    for _ in range(5):
        sock = _connect(served)
        sock.sendall(HEAD + b'{"a":')
        time.sleep(0.2)
        sock.close()
    time.sleep(1)
    assert httpx.get(f"{served}/health", timeout=5).status_code == 200
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log and "ClientDisconnect" not in log, log[-3000:]
