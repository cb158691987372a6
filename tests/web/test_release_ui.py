"""The Publish page's four eyes (AppTest, real store): the role said, a draft reviewed
(recorded as pre-release access) and approved by a second member."""

from __future__ import annotations

import json
from pathlib import Path

from portal.config import Settings
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.members import add_member, set_four_eyes
from tests.packages import copy_sample, set_cell
from tests.web.test_pages import run


def test_an_approver_reviews_and_approves_a_draft_on_the_publish_page(
    tmp_path: Path, published: Settings
) -> None:
    store = Store(published.home)
    set_four_eyes(store.conn, "mrud-yazd", True)
    sara = add_member(store.conn, "mrud-yazd", "Sara", "preparer")
    ali = add_member(store.conn, "mrud-yazd", "Ali", "approver")
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 0, "beneficiaries", "77")
    result = publish(store, folder, published, token=sara)
    assert result.draft is not None and result.version is None

    app = run("publish", "en")
    app.text_input(key="token").set_value(sara).run()
    assert any("preparer: your uploads" in i.value for i in app.info)
    assert not [b for b in app.button if b.key.startswith("approve_")]  # not a preparer's

    app.text_input(key="token").set_value(ali).run()
    assert any("approver:" in i.value for i in app.info)
    key = f"infrastructure-projects_{result.draft.id}"
    app.button(key=f"review_{key}").click().run()
    assert any("beneficiaries" in c.value for c in app.code)
    app.button(key=f"approve_{key}").click().run()
    assert not app.error, [e.value for e in app.error]
    version = catalog.version(store.conn, "mrud-yazd", "infrastructure-projects")
    assert version is not None and version.number == 2
    lines = (published.home / "log.jsonl").read_text().splitlines()
    entry = json.loads(lines[-1])
    assert entry["prepared_by"] == {"name": "Sara", "role": "preparer"}
    assert entry["approved_by"] == {"name": "Ali", "role": "approver"}
    assert [a["what"] for a in entry["access"]] == ["draft show", "approval review"]
    page = run("dataset", "en", dataset="mrud-yazd/infrastructure-projects")
    captions = "\n".join(c.value for c in page.caption)
    assert "Prepared by Sara (preparer), approved by Ali (approver)" in captions
    assert "seen before release by: Ali" in captions
    # In Persian: roles as words, times in Jalali Tehran time (found walking the portal:
    # «Sara (preparer)» and raw ISO times on a Persian page).
    farsi = run("dataset", "fa", dataset="mrud-yazd/infrastructure-projects")
    said = "\n".join(c.value for c in farsi.caption)
    assert "تهیه‌کننده" in said and "تأییدکننده" in said
    signed = "\n".join(line for line in said.splitlines() if "Ali" in line)
    assert "preparer" not in signed and "approver" not in signed and "+00:00" not in signed
    assert "۱۴۰۵/" in said
