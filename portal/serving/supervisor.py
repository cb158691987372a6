"""`glasswall serve --workers N`: N portal processes behind HAProxy, watched and restarted.

Each worker is a whole portal (`glasswall serve --workers 1` on a loopback port) over the
same store: SQLite in WAL mode lets them all read while one publisher holds the writer
lock, and every cache is keyed by the publication stamp read from the store, so a
version published through any worker shows on all of them. The supervisor writes the
balancer's configuration under `$GLASSWALL_HOME/run/`, starts HAProxy and the workers,
restarts a worker that dies, tells HAProxy of each new publication (the key of its copies
of the door's pages, `portal.serving.balancer_cache`), and stops them all when it is stopped
(SIGINT/SIGTERM).
`run/serve.json` names the processes and ports, for operators and tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

from portal.errors import GlassWallError
from portal.serving.balancer import Backend, haproxy_binary, write_config
from portal.serving.balancer_cache import PublicationWatch, socket_path, stamp
from portal.serving.launch import free_port, wait_until_healthy

STARTUP_TIMEOUT = 120.0
RESTART_PAUSE = 1.0  # seconds between restarts of one worker, so a crash loop cannot spin


def _die_with_parent() -> None:
    """Children get SIGTERM if the supervisor itself is killed (Linux prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Worker:
    backend: Backend
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restarts: int = 0


@dataclass
class Supervisor:
    home: Path
    host: str
    port: int
    workers: int
    log: IO[str] | None = None
    children: list[Worker] = field(default_factory=list)
    balancer: subprocess.Popen[bytes] | None = None
    publication: PublicationWatch | None = None
    stopping: bool = False

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    def _spawn(self, worker: Worker) -> None:
        command = [sys.executable, "-m", "portal.cli", "--home", str(self.home), "serve"]
        command += ["--workers", "1", "--no-release-clock"]  # the supervisor releases
        command += ["--host", "127.0.0.1", "--port", str(worker.backend.port)]
        worker.process = subprocess.Popen(
            command,
            stdout=self.log or None,
            stderr=subprocess.STDOUT if self.log else None,
            preexec_fn=_die_with_parent,
        )
        worker.started = time.monotonic()

    def start(self) -> None:
        binary = haproxy_binary()
        self.children = [Worker(Backend(f"w{i + 1}", free_port())) for i in range(self.workers)]
        backends = [w.backend for w in self.children]
        runtime = socket_path(self.run_dir)
        self.publication = PublicationWatch(self.home, self.run_dir, runtime, stamp(self.home))
        config = write_config(
            self.run_dir, self.host, self.port, backends, runtime, self.publication.told
        )
        check = subprocess.run(
            [binary, "-c", "-f", str(config)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            alerts = [line for line in check.stderr.splitlines() if "ALERT" in line]
            raise GlassWallError("serve.balancer_failed", file=str(config), reason=" ".join(alerts))
        for worker in self.children:
            self._spawn(worker)
        # The balancer starts once the workers answer, so the first citizen never sees a 503.
        for worker in self.children:
            wait_until_healthy(f"http://127.0.0.1:{worker.backend.port}", timeout=STARTUP_TIMEOUT)
        self.balancer = subprocess.Popen(
            [binary, "-db", "-f", str(config)], preexec_fn=_die_with_parent
        )
        self.write_state()

    def write_state(self) -> None:
        state = {
            "supervisor": os.getpid(),
            "address": f"http://{self.host}:{self.port}",
            "balancer": self.balancer.pid if self.balancer else None,
            "workers": [
                {
                    "name": w.backend.name,
                    "port": w.backend.port,
                    "pid": w.process.pid if w.process else None,
                    "restarts": w.restarts,
                }
                for w in self.children
            ],
        }
        temp = self.run_dir / "serve.json.tmp"
        temp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        temp.replace(self.run_dir / "serve.json")

    def watch_once(self) -> None:
        """Restart dead workers, tell the balancer of a new publication; raise if the
        balancer itself is gone."""
        if self.balancer is not None and self.balancer.poll() is not None:
            raise GlassWallError("serve.balancer_failed", file="haproxy", reason="exited")
        if self.publication is not None:
            self.publication.check()
        changed = False
        for worker in self.children:
            process = worker.process
            if process is None or process.poll() is None:
                continue
            if time.monotonic() - worker.started < RESTART_PAUSE:
                continue
            worker.restarts += 1
            self._spawn(worker)
            changed = True
        if changed:
            self.write_state()

    def stop(self) -> None:
        self.stopping = True
        processes = [w.process for w in self.children if w.process] + (
            [self.balancer] if self.balancer else []
        )
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / "serve.json").unlink()
        if self.publication is not None and self.publication.socket.parent != self.run_dir:
            shutil.rmtree(self.publication.socket.parent, ignore_errors=True)


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def supervise(
    home: Path, host: str, port: int, workers: int, on_tick: Callable[[], object] | None = None
) -> None:
    """Run until interrupted; every child is stopped on the way out, whatever happens.
    `on_tick` runs every half second in this one process (the release clock)."""
    supervisor = Supervisor(home, host, port, workers)
    previous = signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        supervisor.start()
        while True:
            time.sleep(0.5)
            if on_tick is not None:
                on_tick()  # a release it makes reaches the balancer's key just below
            supervisor.watch_once()
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.stop()
        signal.signal(signal.SIGTERM, previous)
