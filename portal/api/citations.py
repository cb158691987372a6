"""One published figure, pinned: agency, dataset, version, table, row and field.

A version never changes, so `/cite/{agency}/{dataset}/{version}/{resource}/{row}/{field}`
names one value for good; `latest` resolves to a version and says which. Rows are numbered
from 1 in the published file, as `datastore_search` numbers them (`_id`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from portal.errors import NotFound
from portal.i18n import text
from portal.intake.sheets.columns import columns
from portal.persian import iso_to_jalali, period_label, to_persian_digits
from portal.profiles import codelist_names
from portal.publishing.release_time import tehran_day
from portal.store import Store, resource_spec
from portal.store.records import Version
from portal.tables.reader import TABLES, cache_dir

MAX_ROW = 10**9
# The figures a project card shows, each with its own permalink.
PROJECT_FIGURES = ("budget_irr", "spent_irr", "physical_progress_pct", "status")
# The columns that make a row an observation of the indicators profile.
OBSERVATION_KEYS = frozenset({"indicator_id", "period", "province"})
PROJECT_KEYS = frozenset({"id", "title_fa", "title_en"})


def cite_path(agency: str, dataset: str, version: int, resource: str, row: int, field: str) -> str:
    """The permalink of one published value: pages link every figure they show to it."""
    return f"/cite/{agency}/{dataset}/{version}/{resource}/{row}/{field}"


@dataclass(frozen=True)
class Figure:
    agency: str
    agency_fa: str
    agency_en: str
    dataset: str
    title_fa: str
    title_en: str
    version: int
    latest: bool
    published: str
    resource: str
    row: int
    field: str
    label_fa: str
    label_en: str
    value: Any
    value_name_fa: str
    value_name_en: str
    sha256: str
    licence: str
    sample: bool
    licence_code: str = ""  # the licence's id (CC-BY-4.0): what a Persian page shows
    kind: str = ""  # the field's Table Schema type: a `date` reads Jalali in Persian
    # What the row is about, when a row alone does not say it (an observation's indicator,
    # period and place): named in the sentence beside the row number.
    subject_fa: str = ""
    subject_en: str = ""

    @property
    def path(self) -> str:
        """The permalink's path (always the numbered version)."""
        return cite_path(
            self.agency, self.dataset, self.version, self.resource, self.row, self.field
        )

    @property
    def published_day(self) -> date:
        """The day of publication in Tehran (UTC+03:30), the day Iran could first read it."""
        return tehran_day(self.published)

    @property
    def file_path(self) -> str:
        return f"/download/{self.agency}/{self.dataset}/{self.version}/{self.resource}.csv"

    def shown(self, lang: str) -> str:
        """The value as a reader sees it: grouped digits (Persian in Persian), a code's name."""
        value = self.value
        if value is None:
            return "—"
        if isinstance(value, int | float) and not isinstance(value, bool):
            grouped = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
            return (
                to_persian_digits(grouped.replace(",", "٬").replace(".", "٫"))
                if lang == "fa"
                else grouped
            )
        if self.kind == "date" and lang == "fa":
            return to_persian_digits(iso_to_jalali(date.fromisoformat(str(value))))
        name = self.value_name_fa if lang == "fa" else self.value_name_en
        return f"{name} ({value})" if name else str(value)

    def subject(self, lang: str) -> str:
        return self.subject_fa if lang == "fa" else self.subject_en

    def citation(self, lang: str, base_url: str) -> str:
        return text(
            "cite.citation_of" if self.subject(lang) else "cite.citation",
            lang,
            subject=self.subject(lang),
            agency=self.agency_fa if lang == "fa" else self.agency_en,
            title=(self.title_fa or self.title_en)
            if lang == "fa"
            else (self.title_en or self.title_fa),
            version=self.version,
            resource=self.resource,
            row=self.row,
            label=self.label_fa if lang == "fa" else self.label_en,
            value=self.shown(lang),
            published=self.published_day,  # Jalali in Persian
            url=f"{base_url}{self.path}",
            sha=self.sha256[:12],
        )

    def to_dict(self, base_url: str) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "dataset": self.dataset,
            "version": self.version,
            "resolved_from_latest": self.latest,
            "resource": self.resource,
            "row": self.row,
            "field": self.field,
            "label": {"fa": self.label_fa, "en": self.label_en},
            "value": self.value,
            "value_name": {"fa": self.value_name_fa, "en": self.value_name_en},
            "subject": {"fa": self.subject_fa, "en": self.subject_en},
            "published": self.published,
            "sha256": self.sha256,
            "file": f"{base_url}{self.file_path}",
            "permalink": f"{base_url}{self.path}",
            "licence": self.licence,
            "sample": self.sample,
            "citation": {lang: self.citation(lang, base_url) for lang in ("fa", "en")},
        }


def _labels(resource: str, field: str, spec_field: dict[str, Any]) -> tuple[str, str, Any]:
    try:
        column = next((c for c in columns(resource) if c.name == field), None)
    except (FileNotFoundError, KeyError):
        column = None
    if column is None:
        title = str(spec_field.get("title") or field)
        return title, title, spec_field.get("codelist")
    return column.label("fa"), column.label("en"), column.codelist


def figure(
    store: Store, agency: str, dataset: str, version: str, resource: str, row: str, field: str
) -> Figure:
    """The figure at that address, or a 404 naming the address."""
    where = f"{agency}/{dataset}/{version}/{resource}/{row}/{field}"
    number = None if version == "latest" else _number(version)
    row_number = _number(row)
    if number == -1 or row_number < 1:
        raise NotFound("cite.not_found", what=where)
    found = store.version(agency, dataset, number)
    entry = found.resource(resource) if found else None
    if found is None or entry is None:
        raise NotFound("cite.not_found", what=where)
    descriptor = store.descriptor(found)
    spec = resource_spec(descriptor, resource)
    loaded = TABLES.get(entry.sha256, store.objects.path(entry.sha256), spec, cache_dir(store.home))
    if field not in loaded.table.column_names or row_number > loaded.table.num_rows:
        raise NotFound("cite.not_found", what=where)
    value = loaded.table[field][row_number - 1].as_py()
    fields = {f.get("name"): f for f in (spec.get("schema") or {}).get("fields", [])}
    label_fa, label_en, listed = _labels(resource, field, fields.get(field, {}))
    if field == "province":
        listed = "provinces_and_national"
    named = codelist_names(str(listed)).get(str(value)) if listed else None
    subject = _observation_subject(store, found, loaded.table, row_number) or _project_subject(
        loaded.table, row_number
    )
    owner = store.agency(agency)
    licences = descriptor.get("licenses") or [{}]
    first = licences[0] if isinstance(licences[0], dict) else {}
    return Figure(
        agency=agency,
        agency_fa=owner.title_fa if owner else agency,
        agency_en=owner.title_en if owner else agency,
        dataset=dataset,
        title_fa=str(descriptor.get("title_fa") or ""),
        title_en=str(descriptor.get("title") or found.title),
        version=found.number,
        latest=number is None,
        published=found.created_at,
        resource=resource,
        row=row_number,
        field=field,
        label_fa=label_fa,
        label_en=label_en,
        value=value,
        value_name_fa=named.name_fa if named else "",
        value_name_en=named.name_en if named else "",
        sha256=entry.sha256,
        licence=str(first.get("title") or first.get("name") or ""),
        sample=bool(descriptor.get("sample")),
        licence_code=str(first.get("name") or ""),
        kind=str(fields.get(field, {}).get("type") or ""),
        subject_fa=subject.get("fa", ""),
        subject_en=subject.get("en", ""),
    )


def _observation_subject(
    store: Store, version: Version, table: pa.Table, row: int
) -> dict[str, str]:
    """An observation's indicator (its title in the version's dictionary), period (Jalali
    in words) and place (county, province) per language; nothing for any other row."""
    if not OBSERVATION_KEYS.issubset(table.column_names):
        return {}
    cells = {name: table[name][row - 1].as_py() for name in table.column_names}
    indicator = str(cells["indicator_id"])
    names = _indicator_names(store, version).get(indicator, {})
    province = codelist_names("provinces_and_national").get(str(cells["province"]))
    subject = {}
    for lang in ("fa", "en"):
        county = str(cells.get("county") or "").strip()
        where = (province.name_fa if lang == "fa" else province.name_en) if province else ""
        where = where or str(cells["province"])
        subject[lang] = text(
            "cite.observation",
            lang,
            indicator=names.get(lang) or indicator,
            period=period_label(str(cells["period"]), lang),
            place=text("cite.county_in", lang, county=county, province=where) if county else where,
        )
    return subject


def _project_subject(table: pa.Table, row: int) -> dict[str, str]:
    """A project's title (in each language, the other when one is empty) and its id; nothing
    for a row of another kind."""
    if not PROJECT_KEYS.issubset(table.column_names):
        return {}
    cells = {name: str(table[name][row - 1].as_py() or "").strip() for name in PROJECT_KEYS}
    fa, en = cells["title_fa"], cells["title_en"]
    titles = {"fa": fa or en, "en": en or fa}
    return {
        lang: text("cite.project", lang, title=titles[lang], id=cells["id"])
        for lang in ("fa", "en")
        if titles[lang]
    }


def _indicator_names(store: Store, version: Version) -> dict[str, dict[str, str]]:
    """indicator_id -> {fa: name_fa, en: name_en} from the version's dictionary table."""
    entry = version.resource("indicators")
    if entry is None:
        return {}
    spec = resource_spec(store.descriptor(version), entry.name)
    loaded = TABLES.get(entry.sha256, store.objects.path(entry.sha256), spec, cache_dir(store.home))
    found = loaded.table
    if not {"indicator_id", "name_fa", "name_en"} <= set(found.column_names):
        return {}
    return {
        str(i): {"fa": str(fa or en or i), "en": str(en or fa or i)}
        for i, fa, en in zip(
            found["indicator_id"].to_pylist(),
            found["name_fa"].to_pylist(),
            found["name_en"].to_pylist(),
            strict=True,
        )
    }


def _number(text_: str) -> int:
    if text_.isascii() and text_.isdigit() and len(text_) <= 9:
        return int(text_)
    return -1
