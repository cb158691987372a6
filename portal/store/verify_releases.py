"""Released against committed: what `glasswall verify` checks of sealed releases.

A sealed release put its commitment (the sha256 of the manifest to be released) on the
log when it was scheduled. Every publication that says it is a release must publish
exactly that manifest, for that version, and not before its announced hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

Finding = tuple[str, str, dict[str, Any]]  # (verify.<code>, where, params)


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def check_releases(entries: Iterable[tuple[int, dict[str, Any]]]) -> list[Finding]:
    """`entries`: (seq, entry) in log order."""
    committed: dict[str, dict[str, Any]] = {}
    planned: dict[str, str] = {}
    findings: list[Finding] = []
    for seq, entry in entries:
        kind = entry.get("type")
        if kind == "schedule":
            committed[str(entry.get("commitment"))] = entry
            planned[str(entry.get("commitment"))] = str(entry.get("release_at"))
        elif kind == "move":
            planned[str(entry.get("commitment"))] = str(entry.get("release_at"))
        elif kind == "publish" and isinstance(entry.get("release"), dict):
            where = f"log.jsonl:{seq} {entry.get('agency')}/{entry.get('dataset')}"
            commitment = str(entry["release"].get("commitment"))
            sealed = committed.get(commitment)
            identity = (entry.get("agency"), entry.get("dataset"), entry.get("version"))
            if (
                sealed is None
                or entry.get("manifest") != commitment
                or identity != (sealed.get("agency"), sealed.get("dataset"), sealed.get("version"))
            ):
                findings.append(("release_uncommitted", where, {"commitment": commitment}))
                continue
            hour, at = _moment(planned.get(commitment)), _moment(entry.get("time"))
            if hour is None or at is None or at < hour:
                findings.append(("release_early", where, {"planned": planned.get(commitment)}))
    return findings
