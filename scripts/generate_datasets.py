#!/usr/bin/env python3
"""Write the sample agencies' data packages (deterministic) and large synthetic catalogs.

    python scripts/generate_datasets.py samples [--out datasets]
    python scripts/generate_datasets.py synthetic --projects N --agencies M --out DIR

Every figure here is invented for illustration; each package says so in its title,
description and `sample` flag, and the portal shows that notice wherever it is shown.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

import jdatetime

REFERENCE_DATE = date(2026, 10, 22)  # fixed so that regeneration is byte-identical
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
NOTICE_EN = "Illustrative sample data generated for the Glass Wall demo; not official statistics."
NOTICE_FA = "دادهٔ نمونهٔ نمایشی که برای نمایش دیوار شیشه‌ای ساخته شده است؛ آمار رسمی نیست."

PROVINCES = {
    "IR-06": {
        "fa": "خوزستان",
        "en": "Khuzestan",
        "counties": [
            ("اهواز", "Ahvaz", 31.32, 48.67),
            ("آبادان", "Abadan", 30.34, 48.30),
            ("خرمشهر", "Khorramshahr", 30.44, 48.17),
            ("دزفول", "Dezful", 32.38, 48.40),
            ("اندیمشک", "Andimeshk", 32.46, 48.36),
            ("شوشتر", "Shushtar", 32.05, 48.85),
            ("بهبهان", "Behbahan", 30.60, 50.24),
            ("بندرماهشهر", "Bandar-e Mahshahr", 30.56, 49.20),
            ("ایذه", "Izeh", 31.83, 49.87),
            ("مسجدسلیمان", "Masjed Soleyman", 31.94, 49.30),
            ("رامهرمز", "Ramhormoz", 31.28, 49.60),
            ("شوش", "Shush", 32.19, 48.26),
        ],
        # (name, English name, the county it lies in): only where a port or airport exists
        "ports": [
            ("بندر امام خمینی", "Bandar Imam Khomeini", "بندرماهشهر"),
            ("بندر خرمشهر", "Khorramshahr port", "خرمشهر"),
            ("بندر آبادان", "Abadan port", "آبادان"),
        ],
        "airports": [
            ("اهواز", "Ahvaz", "اهواز"),
            ("آبادان", "Abadan", "آبادان"),
            ("دزفول", "Dezful", "دزفول"),
        ],
    },
    "IR-21": {
        "fa": "یزد",
        "en": "Yazd",
        "counties": [
            ("یزد", "Yazd", 31.90, 54.37),
            ("میبد", "Meybod", 32.25, 54.01),
            ("اردکان", "Ardakan", 32.31, 54.02),
            ("تفت", "Taft", 31.75, 54.21),
            ("مهریز", "Mehriz", 31.58, 54.43),
            ("بافق", "Bafq", 31.60, 55.40),
            ("ابرکوه", "Abarkuh", 31.13, 53.28),
            ("خاتم", "Khatam", 30.48, 54.21),
            ("اشکذر", "Ashkezar", 32.00, 54.20),
            ("بهاباد", "Bahabad", 31.87, 56.02),
        ],
        "ports": [],  # inland
        "airports": [("یزد", "Yazd", "یزد")],
    },
}

# sector, type, Persian title, English title, budget range in billions of rials
PROJECT_KINDS = [
    (
        "transport.road",
        "rehabilitation",
        "بهسازی محور {a}–{b}",
        "Upgrading the {a_en}–{b_en} road",
        (300, 4000),
    ),
    (
        "transport.road",
        "construction",
        "احداث بزرگراه {a}–{b}",
        "{a_en}–{b_en} highway",
        (2000, 30000),
    ),
    ("transport.road", "construction", "احداث پل ورودی {a}", "{a_en} entrance bridge", (150, 1500)),
    (
        "transport.rail",
        "construction",
        "احداث راه‌آهن {a}–{b}",
        "{a_en}–{b_en} railway",
        (5000, 60000),
    ),
    (
        "transport.air",
        "expansion",
        "توسعهٔ پایانهٔ فرودگاه {airport}",
        "{airport_en} airport terminal expansion",
        (800, 9000),
    ),
    (
        "transport.water",
        "expansion",
        "توسعهٔ اسکلهٔ {port}",
        "{port_en} berth expansion",
        (1500, 20000),
    ),
    (
        "socialHousing",
        "construction",
        "ساخت {units} واحد مسکن ملی در {a}",
        "{units} national housing units in {a_en}",
        (400, 12000),
    ),
    (
        "transport.urban",
        "construction",
        "احداث تقاطع غیرهمسطح در {a}",
        "{a_en} grade-separated interchange",
        (200, 2500),
    ),
    (
        "waterAndWaste",
        "construction",
        "شبکهٔ جمع‌آوری آب‌های سطحی {a}",
        "{a_en} storm-water drainage network",
        (100, 1800),
    ),
]
STATUS_WEIGHTS = [
    ("implementation", 45),
    ("completion", 25),
    ("maintenance", 8),
    ("preparation", 10),
    ("identification", 4),
    ("cancelled", 8),
]
CONTRACTORS = [
    "قرارگاه سازندگی نمونه",
    "شرکت راه‌سازان نمونه",
    "شرکت عمران نمونه",
    "شرکت پل‌سازی نمونه",
    "شرکت ابنیه نمونه",
]

INDICATORS = [
    ("coops_registered", "تعاونی‌های ثبت‌شده", "Cooperatives registered", "count", "sum", (2, 30)),
    (
        "coop_jobs",
        "اشتغال ایجادشده در تعاونی‌ها",
        "Jobs created in cooperatives",
        "persons",
        "sum",
        (10, 400),
    ),
    (
        "jobs_created",
        "اشتغال ایجادشده در طرح‌های حمایتی",
        "Jobs created by support programmes",
        "persons",
        "sum",
        (50, 1500),
    ),
    ("insured_workers", "بیمه‌شدگان اصلی", "Insured workers", "persons", "sum", (5000, 120000)),
    (
        "ui_claimants",
        "متقاضیان بیمهٔ بیکاری",
        "Unemployment-insurance claimants",
        "persons",
        "sum",
        (20, 900),
    ),
    (
        "welfare_beneficiaries",
        "مددجویان تحت پوشش بهزیستی",
        "Social welfare beneficiaries",
        "persons",
        "sum",
        (800, 25000),
    ),
    (
        "coop_jobs_share",
        "سهم تعاونی‌ها از اشتغال ایجادشده",
        "Cooperatives' share of jobs created",
        "percent",
        "mean",
        (0, 0),
    ),
]


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def project_row(
    rng: random.Random, province: str, number: int, prefix: str, status: str | None = None
) -> dict[str, object]:
    info = PROVINCES[province]
    a, b = rng.sample(info["counties"], 2)
    kinds = [k for k in PROJECT_KINDS if info["ports"] or k[0] != "transport.water"]
    sector, ptype, title_fa, title_en, (low, high) = rng.choice(kinds)
    # A port or airport project lies in the county that has one (picked without a random
    # draw, so the other rows stay as they were).
    airports, ports = info["airports"], info["ports"] or [("", "", "")]
    airport, port = airports[number % len(airports)], ports[number % len(ports)]
    names = {
        "a": a[0],
        "b": b[0],
        "a_en": a[1],
        "b_en": b[1],
        "units": rng.choice([200, 500, 1000, 2000]),
        "airport": airport[0],
        "airport_en": airport[1],
        "port": port[0],
        "port_en": port[1],
    }
    status = status or weighted(rng, STATUS_WEIGHTS)
    budget = rng.randint(low, high) * 1_000_000_000
    start = REFERENCE_DATE - timedelta(days=rng.randint(400, 2600))
    planned_end = start + timedelta(days=rng.randint(540, 1800))
    actual_end = inauguration = None
    if status in ("completion", "maintenance"):
        progress = 100.0
        actual_end = min(
            start + timedelta(days=rng.randint(500, 2000)), REFERENCE_DATE - timedelta(days=20)
        )
        actual_end = max(actual_end, start + timedelta(days=30))
        spent = int(budget * rng.uniform(0.85, 1.0))
        roll = rng.random()
        if status == "maintenance" or roll < 0.5:  # already inaugurated
            inauguration = min(actual_end + timedelta(days=rng.randint(5, 120)), REFERENCE_DATE)
        elif roll < 0.8:  # finished and scheduled: "ready for inauguration"
            inauguration = REFERENCE_DATE + timedelta(days=rng.randint(10, 90))
    elif status == "implementation":
        progress = round(rng.uniform(8, 95), 1)
        spent = int(budget * progress / 100 * rng.uniform(0.8, 1.05))
        spent = min(spent, budget)
    elif status == "cancelled":
        progress = round(rng.uniform(0, 30), 1)
        spent = int(budget * progress / 100 * rng.uniform(0.5, 1.0))
    else:
        progress, spent = 0.0, 0
        start = REFERENCE_DATE + timedelta(days=rng.randint(60, 400))
        planned_end = start + timedelta(days=rng.randint(540, 1800))
    facility = (
        airport if sector == "transport.air" else port if sector == "transport.water" else None
    )
    county = next(c for c in info["counties"] if c[0] == facility[2]) if facility else a
    lat = round(county[2] + rng.uniform(-0.08, 0.08), 5)
    lon = round(county[3] + rng.uniform(-0.08, 0.08), 5)
    return {
        "id": f"{prefix}-{number:04d}",
        "title_fa": title_fa.format(**names),
        "title_en": title_en.format(**names),
        "sector": sector,
        "type": ptype,
        "status": status,
        "province": province,
        "county": county[0],
        "budget_irr": budget,
        "spent_irr": spent,
        "physical_progress_pct": progress,
        "start_date": iso(start),
        "planned_end_date": iso(planned_end),
        "actual_end_date": iso(actual_end),
        "inauguration_date": iso(inauguration),
        "beneficiaries": rng.randint(1, 400) * 1000,
        "jobs_created": rng.randint(10, 2500) if status != "identification" else 0,
        "contractor": rng.choice(CONTRACTORS) if status != "identification" else "",
        "latitude": lat,
        "longitude": lon,
        "updated": iso(REFERENCE_DATE),
    }


PROJECT_FIELDS = list(project_row(random.Random(0), "IR-21", 1, "x").keys())


def write_csv(path: Path, fields: list[str], rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_json(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def jalali(day: date) -> str:
    return jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d")


def descriptor(
    agency: str,
    name: str,
    publisher: dict[str, str],
    province: str,
    titles: tuple[str, str],
    descriptions: tuple[str, str],
    temporal: tuple[str, str],
    frequency: str,
    resources: list[dict[str, object]],
    sources: list[dict[str, str]],
) -> dict[str, object]:
    return {
        "name": name,
        "title": f"{titles[1]} (sample data)",
        "title_fa": f"{titles[0]} (دادهٔ نمونه)",
        "description": f"{descriptions[1]} {NOTICE_EN}",
        "description_fa": f"{descriptions[0]} {NOTICE_FA}",
        "sample": True,
        "agency": agency,
        "publisher": publisher,
        "contributors": [
            {"title": publisher["name_en"], "role": "publisher", "email": publisher["email"]}
        ],
        "contact": {"name": publisher["contact_name"], "email": publisher["email"]},
        "licenses": [LICENSE],
        "keywords": [
            "sample data",
            "دادهٔ نمونه",
            PROVINCES[province]["en"],
            PROVINCES[province]["fa"],
        ],
        "temporal": {"start": temporal[0], "end": temporal[1]},
        "spatial": {"provinces": [province]},
        "update_frequency": frequency,
        "sources": sources,
        "created": f"{REFERENCE_DATE.isoformat()}T00:00:00Z",
        "resources": resources,
    }


def mrud_package(out: Path, province: str, slug: str, count: int, seed: int) -> None:
    rng = random.Random(seed)
    info = PROVINCES[province]
    # Every eighth project is cancelled and every eighth completed, so each sample shows
    # the whole life cycle whatever the random draw.
    forced = {3: "cancelled", 6: "completion"}
    rows = [project_row(rng, province, i + 1, slug, forced.get(i % 8)) for i in range(count)]
    folder = out / slug
    write_csv(folder / "data" / "projects.csv", PROJECT_FIELDS, rows)
    starts = [r["start_date"] for r in rows if r["start_date"]]
    publisher = {
        "name_fa": f"ادارهٔ کل راه و شهرسازی استان {info['fa']}",
        "name_en": f"Roads and Urban Development General Office, {info['en']} Province",
        "email": f"opendata@{slug}.example.ir",
        "contact_name": "Public relations office",
    }
    write_json(
        folder / "datapackage.json",
        descriptor(
            slug,
            "infrastructure-projects",
            publisher,
            province,
            (
                f"طرح‌های عمرانی راه و شهرسازی استان {info['fa']}",
                f"Roads and urban development projects, {info['en']} Province",
            ),
            (
                f"فهرست طرح‌های راه، راه‌آهن، فرودگاه، بندر، مسکن اجتماعی و عمران شهری استان {info['fa']} "
                "با اعتبار، هزینه‌کرد، پیشرفت فیزیکی، تاریخ‌ها و وضعیت افتتاح هر طرح.",
                f"Every road, rail, airport, port, social-housing and urban-works project of the "
                f"{info['en']} office with its budget, spending, physical progress, dates and "
                "inauguration status.",
            ),
            (min(starts), REFERENCE_DATE.isoformat()),
            "quarterly",
            [
                {
                    "name": "projects",
                    "path": "data/projects.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "title": "Projects",
                    "title_fa": "طرح‌ها",
                }
            ],
            [
                {
                    "title": "Project monitoring system of the office (illustrative)",
                    "title_fa": "سامانهٔ پایش طرح‌های اداره کل (نمایشی)",
                }
            ],
        ),
    )


# 24 months ending with the last whole Jalali month before REFERENCE_DATE (1405-07-30).
FIRST_MONTH = (1403, 7)


def jalali_months(first_year: int, first_month: int, count: int) -> list[str]:
    start = first_year * 12 + first_month - 1
    return [f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(count)]


MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
             "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")  # fmt: skip
MONTHS_EN = ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
             "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand")  # fmt: skip


def month_fa(period: str) -> str:
    """`1403-07` -> «مهر ۱۴۰۳» (the description says the months the data holds)."""
    year, month = period.split("-")
    return (
        f"{MONTHS_FA[int(month) - 1]} {year.translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}"
    )


def month_en(period: str) -> str:
    year, month = period.split("-")
    return f"{MONTHS_EN[int(month) - 1]} {year}"


def last_day(year: int, month: int) -> jdatetime.date:
    """The last day of a Jalali month."""
    following = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    return following - jdatetime.timedelta(days=1)


def indicator_observations(
    rng: random.Random, province: str, periods: list[str]
) -> list[dict[str, object]]:
    counties = PROVINCES[province]["counties"]
    rows: list[dict[str, object]] = []
    jobs: dict[tuple[str, str], float] = {}
    for indicator_id, *_rest, aggregation, (low, high) in INDICATORS:
        if aggregation != "sum":
            continue
        base = {c[0]: rng.uniform(low, high) for c in counties}
        for index, period in enumerate(periods):
            total = 0
            for county in counties:
                trend = 1 + 0.004 * index
                value = max(0, round(base[county[0]] * trend * rng.uniform(0.85, 1.15)))
                total += value
                jobs[(indicator_id, period + county[0])] = value
                rows.append(
                    {
                        "indicator_id": indicator_id,
                        "period": period,
                        "province": province,
                        "county": county[0],
                        "value": value,
                    }
                )
            jobs[(indicator_id, period)] = total
            rows.append(
                {
                    "indicator_id": indicator_id,
                    "period": period,
                    "province": province,
                    "county": "",
                    "value": total,
                }
            )
    for period in periods:
        for county in [*(c[0] for c in counties), ""]:
            coop = jobs[("coop_jobs", period + county)]
            allj = coop + jobs[("jobs_created", period + county)]
            share = round(100 * coop / allj, 1) if allj else 0.0
            rows.append(
                {
                    "indicator_id": "coop_jobs_share",
                    "period": period,
                    "province": province,
                    "county": county,
                    "value": share,
                }
            )
    return rows


def mcls_package(out: Path, province: str, slug: str, seed: int) -> None:
    rng = random.Random(seed)
    info = PROVINCES[province]
    periods = jalali_months(*FIRST_MONTH, 24)
    folder = out / slug
    indicator_rows = [
        {
            "indicator_id": i,
            "name_fa": fa,
            "name_en": en,
            "unit": unit,
            # Persian, as a Persian agency publishes it (issue 22, item 9): the pages mark a
            # definition in a language other than the page's.
            "definition": f"{fa} در ماه، به تفکیک شهرستان؛ ردیف استان "
            f"{'جمع شهرستان‌هاست' if agg == 'sum' else 'سهمی است که برای کل استان حساب شده است'}.",
            "aggregation": agg,
        }
        for i, fa, en, unit, agg, _ in INDICATORS
    ]
    write_csv(folder / "data" / "indicators.csv", list(indicator_rows[0].keys()), indicator_rows)
    write_csv(
        folder / "data" / "observations.csv",
        ["indicator_id", "period", "province", "county", "value"],
        indicator_observations(rng, province, periods),
    )
    publisher = {
        "name_fa": f"ادارهٔ کل تعاون، کار و رفاه اجتماعی استان {info['fa']}",
        "name_en": f"Cooperatives, Labour and Social Welfare General Office, {info['en']} Province",
        "email": f"opendata@{slug}.example.ir",
        "contact_name": "Public relations office",
    }
    first = jdatetime.date(FIRST_MONTH[0], FIRST_MONTH[1], 1).togregorian()
    last_year, last_month = (int(part) for part in periods[-1].split("-"))
    last = last_day(last_year, last_month).togregorian()  # the data's own last month
    write_json(
        folder / "datapackage.json",
        descriptor(
            slug,
            "labour-indicators",
            publisher,
            province,
            (
                f"آمار ماهانهٔ تعاون، کار و رفاه اجتماعی استان {info['fa']}",
                f"Monthly cooperatives, labour and social welfare statistics, {info['en']} Province",
            ),
            (
                f"شاخص‌های ماهانهٔ تعاونی‌ها، اشتغال، بیمه و رفاه اجتماعی به تفکیک شهرستان و کل استان {info['fa']} "
                f"برای بیست‌وچهار ماه از {month_fa(periods[0])} تا {month_fa(periods[-1])}.",
                f"Monthly indicators of cooperatives, jobs, insurance and social welfare for each county "
                f"of {info['en']} and the province as a whole, for the 24 Jalali months from "
                f"{month_en(periods[0])} to {month_en(periods[-1])}.",
            ),
            (first.isoformat(), last.isoformat()),
            "monthly",
            [
                {
                    "name": "indicators",
                    "path": "data/indicators.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "title": "Indicator dictionary",
                    "title_fa": "فهرست شاخص‌ها",
                },
                {
                    "name": "observations",
                    "path": "data/observations.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "title": "Monthly observations",
                    "title_fa": "مشاهده‌های ماهانه",
                },
            ],
            [
                {
                    "title": "Administrative registers of the office (illustrative)",
                    "title_fa": "ثبت‌های اداری اداره کل (نمایشی)",
                }
            ],
        ),
    )


def samples(out: Path) -> None:
    mrud_package(out, "IR-06", "mrud-khuzestan", 48, seed=6)
    mrud_package(out, "IR-21", "mrud-yazd", 32, seed=21)
    mcls_package(out, "IR-21", "mcls-yazd", seed=121)
    mcls_package(out, "IR-06", "mcls-khuzestan", seed=106)


def synthetic(out: Path, projects: int, agencies: int, seed: int) -> None:
    """M agencies sharing N projects, for benchmarks (labelled sample data like the rest)."""
    rng = random.Random(seed)
    provinces = list(PROVINCES)
    per_agency = max(1, projects // agencies)
    for number in range(agencies):
        province = provinces[number % len(provinces)]
        slug = f"synthetic-{number + 1:04d}"
        rows = [project_row(rng, province, i + 1, slug) for i in range(per_agency)]
        folder = out / slug
        write_csv(folder / "data" / "projects.csv", PROJECT_FIELDS, rows)
        publisher = {
            "name_fa": f"دستگاه ساختگی {number + 1}",
            "name_en": f"Synthetic agency {number + 1}",
            "email": f"{slug}@example.ir",
            "contact_name": "Benchmark",
        }
        write_json(
            folder / "datapackage.json",
            descriptor(
                slug,
                "infrastructure-projects",
                publisher,
                province,
                ("طرح‌های ساختگی برای سنجش کارایی", "Synthetic projects for benchmarks"),
                ("دادهٔ ساختگی برای سنجش کارایی درگاه.", "Synthetic rows for portal benchmarks."),
                ("2020-01-01", REFERENCE_DATE.isoformat()),
                "quarterly",
                [
                    {
                        "name": "projects",
                        "path": "data/projects.csv",
                        "format": "csv",
                        "mediatype": "text/csv",
                        "encoding": "utf-8",
                    }
                ],
                [{"title": "Synthetic generator"}],
            ),
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sample_cmd = sub.add_parser("samples", help="write the four sample agencies")
    sample_cmd.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "datasets"
    )
    synth = sub.add_parser("synthetic", help="write a large synthetic catalog")
    synth.add_argument("--projects", type=int, required=True)
    synth.add_argument("--agencies", type=int, default=1)
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "samples":
        samples(args.out)
    else:
        synthetic(args.out, args.projects, args.agencies, args.seed)


if __name__ == "__main__":
    main()
