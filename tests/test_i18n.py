"""Every message exists in Persian and English, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from portal.i18n import bilingual, catalog, text

PORTAL = Path(__file__).resolve().parent.parent / "portal"
LITERAL_KEY = re.compile(r'"((?:intake|publish|agency|token|cli|web|finding|verify)\.[a-z_\-]+)"')
FINDING_CODE = re.compile(r'Finding\.make\(\s*"([a-z\-]+)"')
PROBLEM_CODE = re.compile(r'_problem\(\s*"([a-z_]+)"')
CODE_VARIABLE = re.compile(r'code = "([a-z\-]+)" if .* else "([a-z\-]+)"')


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in PORTAL.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        keys |= set(LITERAL_KEY.findall(source))
        keys |= {f"finding.{code}" for code in FINDING_CODE.findall(source)}
        keys |= {f"verify.{code}" for code in PROBLEM_CODE.findall(source)}
        for pair in CODE_VARIABLE.findall(source):
            keys |= {f"finding.{code}" for code in pair}
    return keys


def test_catalogs_have_the_same_keys() -> None:
    assert set(catalog("fa")) == set(catalog("en"))


def test_every_key_used_in_code_exists() -> None:
    keys = used_keys()
    assert len(keys) > 60
    assert keys - set(catalog("en")) == set()


def test_placeholders_match_between_languages() -> None:
    """Persian may leave out frictionless's technical note and reason, which are English-only."""
    field = re.compile(r"{(\w+)}")
    for key, english in catalog("en").items():
        in_english = set(field.findall(english))
        in_persian = set(field.findall(catalog("fa")[key]))
        assert in_persian <= in_english, key
        assert in_english - in_persian <= {"note", "reason"}, key


def test_persian_numbers_use_persian_digits() -> None:
    message = bilingual("intake.too_many_files", limit=1000, file="a.csv")
    assert "۱٬۰۰۰" in message["fa"] and "1,000" in message["en"]
    assert "a.csv" in message["fa"]


def test_unknown_language_falls_back_to_persian() -> None:
    assert text("web.title", "de") == text("web.title", "fa")


def test_keys_built_at_run_time_exist() -> None:
    """Keys the pages assemble from codes: statuses, columns, dimensions, severities."""
    from portal.profiles import codelist
    from portal.web.views.about import DIMENSIONS
    from portal.web.views.projects import SHOWN

    english, persian = catalog("en"), catalog("fa")
    keys = [f"web.status.{entry.code}" for entry in codelist("project_statuses")]
    keys += [f"web.col.{column}" for column in SHOWN]
    keys += [f"web.dim.{name}" for name in DIMENSIONS] + [
        f"web.dim_text.{name}" for name in DIMENSIONS
    ]
    keys += ["web.severity.error", "web.severity.warning"]
    keys += [f"web.score_{level}" for level in ("high", "medium", "low")]
    keys += [
        "web.home",
        "web.projects",
        "web.indicators",
        "web.agencies",
        "web.dataset",
        "web.publish",
        "web.about",
    ]
    assert [k for k in keys if k not in english or k not in persian] == []
