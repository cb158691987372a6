"""The HAProxy configuration `serve --workers` writes: valid, sticky pages, open data free."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from portal.api.routes import OPEN_PREFIXES
from portal.serving.balancer import (
    COOKIE,
    ERRORS,
    Backend,
    error_page,
    haproxy_binary,
    write_config,
)
from portal.serving.http_guard import REQUEST_HEAD_TIMEOUT
from portal.serving.launch import free_port


def test_the_written_configuration_is_valid_and_says_what_is_sticky(tmp_path: Path) -> None:
    backends = [Backend("w1", 40001), Backend("w2", 40002)]
    path = write_config(tmp_path / "run", "127.0.0.1", 8501, backends)
    check = subprocess.run(
        [haproxy_binary(), "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    text = path.read_text(encoding="utf-8")
    pages = text.split("\nbackend pages", 1)[1].split("\nbackend open_data", 1)[0]
    free, door = text.split("\nbackend open_data", 1)[1].split("\nbackend door", 1)
    assert f"cookie {COOKIE} insert" in pages
    assert f"server w1 127.0.0.1:40001 cookie {backends[0].cookie} " in pages
    assert f"server w2 127.0.0.1:40002 cookie {backends[1].cookie} " in pages
    assert "cookie" not in free and "server w2 127.0.0.1:40002 check" in free
    # A reader of the door's pages is given no cookie: the door's servers follow the pages'.
    assert "  cookie " not in door and " cookie " not in door.split("server", 1)[1]
    assert "server w2 127.0.0.1:40002 track pages/w2" in door
    assert all(prefix in text for prefix in OPEN_PREFIXES)
    assert "bind 127.0.0.1:8501" in text and "option redispatch" in text


def test_the_balancers_own_errors_are_bilingual_http_answers(tmp_path: Path) -> None:
    """HAProxy answers some requests itself (no live worker, a timeout): each configured
    answer is a whole HTTP response with the message in Persian and English. (A request
    head over 16 KB is not among them: HAProxy 2.6 sends its built-in page at that stage.)"""
    path = write_config(tmp_path / "run with space", "127.0.0.1", 8501, [Backend("w1", 40001)])
    check = subprocess.run(
        [haproxy_binary(), "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    for code in ERRORS:
        answer = error_page(code)
        head, body = answer.split(b"\r\n\r\n", 1)
        assert head.startswith(f"HTTP/1.1 {code} ".encode())
        assert f"Content-Length: {len(body)}".encode() in head
        page = body.decode()
        assert 'lang="fa" dir="rtl"' in page and 'lang="en"' in page
        assert f'errorfile {code} "' in path.read_text(encoding="utf-8")


def test_with_no_live_worker_the_balancer_says_so_in_both_languages(tmp_path: Path) -> None:
    """A real HAProxy in front of a worker that is not there: 503, said in Persian and English."""
    port = free_port()
    path = write_config(tmp_path / "run", "127.0.0.1", port, [Backend("w1", free_port())])
    balancer = subprocess.Popen([haproxy_binary(), "-f", str(path)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "HAProxy did not start"
                time.sleep(0.1)
        assert answer.status_code == 503
        assert "درگاه" in answer.text and "The portal is busy" in answer.text
    finally:
        balancer.terminate()
        balancer.wait(timeout=10)


@contextmanager
def _named_backends(names: list[str]) -> Iterator[list[ThreadingHTTPServer]]:
    """Real HTTP servers on 127.0.0.1 that answer every path (and /health) with their name."""
    servers = []
    for name in names:

        class Handler(BaseHTTPRequestHandler):
            who = name.encode()

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(self.who)))
                self.end_headers()
                self.wfile.write(self.who)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield servers
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "HAProxy did not start"
        time.sleep(0.1)


def test_a_forged_sticky_cookie_pins_no_worker(tmp_path: Path) -> None:
    """Issue 21: the cookie named the worker (`w1`), so a client could pin every session on
    one worker. Now each worker's value is random per start: a forged or stale value is
    balanced afresh and replaced; the cookie is HttpOnly and SameSite=Lax."""
    with _named_backends(["w1", "w2"]) as servers:
        backends = [Backend(f"w{i + 1}", s.server_address[1]) for i, s in enumerate(servers)]
        earlier = [Backend(b.name, b.port) for b in backends]  # the same workers, last run
        assert {b.cookie for b in backends}.isdisjoint({b.cookie for b in earlier})
        port = free_port()
        path = write_config(tmp_path / "run", "127.0.0.1", port, backends)
        balancer = subprocess.Popen([haproxy_binary(), "-f", str(path)], stderr=subprocess.DEVNULL)
        try:
            # the dashboard's own addresses (the door's pages carry no cookie)
            url = f"http://127.0.0.1:{port}/_stcore/host-config"
            _wait_for(url)
            first = httpx.get(url, timeout=10)
            set_cookie = first.headers["set-cookie"]
            assert set_cookie.startswith(f"{COOKIE}=")
            assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
            genuine = first.cookies[COOKIE]
            pinned = {httpx.get(url, cookies={COOKIE: genuine}).text for _ in range(6)}
            assert pinned == {first.text}  # a session stays on its worker
            for forged in ("w1", earlier[0].cookie, "x" * 40):
                answers = [httpx.get(url, cookies={COOKIE: forged}) for _ in range(8)]
                assert {a.text for a in answers} == {"w1", "w2"}, forged  # not pinned
                fresh = {a.cookies.get(COOKIE) for a in answers}
                assert fresh <= {b.cookie for b in backends}  # and given a real cookie
        finally:
            balancer.terminate()
            balancer.wait(timeout=10)


@pytest.mark.slow
def test_the_balancer_closes_header_less_connections(tmp_path: Path) -> None:
    """Several workers: HAProxy's `timeout http-request` closes a connection whose request
    head does not arrive in time (answering 408 in both languages), and still serves others."""
    with _named_backends(["w1"]) as servers:
        port = free_port()
        backends = [Backend("w1", servers[0].server_address[1])]
        path = write_config(tmp_path / "run", "127.0.0.1", port, backends)
        balancer = subprocess.Popen([haproxy_binary(), "-f", str(path)], stderr=subprocess.DEVNULL)
        sockets: list[socket.socket] = []
        try:
            _wait_for(f"http://127.0.0.1:{port}/")
            sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
            for sock in sockets[:50]:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: portal\r\n")  # a head never finished
            assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text == "w1"
            start = time.monotonic()
            for sock in sockets:
                sock.settimeout(max(REQUEST_HEAD_TIMEOUT + 5 - (time.monotonic() - start), 0.1))
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
                assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:100]
            assert time.monotonic() - start <= REQUEST_HEAD_TIMEOUT + 5
        finally:
            for sock in sockets:
                sock.close()
            balancer.terminate()
            balancer.wait(timeout=10)
