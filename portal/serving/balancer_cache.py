"""HAProxy keeps the door's pages, per publication, so a news spike never reaches Python.

With several workers, a reader's request for a page address (home, a dataset, a project
card, the sitemap, a card image) goes to the balancer's `door` backend: the same workers,
no sticky cookie (a reader has no session), and HAProxy's own cache in front of them. The
workers' event loops are left to the Streamlit explorers; HAProxy answers a cached page in
microseconds.

Three things keep the cache honest:
- **The key names the publication.** HAProxy's key is the Host and the address; the
  balancer adds the publication's stamp (from `publication.map`, which the supervisor
  updates over HAProxy's runtime socket within half a second of a new entry in the public
  log) and `X-Forwarded-Proto` (the workers believe it, and it changes the page's links),
  then gives the worker the address it was asked. A new publication is a new key: the old
  copies are never served again and age out.
- **One copy per encoding the door would send.** HAProxy 2.6 treats a plain copy as
  acceptable to every reader and a reader without Accept-Encoding as accepting anything;
  so the balancer first rewrites Accept-Encoding to the door's own choice (brotli, else
  gzip, else zstd, else none) with `identity;q=0` beside a compressed one, and each reader
  gets exactly what the door alone would have sent.
- **Browsers still revalidate.** The door says `no-cache` (only this balancer knows when a
  page is replaced); HAProxy reads it as shared-cacheable for its own copy and restores
  `no-cache` on every answer. An `If-None-Match` naming the copy's ETag gets a 304 from
  the cache itself. A response that sets a cookie is never kept.
"""

from __future__ import annotations

import logging
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from portal.store.files import StoreFiles
from portal.store.public_log import generation

_log = logging.getLogger(__name__)

CACHE = "door"
MAP = "publication.map"
MAX_AGE = 60  # seconds: also bounds a page whose text depends on the day
TOTAL_MB = 32  # shared memory HAProxy holds from its start (its RSS grows by this)
MAX_OBJECT = 2 * 1024 * 1024  # bytes: a large sitemap part stays out
# Every page address the door answers (portal.door.front: PAGES and MACHINE_PATHS; a test
# keeps them in step). An address missing here is still answered, by a worker, uncached.
PAGE_PATHS = ("/", "/home", "/projects", "/dataset", "/indicators", "/agencies", "/about")
MACHINE_PATHS = ("/robots.txt", "/sitemap.xml", "/og.png")
SITEMAP_PARTS = r"^/sitemap-[1-9][0-9]{0,3}\.xml$"
# The door's order (portal.door.encoded), then the compression middleware's zstd.
ENCODINGS = ("br", "gzip", "zstd")
# A value of Accept-Encoding naming `{}` with a weight above zero (q=0 refuses it).
_ACCEPTS = r"^{}( *; *q *= *(1(\.0*)?|0?\.[0-9]*[1-9][0-9]*))?$"
SOCKET_PATH_LIMIT = 100  # bytes: AF_UNIX paths stop at 107


def frontend_rules() -> str:
    """The frontend's lines that send page reads to the `door` backend."""
    return (
        f"  acl door_address path {' '.join(PAGE_PATHS + MACHINE_PATHS)}\n"
        f"  acl door_address path_reg '{SITEMAP_PARTS}'\n"
        "  acl reading method GET HEAD\n"
        "  use_backend door if door_address reading"
    )


def cache_section() -> str:
    return (
        f"cache {CACHE}\n"
        f"  total-max-size {TOTAL_MB}\n"
        f"  max-object-size {MAX_OBJECT}\n"
        f"  max-age {MAX_AGE}\n"
        # Vary: Accept-Encoding is processed (one copy per encoding, see above)
        "  process-vary on\n"
    )


def _encoding_rules() -> list[str]:
    lines = [
        f"  acl asks_{name} req.hdr(accept-encoding) -m reg -i '{_ACCEPTS.format(name)}'"
        for name in ENCODINGS
    ]
    refused: list[str] = []
    for name in ENCODINGS:
        unless = "".join(f" !asks_{earlier}" for earlier in refused)
        lines.append(
            f'  http-request set-header Accept-Encoding "{name}, identity;q=0" if{unless} '
            f"asks_{name}"
        )
        refused.append(name)
    none = "".join(f" !asks_{name}" for name in ENCODINGS)
    lines.append(f"  http-request set-header Accept-Encoding identity if{none}")
    return lines


def door_backend(workers: list[tuple[str, int]]) -> str:
    """The `door` backend over the pages backend's workers (name, port): it follows their
    health checks rather than adding its own."""
    key = (
        "%[query]&glasswall-publication=%[str(current),map(" + MAP + ")]"
        "&glasswall-proto=%[req.hdr(x-forwarded-proto)]"
    )
    lines = [
        "backend door",
        "  # Page reads, kept per publication and encoding (serving/balancer_cache.py says how).",
        "  balance leastconn",
        *_encoding_rules(),
        "  http-request set-var(txn.asked) pathq",
        f'  http-request set-query "{key}"',
        f"  http-request cache-use {CACHE}",
        "  http-request set-uri %[var(txn.asked)]",
        f"  http-response replace-value Cache-Control '^no-cache$' s-maxage={MAX_AGE}",
        f"  http-response cache-store {CACHE} if !{{ res.hdr(set-cookie) -m found }}",
        f"  http-response replace-value Cache-Control '^s-maxage={MAX_AGE}$' no-cache",
        *(f"  server {name} 127.0.0.1:{port} track pages/{name}" for name, port in workers),
    ]
    return "\n".join(lines) + "\n"


def stamp(home: Path) -> str:
    """The publication's name for the cache key: changes with every entry of the log."""
    size, modified = generation(StoreFiles(home).log)
    return f"{size}-{modified}"


def write_map(run_dir: Path, value: str) -> Path:
    path = run_dir / MAP
    temp = path.with_suffix(".tmp")
    temp.write_text(f"current {value}\n", encoding="utf-8")
    temp.replace(path)
    return path


def socket_path(run_dir: Path) -> Path:
    """Where HAProxy's runtime socket goes: under the home, or (a home too deep for a unix
    socket's address) in a private temporary folder."""
    path = run_dir / "haproxy.sock"
    if len(str(path).encode()) <= SOCKET_PATH_LIMIT:
        return path
    return Path(tempfile.mkdtemp(prefix="glasswall-")) / "haproxy.sock"


def ask(path: Path, command: str, timeout: float = 5.0) -> str:
    """One command on HAProxy's runtime socket; its answer (HAProxy then hangs up)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(command.encode() + b"\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.decode(errors="replace")


@dataclass
class PublicationWatch:
    """Tells the balancer when the publication changes (the supervisor calls `check`);
    `told` is the stamp HAProxy holds (the one its configuration started with)."""

    home: Path
    run_dir: Path
    socket: Path
    told: str

    def check(self) -> bool:
        """Give HAProxy the new stamp if the log moved on; True when it was told. A
        failure is logged and tried again at the next check."""
        now = stamp(self.home)
        if now == self.told:
            return False
        try:
            answer = ask(self.socket, f"set map {MAP} current {now}").strip()
        except OSError as error:
            _log.warning("balancer: HAProxy was not told of the new publication (%s)", error)
            return False
        if answer:
            _log.error("balancer: HAProxy refused the new publication: %s", answer)
            return False
        write_map(self.run_dir, now)  # the file says what HAProxy holds
        self.told = now
        return True
