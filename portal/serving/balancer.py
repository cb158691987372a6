"""HAProxy in front of several portal processes: its configuration, written under the home.

A citizen's page session lives in one process (Streamlit keeps it in memory), so the
pages are sticky: HAProxy inserts a cookie naming the process on the first answer and
the websocket upgrade carries it back. The open-data paths hold no session and are
balanced freely. A process that stops answering `/health` is taken out within ~2 s and
its citizens' cookies are redispatched to a live one (`option redispatch`): the tab's
reconnecting websocket opens a new session there and the page runs again.

The cookie is not something a client can choose: each worker's value is random, drawn
anew at every start, so a forged value (`w1`, or one from an earlier run) names no worker
and HAProxy balances that request as a new one, answering with a fresh cookie. The cookie
is HttpOnly and SameSite=Lax (no other site's page sends it along).
"""

from __future__ import annotations

import html
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from portal.api.routes import OPEN_PREFIXES
from portal.errors import GlassWallError
from portal.i18n import text
from portal.serving import balancer_cache
from portal.serving.http_guard import REQUEST_HEAD_TIMEOUT

# The answers HAProxy makes itself (a 16 KB address, a dead worker, a slow one): in Persian
# and English like every other error of the portal, not HAProxy's English page.
ERRORS = {
    400: "Bad Request",
    408: "Request Timeout",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

COOKIE = "glasswall_node"


def _cookie_value() -> str:
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Backend:
    name: str
    port: int
    # what the sticky cookie says for this worker: unguessable, new at every start
    cookie: str = field(default_factory=_cookie_value)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).exists()), None
    )
    if found is None:
        raise GlassWallError("serve.no_balancer")
    return found


def error_page(code: int) -> bytes:
    """A whole HTTP answer for HAProxy's `errorfile`: the message in Persian, then English."""
    key = f"balancer.{code}"
    body = (
        '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{code}</title></head><body><p>{html.escape(text(key, 'fa'))}</p>"
        f'<p lang="en" dir="ltr">{html.escape(text(key, "en"))}</p></body></html>\n'
    ).encode()
    head = (
        f"HTTP/1.1 {code} {ERRORS[code]}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Cache-Control: no-cache\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def haproxy_config(
    host: str,
    port: int,
    backends: list[Backend],
    errors: Path | None = None,
    runtime: Path | None = None,
) -> str:
    """The balancer's whole configuration for `backends` on 127.0.0.1, listening on host:port;
    `runtime` is its socket (the supervisor tells it a new publication there). Relative
    paths (the publication map) are read beside the configuration file."""
    prefixes = " ".join(OPEN_PREFIXES)
    servers = "\n".join(
        f"  server {b.name} 127.0.0.1:{b.port} cookie {b.cookie} check inter 2s fall 3 rise 2"
        for b in backends
    )
    free = "\n".join(
        f"  server {b.name} 127.0.0.1:{b.port} check inter 2s fall 3 rise 2" for b in backends
    )
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    stats = f'  stats socket "{runtime}" mode 600 level operator\n' if runtime else ""
    door = balancer_cache.door_backend([(b.name, b.port) for b in backends])
    return f"""# Written by `glasswall serve --workers {len(backends)}`; rewritten at each start.
global
  maxconn 8192
  default-path config
{stats}
defaults
  mode http
  option redispatch 1
  retries 2
  # A dead worker's pooled connection answers nothing: try the request again elsewhere.
  retry-on conn-failure empty-response response-timeout
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout tunnel 1h
  timeout client-fin 5s
  # A request's head must arrive within this (slowloris), as in front of one worker.
  timeout http-request {REQUEST_HEAD_TIMEOUT:g}s
  # A busy worker answers /health late, not never: only a dead or stuck one is taken out.
  timeout check 10s
  default-server maxconn 1024
{_errorfiles(errors)}

{balancer_cache.cache_section()}
frontend portal
  bind {bind}
  option forwardfor
  acl open_data path_beg {prefixes}
  use_backend open_data if open_data
  # A reader of a page holds no session: the door's pages come from the balancer's cache.
{balancer_cache.frontend_rules()}
  default_backend pages

backend pages
  balance leastconn
  # A value naming no worker (forged, stale) is balanced afresh and replaced.
  cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
  option httpchk GET /health
{servers}

backend open_data
  balance leastconn
  option httpchk GET /health
{free}

{door}"""


def _errorfiles(folder: Path | None) -> str:
    if folder is None:
        return ""
    return "\n".join(f'  errorfile {code} "{folder / f"{code}.http"}"' for code in ERRORS)


def write_config(
    run_dir: Path,
    host: str,
    port: int,
    backends: list[Backend],
    runtime: Path | None = None,
    publication: str = "",
) -> Path:
    """The configuration under `run_dir`, with its error pages and the publication map
    (`publication`: the stamp HAProxy keys the door's pages by until it is told another)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    balancer_cache.write_map(run_dir, publication or "none")
    errors = run_dir / "errors"
    errors.mkdir(exist_ok=True)
    for code in ERRORS:
        (errors / f"{code}.http").write_bytes(error_page(code))
    path = run_dir / "haproxy.cfg"
    temp = path.with_suffix(".tmp")
    temp.write_text(haproxy_config(host, port, backends, errors, runtime), encoding="utf-8")
    temp.replace(path)
    return path
