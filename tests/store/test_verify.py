"""`verify` names each kind of tampering: changed or missing objects, edited or moved log lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store
from portal.store.public_log import canonical, seal
from portal.store.verify import verify_store
from tests.packages import copy_sample, set_cell


@pytest.fixture
def published(tmp_path: Path, store: Store, settings: Settings, yazd_token: str) -> Store:
    """Three versions of the sample projects package."""
    folder = copy_sample(tmp_path / "pkg")
    for progress in ("10", "20", "30"):
        set_cell(folder, 0, "beneficiaries", progress)
        publish(store, folder, settings, token=yazd_token)
    assert verify_store(store) == []
    return store


def codes(store: Store) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in verify_store(store)]


def _writable(path: Path) -> None:
    os.chmod(path, 0o644)


def test_flipped_byte_in_an_object_is_named(published: Store) -> None:
    entry = published.objects.all().__next__()[1]
    _writable(entry)
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0x01
    entry.write_bytes(bytes(data))
    problems = codes(published)
    name = entry.parent.name + "/" + entry.name
    assert problems == [("object_changed", f"objects/{name}")]


def test_missing_object_is_named(published: Store) -> None:
    version = published.conn.execute("SELECT manifest_sha256 FROM versions LIMIT 1").fetchone()[0]
    published.objects.path(version).unlink()
    assert ("object_missing", "mrud-yazd/infrastructure-projects@1") in codes(published)


def _lines(store: Store) -> list[str]:
    return store.log.path.read_text(encoding="utf-8").splitlines(keepends=True)


# Line 1 of the log holds the agency's titles; versions 1-3 are lines 2-4.


def test_edited_log_line_is_named(published: Store) -> None:
    lines = _lines(published)
    lines[2] = lines[2].replace('"version":2', '"version":7')
    published.log.path.write_text("".join(lines), encoding="utf-8")
    assert codes(published) == [("log_edited", "log.jsonl:3"), ("log_differs", "log.jsonl:3")]


def test_deleted_last_log_line_is_named(published: Store) -> None:
    published.log.path.write_text("".join(_lines(published)[:-1]), encoding="utf-8")
    assert codes(published) == [("log_removed", "log.jsonl:4")]


def test_deleted_middle_log_line_is_named(published: Store) -> None:
    lines = _lines(published)
    published.log.path.write_text(lines[0] + lines[2], encoding="utf-8")
    problems = codes(published)
    assert problems[0] == ("log_chain_broken", "log.jsonl:2")
    assert ("log_removed", "log.jsonl:3") in problems


def test_reordered_log_lines_are_named(published: Store) -> None:
    lines = _lines(published)
    published.log.path.write_text(lines[0] + lines[2] + lines[1], encoding="utf-8")
    problems = codes(published)
    assert ("log_chain_broken", "log.jsonl:2") in problems
    assert ("log_differs", "log.jsonl:2") in problems


def test_rewritten_and_resealed_entry_is_caught_by_the_catalog_copy(published: Store) -> None:
    lines = _lines(published)
    entry = json.loads(lines[3])
    body = {k: v for k, v in entry.items() if k not in ("hash", "prev")}
    body["version"] = 9
    lines[3] = canonical(seal(body, entry["prev"])) + "\n"
    published.log.path.write_text("".join(lines), encoding="utf-8")
    assert codes(published) == [("log_differs", "log.jsonl:4")]


# Issue 21: a catalog SQLite calls malformed, a truncated catalog, an object that is no file.


def _garble_table(store: Store, table: str, start: float = 0.0) -> None:
    """Garbage over the root page of `table` in catalog.sqlite from `start` (a share of the
    page: 0 breaks its header too, 0.5 only the cells at its end), every write checkpointed."""
    conn = store.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    store.close()
    with store.db_path.open("r+b") as handle:
        handle.seek((root - 1) * size + int(size * start))
        handle.write((b"\xa5garbage\x00" * size)[: size - int(size * start)])


DAMAGED = ("catalog_malformed", "catalog_unreadable")


def _cli_verify(home: Path) -> tuple[int, str]:
    from typer.testing import CliRunner

    from portal.cli import app

    result = CliRunner().invoke(app, ["--lang", "en", "--home", str(home), "verify"])
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception), (
        result.output,
        result.exception,
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("table", "start"),
    [
        ("tokens", 0.0),
        ("tokens", 0.5),  # the cells at the page's end: rows, not the page header
        ("feedback", 0.0),  # empty here: only its header can break
        ("agency_profiles", 0.0),
        ("schema_migrations", 0.0),
        ("schema_migrations", 0.5),
    ],
)
def test_garbage_over_a_table_nobody_verifies_is_named(
    published: Store, settings: Settings, table: str, start: float
) -> None:
    _garble_table(published, table, start)
    found = [(p.code, p.where) for p in verify_store(published)]
    # SQLite either lists what its integrity check found or cannot read the page at all.
    assert found[0] in [(code, str(published.db_path)) for code in DAMAGED], found
    code, out = _cli_verify(settings.home)
    assert code == 1 and "catalog.sqlite" in out.replace("\n", "")


def test_a_truncated_catalog_is_a_clear_error(published: Store, settings: Settings) -> None:
    published.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    published.close()
    size = published.db_path.stat().st_size
    with published.db_path.open("r+b") as handle:
        handle.truncate(size // 3)
    code, out = _cli_verify(settings.home)
    assert code == 1 and "catalog.sqlite" in out.replace("\n", "")


def test_a_catalog_that_is_not_sqlite_is_named(published: Store, settings: Settings) -> None:
    published.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{published.db_path}{suffix}").unlink(missing_ok=True)
    published.db_path.write_bytes(b"not a database at all" * 100)
    code, out = _cli_verify(settings.home)
    assert code == 1 and "catalog.sqlite" in out.replace("\n", "")


def test_an_object_replaced_by_a_directory_is_named(published: Store, settings: Settings) -> None:
    name, path = next(published.objects.all())
    path.unlink()
    path.mkdir()
    assert ("object_unreadable", f"objects/{name[:2]}/{name[2:]}") in codes(published)
    published.close()
    code, out = _cli_verify(settings.home)
    assert code == 1 and f"objects/{name[:2]}/{name[2:]}" in out.replace("\n", "")
