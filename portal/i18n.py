"""Message catalogs: every sentence shown to people comes from `portal/locales`.

`locales/{lang}.yaml` holds the core messages; each feature may keep its own catalog in
`locales/{lang}/{feature}.yaml` so features grow without editing one shared file. A key
defined twice is an error, not a silent override.

A count reads in its number's form: `{errors:# error|# errors}` shows "1 error" and
"2 errors" (`#` is the number as the language writes it). English has one form for one
and one for the rest; Persian nouns do not change after a number, so its templates write
`{errors} خطا`. A size reads in units: `{limit:size}` shows "200 MB", «۲۰۰ مگابایت».
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from string import Formatter
from typing import Any

from portal.persian import PERSIAN_DIGITS, iso_to_jalali, to_latin_digits, to_persian_digits

LANGUAGES = ("fa", "en")
DEFAULT_LANGUAGE = "fa"
LOCALES_DIR = Path(str(files("portal") / "locales"))


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flat key -> template mapping of one language."""
    import yaml  # here, not at the top: `glasswall --help` says nothing from the catalogs

    merged: dict[str, str] = {}
    files = [LOCALES_DIR / f"{lang}.yaml", *sorted((LOCALES_DIR / lang).glob("*.yaml"))]
    for path in files:
        with path.open(encoding="utf-8") as handle:
            # libyaml's loader when built (7x faster: the catalogs cost 0.3 s a command)
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if not isinstance(data, dict):
            raise ValueError(f"message catalog {path.name} ({lang}) is not a mapping")
        for key, value in data.items():
            if str(key) in merged:
                raise ValueError(f"message key {key} defined twice in the {lang} catalogs")
            merged[str(key)] = str(value)
    return merged


# Numbers shown in Persian: grouped with ٬, decimals with ٫, Persian digits (one translate).
_PERSIAN_NUMBER = str.maketrans(
    {",": "٬", ".": "٫", **dict(zip("0123456789", PERSIAN_DIGITS, strict=True))}
)


def _localize(value: Any, lang: str) -> Any:
    # Numbers read in Persian digits in Persian text; names, paths and codes stay as typed.
    if isinstance(value, str):  # most parameters: the cheapest test first
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        grouped = f"{value:,}"
        return grouped.translate(_PERSIAN_NUMBER) if lang == "fa" else grouped
    if isinstance(value, date):  # a day reads as Jalali in Persian (the UI's calendar)
        return to_persian_digits(iso_to_jalali(value)) if lang == "fa" else value.isoformat()
    return value


def number(value: int | float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number as messages in `lang` write it: grouped, in Persian digits in Persian."""
    return str(_localize(value, lang))


def _is_one(value: Any) -> bool:
    """Whether a count reads as one (1, -1, «۱», "1"): the singular form's numbers."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return abs(value) == 1
    return to_latin_digits(str(value)).strip().lstrip("+-") == "1"


_UNITS = ("KB", "MB", "GB", "TB")


def size(count: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """A byte count as people read it: "1 byte", "1.5 KB", "200 MB" («۲۰۰ مگابایت»).
    Binary multiples, as the limits are set (200 MiB) and as Windows shows a file's size."""
    if abs(count) < 1024:
        return text("polish.size.B", lang, n=count)
    value, unit = count / 1024, _UNITS[0]
    for bigger in _UNITS[1:]:
        if abs(round(value, 1)) < 1024:
            break
        value, unit = value / 1024, bigger
    shown = round(value, 1)
    return text(f"polish.size.{unit}", lang, n=int(shown) if shown.is_integer() else shown)


class _Forms(Formatter):
    """Formats a template whose counts choose their form (`{n:# row|# rows}`) or whose
    sizes read in units (`{limit:size}`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "size" and isinstance(value, int) and not isinstance(value, bool):
            return size(value, self.lang)
        shown = _localize(value, self.lang)
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return (one if _is_one(value) else other).replace("#", str(shown))
        return format(shown, "" if format_spec == "size" else format_spec)


@cache
def _has_forms(key: str, lang: str) -> bool:
    """Whether the message has a count or a size (it then takes the slower formatter)."""
    specs = (spec for _, _, spec, _ in Formatter().parse(catalog(lang)[key]) if spec)
    return any("|" in spec or spec == "size" for spec in specs)


@cache
def _compiled(key: str, lang: str) -> tuple[str, tuple[str, ...]]:
    """A message's template and the parameters it shows (a report renders 145k messages:
    look each up once, localise only what is shown)."""
    template = catalog(lang)[key]
    names = (name for _, name, _, _ in Formatter().parse(template) if name)
    return template, tuple(dict.fromkeys(name.split(".")[0].split("[")[0] for name in names))


def render(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """The message `key` in `lang` with `params` (which may hold more than it shows)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    template, shown = _compiled(key, lang)
    if _has_forms(key, lang):
        return _Forms(lang).vformat(
            template, (), {name: params[name] for name in shown if name in params}
        )
    return template.format(
        **{name: _localize(params[name], lang) for name in shown if name in params}
    )


def shown_params(key: str) -> tuple[str, ...]:
    """The parameters the message `key` shows in any language."""
    return tuple(dict.fromkeys(name for lang in LANGUAGES for name in _compiled(key, lang)[1]))


@cache
def _positional(key: str, lang: str) -> str:
    """The template with its parameters numbered in `shown_params` order (`{0}`, `{1}`)."""
    template, _ = _compiled(key, lang)
    number = {name: index for index, name in enumerate(shown_params(key))}
    parts = []
    for literal, name, spec, conversion in Formatter().parse(template):
        parts.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            base = name.split(".")[0].split("[")[0]
            field = f"{number[base]}{name[len(base) :]}"
            conversion = f"!{conversion}" if conversion else ""
            parts.append("{" + field + conversion + (f":{spec}" if spec else "") + "}")
    return "".join(parts)


def render_many(key: str, lang: str, columns: list[list[Any]], count: int) -> list[str]:
    """The message `key` in `lang` `count` times, the parameters in `columns` (one list
    per name of `shown_params(key)`): what `render` gives each, column by column (145k
    findings of a report render several times faster)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if _has_forms(key, lang):
        rows = zip(*columns, strict=True)
        return [render(key, lang, dict(zip(shown_params(key), row, strict=True))) for row in rows]
    template = _positional(key, lang)
    if not columns:
        return [template.format()] * count
    return [
        template.format(*values)
        for values in zip(*map(_localized, columns, [lang] * len(columns)), strict=True)
    ]


def message_template(key: str, lang: str) -> str:
    """The catalog's text of `key` in `lang` (its parameters by name)."""
    return _compiled(key, lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[0]


def localized_column(column: list[Any], lang: str) -> list[Any]:
    """What a message in `lang` shows for each value of one parameter (numbers grouped,
    in Persian digits in Persian); a column of text comes back as the same list."""
    return _localized(column, lang)


def _localized(column: list[Any], lang: str) -> list[Any]:
    """`_localize` of every value, with the common columns (all text, all whole numbers)
    done in one sweep."""
    kinds = set(map(type, column))
    if kinds == {str}:
        return column
    if kinds == {int}:
        grouped = [f"{value:,}" for value in column]
        return [text.translate(_PERSIAN_NUMBER) for text in grouped] if lang == "fa" else grouped
    return [_localize(value, lang) for value in column]


def text(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The message `key` in `lang`, with `params` filled in."""
    return render(key, lang, params)


def bilingual(key: str, /, **params: Any) -> dict[str, str]:
    """The message `key` in every language, as findings and API errors carry it."""
    return {lang: text(key, lang, **params) for lang in LANGUAGES}
