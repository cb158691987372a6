"""`glasswall verify` for what is derived from published objects and served: the columnar
cache (`$GLASSWALL_HOME/cache/tables/*.arrow`) that the Action API, DataStore, SQL and the
pages read instead of the CSV.

Each cache file of a published resource is typed again from its object and compared, cell
for cell, with what the file holds; its recorded sha256 must match too. A file nobody can
read (no published resource has its name) is not served and is left alone. Reading never
serves a changed file either (`tables.cached_display` checks the record and rebuilds); this
is the check that tells the operator, with the path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from portal.errors import GlassWallError
from portal.store import Store
from portal.store.objects import sha256_file
from portal.store.verify import Problem, problem
from portal.tables.reader import cache_dir, cache_file, for_display, recorded_hash
from portal.validation.table.typed import read_typed


def _published_specs(store: Store) -> dict[Path, tuple[str, dict[str, Any]]]:
    """Cache path -> (object sha256, resource spec) for every CSV resource of every version."""
    folder = cache_dir(store.home)
    found: dict[Path, tuple[str, dict[str, Any]]] = {}
    for version in store.all_versions():
        try:
            descriptor = store.descriptor(version)
        except (OSError, ValueError):
            continue  # verify_store names a missing or changed descriptor
        specs = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}
        for entry in version.resources:
            spec = specs.get(entry.name)
            if spec is not None and str(spec.get("path", "")).endswith(".csv"):
                found[cache_file(folder, entry.sha256, spec)] = (entry.sha256, spec)
    return found


def _differs(store: Store, path: Path, sha256: str, spec: dict[str, Any]) -> bool:
    if not path.is_file():
        return True  # a directory (or anything else) where a cache file belongs
    recorded = recorded_hash(path)
    try:
        if recorded is not None and recorded != sha256_file(path)[0]:
            return True
    except OSError:
        return True
    try:
        with pa.memory_map(str(path)) as source:
            cached = pa.ipc.open_file(source).read_all()
    except (OSError, pa.ArrowInvalid):
        return True
    try:
        rebuilt = for_display(read_typed(store.objects.path(sha256), spec))
    except (OSError, GlassWallError):
        return False  # the object itself is missing or unreadable: verify_store names it
    return not rebuilt.equals(cached)


def verify_derived(store: Store) -> list[Problem]:
    """Every served cache file that does not hold what its published object says."""
    folder = cache_dir(store.home)
    if not folder.is_dir():
        return []
    published = _published_specs(store)
    problems = []
    for path in sorted(folder.glob("*.arrow")):
        if path not in published:
            continue
        sha256, spec = published[path]
        if _differs(store, path, sha256, spec):
            problems.append(problem("cache_changed", str(path), sha256=sha256))
    return problems
