"""Validation reads nothing outside the staged package and makes no network request.

A subprocess validates a package whose metadata points at a loopback canary server
(license and source links, which are for people, never fetched) with an audit hook
recording every file it opens and every socket it tries.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.packages import REPO, copy_sample, edit_descriptor

# frictionless is imported by the validation itself, lazily (beside the shape scans);
# importing it reads installed distributions' metadata (entry points), which is code being
# loaded, not the package's data: loaded here, before the audit starts.
SCRIPT = r"""
import json, sys
from pathlib import Path
import frictionless
from portal.config import load_settings
from portal.intake.staging import staged
from portal.validation.engine import validate_package
from portal.validation.rules.packs import SHIPPED

events = {"open": [], "socket": []}
watching = False

def hook(event, args):
    if not watching:
        return
    if event == "open" and isinstance(args[0], (str, bytes)):
        events["open"].append(str(args[0]))
    elif event.startswith("socket."):
        events["socket"].append(event)

settings = load_settings(sys.argv[2])
with staged(Path(sys.argv[1]), settings) as package:
    sys.addaudithook(hook)
    watching = True
    report, _ = validate_package(package, SHIPPED)
    watching = False
    print(json.dumps({"root": str(package.root), "events": events, "valid": report.valid,
                      "cells": [f.cell for f in report.findings]}))
"""


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary_server() -> Iterator[str]:
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow  # a child process with a patched network stack
def test_validation_stays_inside_staging(tmp_path: Path, canary_server: str) -> None:
    canary = tmp_path / "canary.csv"
    canary.write_text("secret", encoding="utf-8")
    folder = copy_sample(tmp_path / "pkg")
    edit_descriptor(
        folder,
        licenses=[{"name": "CC-BY-4.0", "path": f"{canary_server}/license"}],
        sources=[{"title": "canary", "path": f"{canary_server}/source"}],
        homepage=f"{canary_server}/home",
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder), str(tmp_path / "var")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    allowed = (
        result["root"],
        sys.prefix,
        sys.base_prefix,
        str(REPO / "portal"),
        str(REPO / "validators"),
        "/proc",
        "/sys",
        "/dev",
        "/etc/localtime",
        "/usr/share/zoneinfo",
    )
    outside = [p for p in result["events"]["open"] if not p.startswith(allowed)]
    assert outside == []
    assert str(canary) not in result["events"]["open"]
    assert result["events"]["socket"] == []
    assert _Canary.hits == []
    assert result["valid"] is True


def test_findings_echo_only_the_offending_cell(tmp_path: Path) -> None:
    from portal.config import load_settings
    from portal.publishing.publish import validate_source
    from tests.packages import set_cell

    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 3, "budget_irr", "not-a-number")
    report = validate_source(folder, load_settings(tmp_path / "var")).report
    finding = next(f for f in report.findings if f.code == "type-error")
    assert finding.cell == "not-a-number"
    row = (folder / "data" / "projects.csv").read_text(encoding="utf-8").splitlines()[4].split(",")
    others = [cell for cell in row if cell and cell != "not-a-number" and len(cell) > 3]
    for text in finding.message.values():
        assert not any(cell in text for cell in others)
