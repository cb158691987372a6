"""Re-check everything a citizen relies on: objects, manifests and the hash-chained log."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portal.errors import StoreProblem
from portal.i18n import bilingual
from portal.store import catalog
from portal.store.agency_log import FACTS, facts_of
from portal.store.manifests import ManifestRefused, check_manifest
from portal.store.objects import sha256_file
from portal.store.public_log import GENESIS, LogLine, entry_hash
from portal.store.verify_releases import check_releases

if TYPE_CHECKING:
    from portal.store import Store
    from portal.store.records import Version


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
        where = f"objects/{name[:2]}/{name[2:]}"
        try:
            actual, _ = sha256_file(path)
        except OSError as error:  # a directory, a dangling link, no permission
            problems.append(problem("object_unreadable", where, reason=error.strerror or error))
            continue
        if actual != name:
            problems.append(problem("object_changed", where))
    return problems


def check_catalog(store: Store) -> list[Problem]:
    """SQLite's own checks: pages nobody else reads (tokens, feedback, profiles, the
    migrations table) are covered too, and a dangling reference is named."""
    where = str(store.db_path)
    try:
        found = [str(row[0]) for row in store.conn.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as error:
        return [problem("catalog_unreadable", where, reason=str(error))]
    except StoreProblem as error:  # not even a SQLite file (`catalog.connect`)
        return [problem("catalog_unreadable", where, reason=error.params.get("reason", ""))]
    if found != ["ok"]:  # reading its rows would only fail on the damaged pages
        return [problem("catalog_malformed", where, detail="; ".join(found)[:300])]
    dangling = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    if dangling:
        tables = ", ".join(sorted({str(row[0]) for row in dangling}))
        return [problem("catalog_dangling", where, count=len(dangling), tables=tables)]
    return []


def _row_differences(version: Version, manifest: dict[str, Any], title: str | None) -> list[str]:
    """Each catalog column of a version that says something its manifest does not."""
    fields = {
        "agency": version.agency,
        "dataset": version.dataset,
        "version": version.number,
        "created_at": version.created_at,
        "descriptor": version.descriptor_sha256,
        "report": version.report_sha256,
    }
    differ = [name for name, value in fields.items() if manifest.get(name) != value]
    if title is not None and title != version.title:
        differ.append("title")
    keys = ("name", "path", "sha256", "bytes", "rows", "mediatype")
    listed = [tuple(r.get(k) for k in keys) for r in manifest.get("resources", [])]
    indexed = [(r.name, r.path, r.sha256, r.bytes, r.rows, r.mediatype) for r in version.resources]
    if listed != indexed:
        differ.append("resources")
    return differ


def _title(store: Store, version: Version, changed: set[str]) -> str | None:
    """The title publishing derives from the descriptor (None when it cannot be trusted)."""
    sha = version.descriptor_sha256
    if sha in changed or not store.objects.has(sha):
        return None
    try:
        descriptor = json.loads(store.objects.read_bytes(version.descriptor_sha256))
    except ValueError:
        return None
    return str(descriptor.get("title") or version.dataset)


def _check_versions(store: Store, changed: set[str]) -> list[Problem]:
    problems = []
    numbers: dict[tuple[str, str], list[int]] = {}
    for version in catalog.all_versions(store.conn):
        where = f"{version.agency}/{version.dataset}@{version.number}"
        numbers.setdefault((version.agency, version.dataset), []).append(version.number)
        needed = [version.manifest_sha256, version.descriptor_sha256, version.report_sha256]
        needed += [r.sha256 for r in version.resources]
        missing = [sha for sha in needed if not store.objects.has(sha)]
        problems += [problem("object_missing", where, sha256=sha) for sha in missing]
        if version.manifest_sha256 in missing or version.manifest_sha256 in changed:
            continue  # named already; its content says nothing trustworthy
        manifest = json.loads(store.objects.read_bytes(version.manifest_sha256))
        try:
            check_manifest(manifest)
        except ManifestRefused as refused:  # stored before replicas checked what they apply
            key = "field_missing" if refused.missing else "field_refused"
            problems.append(problem(key, where, field=refused.field, value=refused.value))
            continue
        attached = (manifest.get("attachments") or {}).values()  # explanations, signals, ...
        problems += [
            problem("object_missing", where, sha256=sha)
            for sha in attached
            if not store.objects.has(str(sha))
        ]
        # Manifests written before titles were listed in them: the descriptor's title.
        title = manifest["title"] if "title" in manifest else _title(store, version, changed)
        differ = _row_differences(version, manifest, title)
        if differ:
            problems.append(problem("row_differs", where, fields=", ".join(differ)))
    for (agency, dataset), found in numbers.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            problems.append(problem("versions_gap", f"{agency}/{dataset}"))
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
    logged = {row["seq"]: _parsed(row["entry"]) for row in rows}
    for row in rows:
        entry = logged[row["seq"]]
        if entry.get("hash") != row["hash"] or entry.get("seq") != row["seq"]:
            problems.append(problem("log_differs", f"log.jsonl:{row['seq']}"))
    problems += _check_agencies(store, logged)
    ordered = [(seq, logged[seq]) for seq in sorted(logged)]
    problems += [problem(code, where, **params) for code, where, params in check_releases(ordered)]
    versions = catalog.all_versions(store.conn)
    for version in versions:
        found = logged.get(version.log_seq)
        identity = (version.agency, version.dataset, version.number, version.manifest_sha256)
        if found is None or _identity(found) != identity:
            where = f"{version.agency}/{version.dataset}@{version.number}"
            problems.append(problem("version_unlogged", where))
    # Every publication the log records must still be in the catalog (a deleted latest
    # version would silently serve the one before).
    held = {(v.agency, v.dataset, v.number, v.manifest_sha256) for v in versions}
    for seq, entry in logged.items():
        if entry.get("type") == "publish" and _identity(entry) not in held:
            where = f"{entry.get('agency')}/{entry.get('dataset')}@{entry.get('version')}"
            problems.append(problem("version_missing", where, seq=seq))
    return problems


def _check_agencies(store: Store, logged: dict[int, dict[str, Any]]) -> list[Problem]:
    """Each agency's titles as the newest `agency` entry of the log says them."""
    facts = facts_of(logged[seq] for seq in sorted(logged))
    if not facts:
        return []  # a store made before titles were logged: adopted at its next recover
    problems = []
    rows = {agency.slug: agency for agency in catalog.agencies(store.conn)}
    for slug, agency in rows.items():
        entry = facts.get(slug)
        if entry is None:
            problems.append(problem("agency_unlogged", f"agencies/{slug}"))
            continue
        differ = [name for name in FACTS if entry.get(name) != getattr(agency, name)]
        if differ:
            problems.append(problem("agency_differs", f"agencies/{slug}", fields=", ".join(differ)))
    gone = [slug for slug in facts if slug not in rows]
    return problems + [problem("agency_missing", f"agencies/{slug}") for slug in gone]


def _parsed(text: str) -> dict[str, Any]:
    try:
        entry = json.loads(text)
    except ValueError:
        return {}
    return entry if isinstance(entry, dict) else {}


def _identity(entry: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    return (entry.get("agency"), entry.get("dataset"), entry.get("version"), entry.get("manifest"))


def verify_store(store: Store) -> list[Problem]:
    """Every mismatch between objects, catalog and log, each named; empty when all is well."""
    database = check_catalog(store)
    objects = _check_objects(store)
    changed = {p.where.removeprefix("objects/").replace("/", "") for p in objects}
    if any(p.code == "catalog_unreadable" for p in database):
        return database + objects
    try:
        rows = _check_versions(store, changed) + _check_log(store)
    except sqlite3.DatabaseError as error:  # a malformed page on the way
        rows = [problem("catalog_unreadable", str(store.db_path), reason=str(error))]
    return database + objects + rows
