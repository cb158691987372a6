"""Explanations go through the one cleaner of public text (issue 21, item 3): a reason of
U+200B alone, a control character or an open U+202E is refused, naming where it is."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.config import Settings
from portal.errors import IntakeRefused
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.trust import explanations
from portal.trust.explanations import Explanation
from portal.validation.rules.packs import SHIPPED
from tests.packages import set_cell

HOSTILE = [
    ("\u200b", "text.invisible"),
    ("\u200c\u200f\ufeff \u0640", "text.invisible"),
    ("bad\x07bell", "text.control"),
    ("\u202eevif", "text.unbalanced_bidi"),
]


@pytest.mark.parametrize(("reason", "key"), HOSTILE)
def test_a_file_reason_is_cleaned_and_refused_naming_file_entry_and_language(
    reason: str, key: str, tmp_path: Path
) -> None:
    path = tmp_path / "explain.yaml"
    entries = [
        {"code": "budget-changed", "en": "Supplementary budget"},
        {"code": "budget-changed", "project": "mrud-yazd-0001", "fa": reason},
    ]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IntakeRefused) as refused:
        explanations.load(path, SHIPPED)
    assert refused.value.key == key
    for lang in ("fa", "en"):
        assert "fa (file=explain.yaml, entry=2)" in refused.value.message[lang]


def test_a_file_reason_is_normalised() -> None:
    [entry] = explanations.parse_text(
        "- code: budget-changed\n  fa: ' متمم اعتبار يك '\n", "e", SHIPPED
    )
    assert entry.reason == {"fa": "متمم اعتبار یک"}


@pytest.mark.parametrize(("reason", "key"), HOSTILE)
def test_a_reason_given_any_other_way_is_refused_at_publish_naming_resource_and_row(
    reason: str,
    key: str,
    store: Store,
    settings: Settings,
    yazd_token: str,
    first_version: Path,
) -> None:
    """The Publish page builds explanations itself: the version's document still checks."""
    set_cell(first_version, 2, "budget_irr", "6566000000000")
    given = [Explanation("budget-changed", {"en": reason}, {"project": "mrud-yazd-0003"})]
    with pytest.raises(IntakeRefused) as refused:
        publish(store, first_version, settings, token=yazd_token, explanations=given)
    assert refused.value.key == key
    assert "en (resource=projects, row=4)" in refused.value.message["en"]
    versions = catalog.versions(store.conn, "mrud-yazd", "infrastructure-projects")
    assert [v.number for v in versions] == [1]
