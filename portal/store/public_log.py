"""The public publication log: JSON lines, each carrying the hash of the one before.

Editing, removing or reordering an entry breaks the chain, so anyone holding a copy
can prove the portal has not rewritten its history.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64


def generation(path: Path) -> tuple[int, int]:
    """Changes whenever something is published: the log's size and mtime."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (info.st_size, info.st_mtime_ns)


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: dict[str, Any]) -> str:
    """sha256 of the canonical entry without its own `hash`."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def seal(body: dict[str, Any], prev: str) -> dict[str, Any]:
    entry = {**body, "prev": prev}
    entry["hash"] = entry_hash(entry)
    return entry


@dataclass
class LogLine:
    number: int  # 1-based line number in the file
    raw: str
    entry: dict[str, Any] | None


def parse_log(data: bytes) -> tuple[list[LogLine], str]:
    """A log's complete lines, and a trailing fragment with no newline (a torn write)."""
    *complete, fragment = data.decode("utf-8", errors="replace").split("\n")
    lines = []
    for number, raw in enumerate(complete, start=1):
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        lines.append(LogLine(number, raw, parsed if isinstance(parsed, dict) else None))
    return lines, fragment


class LogFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> tuple[list[LogLine], str]:
        """Complete lines, and a trailing fragment with no newline (a torn write)."""
        if not self.path.exists():
            return [], ""
        return parse_log(self.path.read_bytes())

    def truncate_fragment(self) -> None:
        """Drop a torn last line left by a crash mid-append."""
        lines, fragment = self.read()
        if fragment:
            keep = sum(len(line.raw.encode("utf-8")) + 1 for line in lines)
            with self.path.open("r+b") as handle:
                handle.truncate(keep)
                os.fsync(handle.fileno())

    def append(self, entry: dict[str, Any]) -> None:
        with self.path.open("ab") as handle:
            handle.write((canonical(entry) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
