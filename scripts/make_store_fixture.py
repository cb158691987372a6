#!/usr/bin/env python3
"""Build the store fixture that stands for a store made by a past release.

    python scripts/make_store_fixture.py --out tests/store/fixtures/store-0.1.0

Run it with the release whose store the fixture must represent (it was built with 0.1.0,
before the schema steps that came after): tests open, upgrade and verify it with the
current code. Small on purpose: one agency, two versions of its dataset, one citizen's
item with a contact, one revoked token.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.config import Settings  # noqa: E402
from portal.publishing.demo import sample_packages  # noqa: E402
from portal.publishing.publish import publish  # noqa: E402
from portal.store import Store, feedback  # noqa: E402
from portal.store.agencies import add_agency, create_token, revoke_token  # noqa: E402
from portal.store.feedback_records import NewFeedback  # noqa: E402
from tests.packages import set_cell  # noqa: E402


def build(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    store = Store(out)
    store.init()
    settings = Settings(home=out)
    source = next(p for p in sample_packages() if p.name == "mrud-yazd")
    token = add_agency(
        store.conn, "mrud-yazd", "راه و شهرسازی یزد", "Roads and Urban Development, Yazd"
    )
    revoke_token(store.conn, create_token(store.conn, "mrud-yazd"))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "pkg"
        shutil.copytree(source, folder)
        publish(store, folder, settings, token=token)
        set_cell(folder, 0, "beneficiaries", "4321")
        publish(store, folder, settings, token=token)
    feedback.submit(
        store.conn,
        NewFeedback("mrud-yazd/infrastructure-projects", "چرا این رقم؟", contact="a@b.ir"),
    )
    conn = store.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file to commit
    store.close()
    for leftover in ("catalog.sqlite-wal", "catalog.sqlite-shm", "publisher.lock"):
        (out / leftover).unlink(missing_ok=True)
    shutil.rmtree(out / "staging", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
