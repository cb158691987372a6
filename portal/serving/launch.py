"""Start `glasswall serve` in a child process and wait until it answers (tests, benchmarks)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

# Headless Chromium on this closed network (DESIGN.md): no sandbox as root, no GPU, and no
# background connections that would be refused.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    home: Path, port: int, log: IO[str] | int = subprocess.DEVNULL, workers: int = 1
) -> subprocess.Popen[bytes]:
    """`glasswall serve` on 127.0.0.1:`port` over the store at `home` (one process unless
    `workers` says otherwise)."""
    command = [sys.executable, "-m", "portal.cli", "--home", str(home), "serve"]
    return subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_healthy(url: str, timeout: float = 60.0) -> bool:
    """True once `{url}/health` answers 200, False when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.3)
    return False
