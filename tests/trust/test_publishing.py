"""Cross-version checks on publish: each change alone is refused until explained; the
explanation is stored with the version, named in its logged manifest and verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from portal.config import Settings
from portal.errors import IntakeRefused, RevisionsUnexplained
from portal.publishing.publish import publish
from portal.store import Store, catalog
from portal.store.attachments import attachment
from portal.store.verify import verify_store
from portal.trust import explanations
from portal.validation.rules.packs import SHIPPED
from tests.packages import DATASETS, copy_sample, set_cell
from tests.trust.changes import PROJECT_CHANGES, set_observation

REASON = {"fa": "اصلاح پس از بازدید میدانی", "en": "Corrected after a site visit"}


def _explain(tmp_path: Path, entries: list[dict[str, str]]) -> list[explanations.Explanation]:
    path = tmp_path / "explain.yaml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return explanations.load(path, SHIPPED)


def _logged_manifest(store: Store, seq: int) -> dict:
    lines, _ = store.log.read()
    entry = lines[seq - 1].entry
    assert entry is not None
    return json.loads(store.objects.read_bytes(entry["manifest"]))


@pytest.mark.parametrize("code", sorted(PROJECT_CHANGES))
def test_each_project_change_needs_an_explanation(
    code: str,
    tmp_path: Path,
    store: Store,
    settings: Settings,
    yazd_token: str,
    first_version: Path,
) -> None:
    change, key, field = PROJECT_CHANGES[code]
    change(first_version)
    with pytest.raises(RevisionsUnexplained) as refused:
        publish(store, first_version, settings, token=yazd_token)
    found = refused.value.report.findings
    assert [(f.code, dict(f.params)["key"], f.field) for f in found] == [(code, key, field)]
    assert (refused.value.exit_code, refused.value.http_status) == (1, 422)
    assert "explanation" in refused.value.message["en"] and "توضیح" in refused.value.message["fa"]
    assert key in found[0].message["en"] and key in found[0].message["fa"]
    assert [
        v.number for v in catalog.versions(store.conn, "mrud-yazd", "infrastructure-projects")
    ] == [1]

    given = _explain(tmp_path, [{"code": code, "project": key, **REASON}])
    version = publish(store, first_version, settings, token=yazd_token, explanations=given).version
    assert version.number == 2
    document = attachment(store, version, "explanations")
    assert document["previous_version"] == 1
    [stored] = document["changes"]
    assert (stored["code"], stored["key"], stored["field"], stored["reason"]) == (
        code,
        key,
        field,
        REASON,
    )
    manifest = _logged_manifest(store, version.log_seq)
    covered = json.loads(store.objects.read_bytes(manifest["attachments"]["explanations"]))
    assert covered == document
    assert verify_store(store) == []


def test_a_revised_past_figure_needs_an_explanation(
    tmp_path: Path, store: Store, settings: Settings, mcls_token: str
) -> None:
    folder = copy_sample(tmp_path / "pkg", DATASETS / "mcls-yazd")
    publish(store, folder, settings, token=mcls_token)
    set_observation(folder, "19.4")
    with pytest.raises(RevisionsUnexplained) as refused:
        publish(store, folder, settings, token=mcls_token)
    [finding] = refused.value.report.findings
    params = dict(finding.params)
    assert (finding.code, params["old"], params["new"]) == ("past-figure-revised", "15.1", "19.4")
    assert params["key"] == "coop_jobs_share/1403-07/IR-21/میبد"
    # a group explanation: every revised period of the indicator
    given = _explain(
        tmp_path,
        [{"code": "past-figure-revised", "indicator": "coop_jobs_share", "en": "Late returns"}],
    )
    version = publish(store, folder, settings, token=mcls_token, explanations=given).version
    [stored] = attachment(store, version, "explanations")["changes"]
    assert stored["scope"] == "group" and stored["reason"] == {"en": "Late returns"}
    assert verify_store(store) == []


def test_explanations_yaml_inside_the_package_counts(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, first_version: Path
) -> None:
    PROJECT_CHANGES["budget-changed"][0](first_version)
    (first_version / "explanations.yaml").write_text(
        "- code: budget-changed\n  fa: متمم اعتبار ۱۴۰۳\n", encoding="utf-8"
    )
    version = publish(store, first_version, settings, token=yazd_token).version
    [stored] = attachment(store, version, "explanations")["changes"]
    assert stored["reason"] == {"fa": "متمم اعتبار ۱۴۰۳"} and stored["scope"] == "group"


def test_an_explanation_of_another_project_does_not_count(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, first_version: Path
) -> None:
    PROJECT_CHANGES["budget-changed"][0](first_version)
    given = _explain(tmp_path, [{"code": "budget-changed", "project": "mrud-yazd-0004", **REASON}])
    with pytest.raises(RevisionsUnexplained):
        publish(store, first_version, settings, token=yazd_token, explanations=given)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("- code: budget-changd\n  en: typo\n", "explain.unknown_code"),
        ("- code: budget-changed\n", "explain.no_reason"),
        ("- code: budget-changed\n  en: x\n  projct: a\n", "explain.unknown_name"),
        ("- [unclosed\n", "explain.unreadable"),
        ("just text\n", "explain.unreadable"),
        ("- just text\n", "explain.not_mapping"),
        (f"- code: budget-changed\n  en: {'x' * 2001}\n", "explain.too_long"),
    ],
)
def test_a_bad_explanations_file_is_refused_bilingually(
    text: str, key: str, tmp_path: Path
) -> None:
    path = tmp_path / "explain.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IntakeRefused) as refused:
        explanations.load(path, SHIPPED)
    assert refused.value.key == key
    assert (
        "explain.yaml" in refused.value.message["en"]
        and "explain.yaml" in refused.value.message["fa"]
    )


def test_unchanged_figures_and_growth_need_no_explanation(
    store: Store, settings: Settings, yazd_token: str, first_version: Path
) -> None:
    set_cell(first_version, 2, "physical_progress_pct", "60.0")  # progress went up
    set_cell(first_version, 2, "beneficiaries", "1")  # not a watched figure
    version = publish(store, first_version, settings, token=yazd_token).version
    assert version.number == 2
    assert attachment(store, version, "explanations") is None
    assert attachment(store, version, "signals")["checked"]


def test_verify_names_a_tampered_or_missing_explanation(
    tmp_path: Path, store: Store, settings: Settings, yazd_token: str, first_version: Path
) -> None:
    PROJECT_CHANGES["budget-changed"][0](first_version)
    given = _explain(tmp_path, [{"code": "budget-changed", **REASON}])
    version = publish(store, first_version, settings, token=yazd_token, explanations=given).version
    sha = json.loads(store.objects.read_bytes(version.manifest_sha256))["attachments"][
        "explanations"
    ]
    path = store.objects.path(sha)
    original = path.read_bytes()
    path.chmod(0o644)
    path.write_bytes(original.replace(b"site visit", b"site visjt"))
    assert [p.code for p in verify_store(store)] == ["object_changed"]
    path.unlink()
    assert [p.code for p in verify_store(store)] == ["object_missing"]
