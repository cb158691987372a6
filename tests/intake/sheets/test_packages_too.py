"""What the spreadsheet work changed for plain data packages: profile filling, honest --fix,
header findings that name the header."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from portal.cli import app
from portal.errors import BadParameter
from portal.intake.agency_profile import fill_from_profile
from portal.store import Store
from portal.store.agency_profiles import AgencyProfile, load_profile, save_profile
from tests.packages import copy_sample, read_rows, write_rows

runner = CliRunner()


def test_profile_kept_and_checked(store: Store, yazd_token: str) -> None:
    saved = save_profile(
        store.conn, "mrud-yazd", AgencyProfile("PR", "pr@example.ir", provinces=["IR-21"])
    )
    assert saved.publisher_fa == "راه و شهرسازی یزد"  # the agency's title by default
    assert load_profile(store.conn, "mrud-yazd") == saved
    for bad in (
        AgencyProfile("", "pr@example.ir"),
        AgencyProfile("PR", "not-an-address"),
        AgencyProfile("PR", "pr@example.ir", license="mine"),
        AgencyProfile("PR", "pr@example.ir", frequency="sometimes"),
        AgencyProfile("PR", "pr@example.ir", provinces=["Yazd"]),
    ):
        try:
            save_profile(store.conn, "mrud-yazd", bad)
        except BadParameter as error:
            assert error.message["fa"] and error.message["en"]
        else:
            raise AssertionError(bad)


def test_a_package_keeps_its_own_values() -> None:
    profile = AgencyProfile("PR", "pr@example.ir", frequency="monthly", source_en="System")
    descriptor = {"name": "x", "update_frequency": "annual", "contact": {"name": "Own"}}
    filled = fill_from_profile(descriptor, profile, "mrud-yazd")
    assert descriptor["update_frequency"] == "annual" and descriptor["contact"] == {"name": "Own"}
    assert "update_frequency" not in filled and "contact" not in filled
    assert {"publisher", "licenses", "sources"} <= set(filled)


def test_agency_profile_command(store: Store, yazd_token: str) -> None:
    result = runner.invoke(
        app,
        [
            "agency",
            "profile",
            "mrud-yazd",
            "--contact-name",
            "PR",
            "--contact-email",
            "pr@example.ir",
            "--frequency",
            "monthly",
            "--provinces",
            "IR-21,IR-06",
        ],
    )
    assert result.exit_code == 0, result.output
    profile = load_profile(store.conn, "mrud-yazd")
    assert profile is not None and profile.provinces == ["IR-21", "IR-06"]
    bad = runner.invoke(
        app, ["agency", "profile", "mrud-yazd", "--contact-name", "PR", "--contact-email", "x"]
    )
    assert bad.exit_code == 2 and "x" in bad.output


def test_fix_lists_only_what_it_wrote(tmp_path: Path) -> None:
    """Persian headers: the suggested cells cannot be found by name, so none is claimed."""
    package = copy_sample(tmp_path / "pkg")
    path = package / "data" / "projects.csv"
    rows = read_rows(path)
    rows[0]["start_date"] = "1402/05/17"
    write_rows(path, rows)
    text = path.read_text(encoding="utf-8").splitlines()
    text[0] = text[0].replace("start_date", "تاریخ شروع")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "fixed"
    result = runner.invoke(app, ["validate", str(package), "--json", "--fix", str(out)])
    fixes = json.loads(result.stdout)["fixes"]
    written = (out / "data" / "projects.csv").read_text(encoding="utf-8")
    for fix in fixes:
        assert fix["new"] in written
    assert not [f for f in fixes if f["field"] == "start_date"]


def test_header_findings_name_the_header(tmp_path: Path) -> None:
    package = copy_sample(tmp_path / "pkg")
    path = package / "data" / "projects.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("county", "شهرستان")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "validate", str(package), "--json"])
    messages = [f["message"]["en"] for f in json.loads(result.stdout)["findings"]]
    header = [m for m in messages if "headed" in m]
    assert header == [
        'Resource projects: column 8 is headed "شهرستان" but the schema calls it county.'
    ]
    assert not [m for m in messages if "()" in m]


def test_a_package_upload_is_filled_from_the_profile_and_says_so(
    tmp_path: Path, store: Store, yazd_token: str
) -> None:
    save_profile(store.conn, "mrud-yazd", AgencyProfile("PR", "pr@example.ir"))
    package = copy_sample(tmp_path / "pkg")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("contact", "sources"):
        descriptor.pop(key)
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "publish", str(package), "--token", yazd_token])
    assert result.exit_code == 0, result.output
    assert "Filled from the agency profile: contact" in result.output
    assert "sources" not in result.output.split("Filled from the agency profile:")[1]
