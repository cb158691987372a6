"""Hostile text stored the way old data was: straight through the writer, past every input
check (versions are immutable, so what is stored must still be shown safely)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from portal.store import Store, catalog, feedback
from portal.store.feedback_records import NewFeedback
from portal.store.records import Version
from portal.store.writer import NewResource, commit_version
from portal.tables.reader import warm_tables
from tests.packages import SAMPLE_PROJECTS, read_rows, write_rows

DATASET = ("mrud-yazd", "infrastructure-projects")
# Off any list (an own schema without the enum, as the attack in issue 21 published).
STATUSES = ["", "Identification", "identification ", "**x** <b>\u202e1</b>"]
CONTROL = "Supplementary \x01budget\x1b[2J \x0b ok\ufffe"
REVERSED = "\u202edetirw"  # an agency answer whose U+202E is never closed
ANSWER = f"{REVERSED}\x07 done"


def store_hostile_version(store: Store, tmp_path: Path) -> Version:
    """Version 2 of mrud-yazd's projects with off-list statuses, a title with an open
    U+202E and control characters, and explanations full of control characters."""
    folder = tmp_path / "hostile"
    shutil.copytree(SAMPLE_PROJECTS, folder)
    path = folder / "data" / "projects.csv"
    rows = read_rows(path)
    for row, status in zip(rows, STATUSES, strict=False):
        row["status"] = status
    write_rows(path, rows)
    previous = catalog.version(store.conn, *DATASET)
    assert previous is not None
    descriptor = json.loads(store.objects.read_bytes(previous.descriptor_sha256))
    for resource in descriptor["resources"]:
        for field in (resource.get("schema") or {}).get("fields", []):
            field.pop("constraints", None)  # an own schema that loosens the profile
            field.pop("codelist", None)
    descriptor["title"] = "Projects \u202e\x02 of Yazd"
    descriptor["update_frequency"] = "sometimes\x07"
    report = json.loads(store.objects.read_bytes(previous.report_sha256))
    change = {
        "code": "budget-changed",
        "resource": "projects",
        "row": 2,
        "field": "budget_irr",
        "key": "mrud-yazd-0001",
        "old": "1",
        "new": "2",
        "message": {"fa": f"بودجه {CONTROL}", "en": f"Budget {CONTROL}"},
        "reason": {"fa": f"متمم {CONTROL}", "en": f"{REVERSED} {CONTROL}"},
        "scope": "finding",
    }
    explanations = {"previous_version": previous.number, "changes": [change]}
    resources = [
        NewResource(r["name"], r["path"], folder / r["path"], "text/csv", len(rows))
        for r in descriptor["resources"]
    ]
    version, _ = commit_version(
        store,
        *DATASET,
        descriptor["title"],
        descriptor,
        report,
        resources,
        {"explanations": explanations},
    )
    warm_tables(store, version)
    return version


def store_hostile_answer(store: Store) -> int:
    """An approved question with an answer holding control characters and an open U+202E."""
    item = feedback.submit(store.conn, NewFeedback("/".join(DATASET), "Why?\x1f"))
    feedback.approve(store.conn, DATASET[0], item)
    feedback.answer(store.conn, DATASET[0], item, "placeholder")
    store.conn.execute("UPDATE feedback SET answer = ? WHERE id = ?", (ANSWER, item))
    store.conn.commit()
    return item


EMBEDDINGS, PDF = "\u202a\u202b\u202d\u202e", "\u202c"
ISOLATES, PDI = "\u2066\u2067\u2068", "\u2069"


def reorders_its_surroundings(text: str) -> bool:
    """True when a visible character sits under an embedding or override opened outside
    every isolate: text that is not the writer's own would be shown reordered (UBA rules:
    a PDI closes what was opened since its isolate; a line break closes everything)."""
    opened: list[str] = []
    for character in text:
        if character == "\n":
            opened = []
        elif character in ISOLATES or character in EMBEDDINGS:
            opened.append(character)
        elif character == PDI:
            while opened and opened[-1] not in ISOLATES:
                opened.pop()
            if opened:
                opened.pop()
        elif character == PDF:
            if opened and opened[-1] in EMBEDDINGS:
                opened.pop()
        elif not character.isspace() and opened and opened[0] in EMBEDDINGS:
            return True
    return False
