"""Every message exists in Persian and English, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

from portal.i18n import bilingual, catalog, render, render_many, size, text

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
    field = re.compile(r"{(\w+)(?::[^}]*)?}")
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


# Nouns a count stands before in the English catalogs ("1 row", "2 rows").
COUNTED = (
    "row", "error", "warning", "finding", "dataset", "project", "agency", "version", "object",
    "entry", "problem", "character", "day", "second", "minute", "value", "change", "correction",
    "point", "column", "sheet", "cell", "check", "figure", "file", "province", "leftover",
    "amount", "CKAN call", "log entry", "log entries", "publication",
)  # fmt: skip
PLURAL = {"agency": "agencies", "entry": "entries", "log entry": "log entries"}
ONE_MANY = re.compile(
    r"(?<![\d.,])1 (?:\*\*)?(?:[a-z]+ )?(?:"
    + "|".join(PLURAL.get(noun, noun + "s") for noun in COUNTED if noun != "log entries")
    + r")\b"
)
TWO_ONE = re.compile(
    r"(?<![\d.,])2 (?:\*\*)?(?:" + "|".join(n for n in COUNTED if n != "log entries") + r")\b"
)


# Parameters that name something (a file, a field, a place) rather than count it.
NAMES = {"where", "file", "resource", "field", "what", "url", "name", "value", "cell", "sheet"}
NAMES |= {"agency", "dataset", "project"}


def _with(key: str, lang: str, value: object, counts: set[str] | None = None) -> str:
    """The message with `value` for its counts (those in `counts`, else every parameter
    but the names) and a word for the rest."""
    names = {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in Formatter().parse(catalog(lang)[key])
        if name
    }
    chosen = counts if counts is not None else names - NAMES
    params = {name: value if name in chosen else "x" for name in names}
    try:
        return render(key, lang, params)
    except (TypeError, IndexError):  # an indexed parameter (`{province[1]}`) needs a sequence
        return render(key, lang, {name: [value, value] for name in params})


def test_english_counts_agree_with_their_number() -> None:
    """ "1 error", "2 errors": no message says "1 rows" or "2 row" (found walking the portal
    as a clerk: "validation found 1 errors")."""
    wrong = {
        key: shown
        for key in catalog("en")
        for value, pattern in ((1, ONE_MANY), (2, TWO_ONE))
        if pattern.search(shown := _with(key, "en", value))
    }
    assert not wrong, wrong


def test_a_count_chooses_its_form() -> None:
    assert text("publish.invalid", "en", errors=1).startswith(
        "Not published: validation found 1 error."
    )
    assert "found 2 errors" in text("publish.invalid", "en", errors=2)
    assert text("cli.valid", "en", errors=0, warnings=1) == "Valid: 0 errors, 1 warning."
    assert text("web.cat.versions", "en", count="1") == "1 version"  # pages pass shown numbers
    assert text("web.cat.versions", "en", count="1,001") == "1,001 versions"
    assert text("cli.valid", "en", errors=1_234, warnings=2) == "Valid: 1,234 errors, 2 warnings."


def test_persian_counts_are_persian_digits() -> None:
    """Persian has one form after a number; its counts read in Persian digits."""
    counted = [
        key
        for key, english in catalog("en").items()
        if any(spec and "|" in spec for _, _, spec, _ in Formatter().parse(english))
    ]
    assert len(counted) > 40
    for key in counted:
        persian = _with(key, "fa", 1234)
        assert "۱٬۲۳۴" in persian and "1234" not in persian and "1,234" not in persian, key


def test_counted_messages_render_many_as_one_by_one() -> None:
    """A report renders its findings column by column; a count still chooses its form."""
    for lang in ("fa", "en"):
        many = render_many("explain.too_long", lang, [["f"] * 3, ["1", "2", "3"], [1, 2, 3]], 3)
        assert many == [
            render("explain.too_long", lang, {"file": "f", "entry": str(n), "limit": n})
            for n in (1, 2, 3)
        ]
        assert lang == "fa" or (
            many[0].endswith("at most 1 character.") and many[1].endswith("2 characters.")
        )


def test_a_size_reads_in_the_units_people_use() -> None:
    """Binary multiples, as the limits are set (200 MiB) and Windows shows them."""
    assert size(209_715_200, "en") == "200 MB" and size(209_715_200, "fa") == "۲۰۰ مگابایت"
    assert (
        size(1, "en") == "1 byte"
        and size(0, "en") == "0 bytes"
        and size(1023, "en") == ("1,023 bytes")
    )
    assert size(1536, "en") == "1.5 KB" and size(1536, "fa") == "۱٫۵ کیلوبایت"
    assert size(65_536, "en") == "64 KB" and size(1_048_576, "fa") == "۱ مگابایت"
    assert size(1_048_525, "en") == "1 MB"  # 1023.95 KB rounds to the next unit
    assert size(1_048_524, "en") == "1,023.9 KB"
    assert size(5 * 1024**3, "en") == "5 GB" and size(3 * 1024**4, "fa") == "۳ ترابایت"


def test_messages_show_sizes_in_units() -> None:
    """No "209715200 bytes" in a message (found walking the portal as a clerk); the one
    that compares an object's exact size with its manifest keeps the exact count."""
    exact = {"verify.object_size_differs"}
    raw = {
        key
        for key, english in catalog("en").items()
        if re.search(r"\{\w+\} bytes", english) and key not in exact
    }
    assert not raw, raw
    message = bilingual("intake.too_large", limit=209_715_200, file="big.zip")
    assert "larger than 200 MB (at big.zip)" in message["en"]
    assert "۲۰۰ مگابایت" in message["fa"] and "209" not in message["fa"] + message["en"]
    assert "1,023 bytes" in text("cli.cleaned", "en", entries=1, bytes=1023)
