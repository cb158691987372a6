"""Re-check everything a citizen relies on: objects, manifests and the hash-chained log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portal.i18n import bilingual
from portal.store import catalog
from portal.store.objects import sha256_file
from portal.store.public_log import GENESIS, LogLine, entry_hash

if TYPE_CHECKING:
    from portal.store import Store


@dataclass(frozen=True)
class Problem:
    code: str
    where: str
    message: dict[str, str]


def problem(code: str, where: str, **params: Any) -> Problem:
    return Problem(code, where, bilingual(f"verify.{code}", where=where, **params))


def _check_objects(store: Store) -> list[Problem]:
    problems = []
    for name, path in store.objects.all():
        actual, _ = sha256_file(path)
        if actual != name:
            problems.append(problem("object_changed", f"objects/{name[:2]}/{name[2:]}"))
    return problems


def _check_versions(store: Store) -> list[Problem]:
    problems = []
    for version in catalog.all_versions(store.conn):
        where = f"{version.agency}/{version.dataset}@{version.number}"
        needed = [version.manifest_sha256, version.descriptor_sha256, version.report_sha256]
        needed += [r.sha256 for r in version.resources]
        missing = [sha for sha in needed if not store.objects.has(sha)]
        problems += [problem("object_missing", where, sha256=sha) for sha in missing]
        if version.manifest_sha256 in missing:
            continue
        manifest = json.loads(store.objects.read_bytes(version.manifest_sha256))
        attached = (manifest.get("attachments") or {}).values()  # explanations, signals, ...
        problems += [
            problem("object_missing", where, sha256=sha)
            for sha in attached
            if not store.objects.has(str(sha))
        ]
        listed = [(r["name"], r["sha256"], r["bytes"]) for r in manifest["resources"]]
        indexed = [(r.name, r.sha256, r.bytes) for r in version.resources]
        if listed != indexed or manifest["version"] != version.number:
            problems.append(problem("manifest_mismatch", where))
    return problems


def check_chain(lines: list[LogLine], fragment: str) -> list[Problem]:
    """Each entry's own hash, its link to the one before, and its place in the file."""
    problems = []
    prev: str | None = GENESIS
    for line in lines:
        where = f"log.jsonl:{line.number}"
        entry = line.entry
        if entry is None:
            problems.append(problem("log_unreadable", where))
            prev = None
            continue
        if entry_hash(entry) != entry.get("hash"):
            problems.append(problem("log_edited", where))
        elif prev is not None and entry.get("prev") != prev:
            problems.append(problem("log_chain_broken", where))
        elif entry.get("seq") != line.number:
            problems.append(problem("log_out_of_order", where, seq=str(entry.get("seq"))))
        prev = entry.get("hash")
    if fragment:
        problems.append(problem("log_torn", f"log.jsonl:{len(lines) + 1}"))
    return problems


def _check_log(store: Store) -> list[Problem]:
    lines, fragment = store.log.read()
    problems = check_chain(lines, fragment)
    rows = catalog.log_rows(store.conn)
    for row in rows:
        seq = row["seq"]
        if seq > len(lines):
            if row["appended"]:
                problems.append(problem("log_removed", f"log.jsonl:{seq}"))
            else:
                problems.append(problem("log_pending", f"log.jsonl:{seq}"))
        elif lines[seq - 1].entry is not None and lines[seq - 1].raw != row["entry"]:
            problems.append(problem("log_differs", f"log.jsonl:{seq}"))
    if len(lines) > len(rows):
        problems.append(problem("log_extra", f"log.jsonl:{len(rows) + 1}"))
    logged = {row["seq"]: json.loads(row["entry"]) for row in rows}
    for version in catalog.all_versions(store.conn):
        entry = logged.get(version.log_seq)
        if entry is None or entry.get("manifest") != version.manifest_sha256:
            where = f"{version.agency}/{version.dataset}@{version.number}"
            problems.append(problem("version_unlogged", where))
    return problems


def verify_store(store: Store) -> list[Problem]:
    """Every mismatch between objects, catalog and log, each named; empty when all is well."""
    return _check_objects(store) + _check_versions(store) + _check_log(store)
