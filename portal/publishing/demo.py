"""Publish the sample agencies shipped in `datasets/` (illustrative data, labelled as such)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from portal.config import Settings
from portal.progress import Counter, Progress
from portal.publishing.admission import operator
from portal.publishing.publish import PublishResult, publish_as
from portal.store import Store
from portal.store.agencies import add_agency

# The sample packages ship inside the package (`portal/samples` is `datasets/` in a checkout).
DATASETS_DIR = Path(str(files("portal") / "samples"))


def sample_packages(root: Path = DATASETS_DIR) -> list[Path]:
    return sorted(path.parent for path in root.glob("*/datapackage.json"))


def publish_samples(
    store: Store,
    settings: Settings,
    root: Path = DATASETS_DIR,
    progress: Progress | None = None,
) -> list[PublishResult]:
    """Create each sample agency if needed and publish its package as the operator."""
    results = []
    folders = sample_packages(root)
    counter = Counter(progress, "datasets", len(folders))
    for folder in folders:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        slug = descriptor["agency"]
        if store.agency(slug) is None:
            publisher = descriptor["publisher"]
            store.run(add_agency, slug, publisher["name_fa"], publisher["name_en"])
        results.append(publish_as(store, folder, settings, operator(store, slug)))
        counter.advance()
    counter.finish()
    return results
