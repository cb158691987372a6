"""What publishing adds for trust: the cross-version check, its explanations, the signals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.config import Settings
from portal.errors import RevisionsUnexplained
from portal.intake.staging import StagedPackage, staged
from portal.store.records import Version
from portal.trust import explanations as explaining
from portal.trust import signals
from portal.trust.check import cross_version, published_tables, resources_compared, staged_tables
from portal.validation.engine import validate_package
from portal.validation.report import Finding, Report
from portal.validation.rules.packs import RulePacks, rule_packs

if TYPE_CHECKING:
    from portal.store import Store


def pending_changes(
    store: Store,
    previous: Version | None,
    package: StagedPackage,
    descriptor: dict[str, Any],
    rules: RulePacks,
) -> list[Finding]:
    """Findings of the revisions pack against the latest version (none for a first one)."""
    if previous is None:
        return []
    names = resources_compared(rules)
    before = published_tables(store, previous, names)
    after = staged_tables(package.root, descriptor, names)
    return cross_version(before, after, rules)


def trust_attachments(
    store: Store,
    previous: Version | None,
    package: StagedPackage,
    descriptor: dict[str, Any],
    given: list[explaining.Explanation],
    rules: RulePacks,
) -> dict[str, Any]:
    """The `explanations` and `signals` attachments; refuses unexplained changes."""
    attachments: dict[str, Any] = {}
    changes = pending_changes(store, previous, package, descriptor, rules)
    if changes:
        assert previous is not None
        found_in_package = explaining.in_package(package.root, rules)
        explained, unexplained = explaining.match(changes, [*given, *found_in_package])
        if unexplained:
            raise RevisionsUnexplained(Report(str(descriptor.get("name")), unexplained))
        attachments["explanations"] = explaining.document(previous, explained)
    projects = staged_tables(package.root, descriptor, {signals.RESOURCE}).get(signals.RESOURCE)
    attachments["signals"] = signals.document(signals.compute(projects, rules), rules)
    return attachments


def changes_to_explain(
    store: Store, source: Path, settings: Settings, agency: str
) -> list[Finding]:
    """What publishing `source` for `agency` would need explained (for the Publish page):
    changes against the latest version that `explanations.yaml` in the package leaves open."""
    rules = rule_packs(settings.validators)
    with staged(source, settings) as package:
        report, effective = validate_package(package, rules, agency=agency)
        if not report.valid:
            return []
        previous = store.version(agency, str(package.descriptor.get("name")))
        changes = pending_changes(store, previous, package, effective, rules)
        _, unexplained = explaining.match(changes, explaining.in_package(package.root, rules))
        return unexplained
