"""validators/README.md is generated from the packs, and every rule has its messages."""

from __future__ import annotations

from portal.i18n import catalog
from portal.trust.rules import CROSS_RULES
from portal.trust.signals import SIGNAL_RULES
from portal.validation.rules.input_rules import INPUT_RULES
from portal.validation.rules.key_rules import KEY_RULES
from portal.validation.rules.metadata_rules import METADATA_RULES
from portal.validation.rules.packs import PACKS, SHIPPED, VALIDATORS_DIR
from portal.validation.rules.row_rules import ROW_RULES
from portal.validation.rules.series_rules import SERIES_RULES
from portal.validation.rules_doc import render

KNOWN_TYPES = (
    set(ROW_RULES)
    | set(INPUT_RULES)
    | set(KEY_RULES)
    | set(METADATA_RULES)
    | set(SERIES_RULES)
    | set(CROSS_RULES)
    | set(SIGNAL_RULES)
    | {
        "fill_share",
        "encoding",
    }
)


def test_readme_matches_the_packs() -> None:
    committed = (VALIDATORS_DIR / "README.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m portal.validation.rules_doc"


def test_every_rule_has_a_known_type_and_messages_in_both_languages() -> None:
    codes = []
    for name in PACKS:
        for rule in SHIPPED.pack(name).rules:
            assert rule.type in KNOWN_TYPES, rule
            assert rule.severity in ("error", "warning")
            for lang in ("fa", "en"):
                assert f"finding.{rule.code}" in catalog(lang), (rule.code, lang)
            codes.append(rule.code)
    assert len(codes) == len(set(codes)), "rule codes are unique"
