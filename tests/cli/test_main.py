"""The `glasswall` command: output, JSON report shape and exit codes (0 / 1 / 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.cli import app
from portal.config import Settings
from portal.store import Store, feedback
from portal.store.feedback_records import NewFeedback
from tests.packages import copy_sample, set_cell
from tests.trust import changes

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's store, created as `glasswall init` would, found through GLASSWALL_HOME."""
    monkeypatch.setenv("GLASSWALL_HOME", str(settings.home))
    Store(settings.home).init()
    return settings.home


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_help_lists_every_command() -> None:
    code, out = run("--help")
    assert code == 0
    for command in (
        "init",
        "agency",
        "token",
        "validate",
        "publish",
        "list",
        "show",
        "log",
        "verify",
        "demo",
        "serve",
    ):
        assert command in out


def test_agency_add_prints_token_alone_on_last_line(settings: Settings) -> None:
    code, out = run(
        "agency", "add", "mrud-yazd", "--title-fa", "راه یزد", "--title-en", "Roads Yazd"
    )
    assert code == 0
    token = out.strip().splitlines()[-1]
    assert token.startswith("gw_") and " " not in token
    code, _ = run("agency", "add", "mrud-yazd", "--title-fa", "x", "--title-en", "y")
    assert code == 2
    code, _ = run("agency", "add", "Bad Slug!", "--title-fa", "x", "--title-en", "y")
    assert code == 2


def test_validate_json_report_shape_and_exit_codes(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    code, out = run("validate", str(folder), "--json")
    assert code == 0
    assert json.loads(out)["valid"] is True

    set_cell(folder, 0, "start_date", "1402/05/17")
    code, out = run("validate", str(folder), "--json")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert {f["code"] for f in report["findings"]} == {"type-error", "jalali-date"}
    finding = next(f for f in report["findings"] if f["code"] == "type-error")
    assert set(finding) >= {"code", "severity", "resource", "row", "field", "message"}
    assert (
        finding["code"],
        finding["severity"],
        finding["resource"],
        finding["row"],
        finding["field"],
    ) == ("type-error", "error", "projects", 2, "start_date")
    assert set(finding["message"]) == {"fa", "en"}
    jalali = next(f for f in report["findings"] if f["code"] == "jalali-date")
    assert jalali["suggestion"] == "2023-08-08"

    code, out = run("validate", str(tmp_path / "missing"), "--json")
    assert code == 2 and json.loads(out)["refused"]["code"] == "intake.source_missing"


def test_publish_list_show_log_verify(tmp_path: Path, settings: Settings) -> None:
    _, out = run("agency", "add", "mrud-yazd", "--title-fa", "راه یزد", "--title-en", "Roads Yazd")
    token = out.strip().splitlines()[-1]
    folder = copy_sample(tmp_path / "pkg")
    code, out = run("--lang", "en", "publish", str(folder), "--token", token)
    assert code == 0 and "version 1" in out
    code, out = run("--lang", "fa", "publish", str(folder), "--token", token)
    assert code == 0 and "۱" in out
    code, out = run("list")
    assert code == 0 and "mrud-yazd/infrastructure-projects" in out
    code, out = run("show", "mrud-yazd/infrastructure-projects@1")
    assert code == 0 and "projects" in out
    code, _ = run("show", "mrud-yazd/nothing")
    assert code == 2
    code, out = run("log")
    agency, first = (json.loads(line) for line in out.splitlines()[:2])
    assert (agency["type"], agency["title_en"]) == ("agency", "Roads Yazd")
    assert first["dataset"] == "infrastructure-projects"
    code, out = run("--lang", "en", "verify")
    assert code == 0 and "no problem found" in out

    log = settings.home / "log.jsonl"
    log.write_text(log.read_text().replace('"version":1', '"version":5'))
    code, out = run("--lang", "en", "verify")
    assert code == 1 and "edited" in out


def test_publish_refusals_exit_2(tmp_path: Path, settings: Settings) -> None:
    folder = copy_sample(tmp_path / "pkg")
    code, _ = run("publish", str(folder), "--token", "gw_wrong")
    assert code == 2


def test_invalid_publish_exits_1(tmp_path: Path, settings: Settings) -> None:
    _, out = run("agency", "add", "mrud-yazd", "--title-fa", "راه یزد", "--title-en", "Roads Yazd")
    token = out.strip().splitlines()[-1]
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 1, "physical_progress_pct", "140")
    code, out = run("--lang", "en", "publish", str(folder), "--token", token)
    assert code == 1
    assert "physical_progress_pct" in out


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (changes.shadow_row, ["projects", "34", "id"]),
        (changes.drop_projects, ["projects-table-removed", "mrud-yazd-0032"]),
    ],
)
def test_a_silent_revision_exits_1(
    change: Callable[[Path], None], where: list[str], tmp_path: Path, settings: Settings
) -> None:
    """Issue 21: a shadow row, or a dropped projects table, is refused by the command too."""
    _, out = run("agency", "add", "mrud-yazd", "--title-fa", "راه یزد", "--title-en", "Roads Yazd")
    token = out.strip().splitlines()[-1]
    folder = copy_sample(tmp_path / "pkg")
    assert run("publish", str(folder), "--token", token)[0] == 0
    change(folder)
    code, out = run("--lang", "en", "publish", str(folder), "--token", token)
    assert code == 1
    assert all(part in out for part in where), out
    lines = Store(settings.home).log.read()[0]
    assert [line.entry["type"] for line in lines if line.entry].count("publish") == 1


def test_token_create_and_revoke(settings: Settings) -> None:
    run("agency", "add", "mrud-yazd", "--title-fa", "راه یزد", "--title-en", "Roads Yazd")
    code, out = run("token", "create", "mrud-yazd")
    assert code == 0
    token = out.strip().splitlines()[-1]
    code, _ = run("token", "revoke", token)
    assert code == 0
    code, _ = run("token", "revoke", "gw_unknown")
    assert code == 2


@pytest.mark.slow
def test_demo_publishes_samples_once(settings: Settings) -> None:
    code, out = run("--lang", "en", "demo")
    assert code == 0 and out.count("Published") == 4
    code, out = run("--lang", "en", "demo")
    assert code == 0 and out.count("identical") == 4


def test_readme_documents_every_command() -> None:
    """Docs that cannot drift: each command and sub-command has a row in README's CLI table."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    assert len(names) == 31
    for name in names:
        assert f"| `{name}" in readme, name


def test_operators_moderate_feedback(samples: Store) -> None:
    item_id = feedback.submit(
        samples.conn, NewFeedback("mrud-yazd/infrastructure-projects", "چرا این رقم؟")
    )
    code, out = run("--lang", "en", "feedback", "list", "--agency", "mrud-yazd")
    assert code == 0 and f"#{item_id} mrud-yazd/infrastructure-projects" in out and "waiting" in out
    hidden = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "feedback",
            "hide",
            str(item_id),
            "--agency",
            "mrud-yazd",
            "--reason",
            " ",
        ],
    )
    assert hidden.exit_code == 2 and "needs a reason" in hidden.output
    other = runner.invoke(
        app, ["--lang", "en", "feedback", "approve", str(item_id), "--agency", "mcls-yazd"]
    )
    assert other.exit_code == 2 and "no item" in other.output
    code, out = run("--lang", "en", "feedback", "approve", str(item_id), "--agency", "mrud-yazd")
    assert code == 0 and "public" in out
    assert [i.id for i in feedback.public_items(samples.conn, "mrud-yazd")] == [item_id]


def test_the_home_comes_from_the_option_then_the_environment(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    code, out = run("--lang", "en", "--home", str(elsewhere), "init")
    assert code == 0 and f"Store ready at {elsewhere}" in out
    assert (elsewhere / "catalog.sqlite").exists()
    code, out = run("--lang", "en", "init")
    assert code == 0 and str(home) in out


def test_no_command_but_init_creates_a_store(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = runner.invoke(
        app, ["--home", str(missing), "agency", "add", "x", "--title-fa", "x", "--title-en", "x"]
    )
    assert result.exit_code == 2
    assert f"No store at {missing}" in result.output and f"در {missing} مخزنی نیست" in result.output
    assert not missing.exists()


def test_the_counts_table_writes_numbers_in_the_reports_language(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "pkg")
    set_cell(folder, 1, "budget_irr", "n/a")
    code, out = run("--lang", "fa", "validate", str(folder))
    assert code == 1
    assert "│ ۱" in out and "│ 1 " not in out  # the count of type-error, in Persian digits
    code, out = run("--lang", "en", "validate", str(folder))
    assert "│ 1 " in out
