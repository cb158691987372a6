"""The HAProxy configuration `serve --workers` writes: valid, sticky pages, open data free."""

from __future__ import annotations

import subprocess
from pathlib import Path

from portal.api.routes import OPEN_PREFIXES
from portal.balancer import COOKIE, Backend, haproxy_binary, write_config


def test_the_written_configuration_is_valid_and_says_what_is_sticky(tmp_path: Path) -> None:
    backends = [Backend("w1", 40001), Backend("w2", 40002)]
    path = write_config(tmp_path / "run", "127.0.0.1", 8501, backends)
    check = subprocess.run(
        [haproxy_binary(), "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    text = path.read_text(encoding="utf-8")
    pages = text.split("\nbackend pages", 1)[1].split("\nbackend open_data", 1)[0]
    free = text.split("\nbackend open_data", 1)[1]
    assert f"cookie {COOKIE} insert" in pages
    assert "server w1 127.0.0.1:40001 cookie w1" in pages
    assert "server w2 127.0.0.1:40002 cookie w2" in pages
    assert "cookie" not in free and "server w2 127.0.0.1:40002 check" in free
    assert all(prefix in text for prefix in OPEN_PREFIXES)
    assert "bind 127.0.0.1:8501" in text and "option redispatch" in text
