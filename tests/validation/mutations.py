"""A generator of mutated CSV packages covering every structural error code.

Each case is a small package (a dictionary table and a main table with every field
type and constraint, a primary key and a foreign key) with one to four mutations
applied: bad types, broken constraints, short/long/blank rows, header changes,
repeated keys, dangling references, wrong byte counts or hashes, undecodable bytes,
quoting, BOMs and line endings. Deterministic from the seed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.validation.table.dialect import pin_dialect

MAIN_FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
    {"name": "code", "type": "string"},
    {
        "name": "name",
        "type": "string",
        "constraints": {"required": True, "minLength": 2, "maxLength": 12, "pattern": "[A-Za-z ]+"},
    },
    {"name": "category", "type": "string", "constraints": {"enum": ["a", "b", "c"]}},
    {"name": "amount", "type": "integer", "constraints": {"minimum": 0, "maximum": 1000}},
    {"name": "ratio", "type": "number", "constraints": {"minimum": 0, "maximum": 1}},
    {
        "name": "day",
        "type": "date",
        "constraints": {"minimum": "2000-01-01", "maximum": "2030-12-31"},
    },
    {"name": "flag", "type": "boolean"},
    {"name": "year", "type": "year"},
    {"name": "note", "type": "string"},
]
DICT_FIELDS: list[dict[str, Any]] = [
    {"name": "code", "type": "string", "constraints": {"required": True, "unique": True}},
    {"name": "label", "type": "string"},
]
CODES = ["k1", "k2", "k3", "k4", "k5"]


@dataclass
class Case:
    """Two tables as rows of cells plus descriptor tweaks and byte-level edits."""

    main: list[list[str]]
    dictionary: list[list[str]]
    applied: list[str] = field(default_factory=list)
    main_extra: dict[str, Any] = field(default_factory=dict)
    raw_edits: list[Callable[[bytes], bytes]] = field(default_factory=list)
    line_end: str = "\n"
    quote_all: bool = False
    bom: bool = False


def base_case(rng: random.Random, rows: int = 30) -> Case:
    main = [[f["name"] for f in MAIN_FIELDS]]
    for i in range(1, rows + 1):
        main.append(
            [
                str(i),
                rng.choice(CODES),
                rng.choice(["Ali", "Sara", "Reza Karimi", "Mina"]),
                rng.choice(["a", "b", "c"]),
                str(rng.randint(0, 1000)),
                f"{rng.random():.3f}",
                f"20{rng.randint(10, 29)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                rng.choice(["true", "false"]),
                str(rng.randint(1990, 2030)),
                rng.choice(["", "free text", "note"]),
            ]
        )
    dictionary = [["code", "label"]] + [[code, f"Label {code}"] for code in CODES]
    return Case(main, dictionary)


def _row(case: Case, rng: random.Random) -> int:
    return rng.randint(1, len(case.main) - 1)


def _set(column: str, values: list[str]) -> Callable[[Case, random.Random], None]:
    def mutate(case: Case, rng: random.Random) -> None:
        index = case.main[0].index(column) if column in case.main[0] else None
        if index is None:
            return
        row = case.main[_row(case, rng)]
        if index < len(row):
            row[index] = rng.choice(values)

    return mutate


def _short_row(case: Case, rng: random.Random) -> None:
    row = case.main[_row(case, rng)]
    del row[rng.randint(0, len(row) - 1) :]


def _long_row(case: Case, rng: random.Random) -> None:
    case.main[_row(case, rng)].extend(["extra"] * rng.randint(1, 2))


def _blank_row(case: Case, rng: random.Random) -> None:
    case.main.insert(_row(case, rng), [""] * len(case.main[0]))


def _empty_line(case: Case, rng: random.Random) -> None:
    case.main.insert(_row(case, rng), [])


def _duplicate_id(case: Case, rng: random.Random) -> None:
    source, target = _row(case, rng), _row(case, rng)
    value = case.main[source][0] if case.main[source] else "1"
    if case.main[target]:
        case.main[target][0] = rng.choice([value, "0" + value if value.isdigit() else value])


def _rename_label(case: Case, rng: random.Random) -> None:
    position = rng.randint(0, len(case.main[0]) - 1)
    case.main[0][position] = rng.choice(["renamed", "", case.main[0][0], "Name"])


def _drop_last_column(case: Case, rng: random.Random) -> None:
    for row in case.main:
        if row:
            row.pop()


def _extra_column(case: Case, rng: random.Random) -> None:
    case.main[0].append(rng.choice(["extra", "id", ""]))
    for row in case.main[1:]:
        if row:
            row.append("x")


def _dangling_code(case: Case, rng: random.Random) -> None:
    row = case.main[_row(case, rng)]
    if len(row) > 1:
        row[1] = rng.choice(["k9", "K1", "zz"])


def _dictionary_duplicate(case: Case, rng: random.Random) -> None:
    case.dictionary.append([rng.choice(CODES), "again"])


def _wrong_bytes(case: Case, rng: random.Random) -> None:
    case.main_extra["bytes"] = rng.randint(1, 99)


def _wrong_hash(case: Case, rng: random.Random) -> None:
    case.main_extra["hash"] = rng.choice(["sha256:" + "0" * 64, "0" * 32])


def _right_hash(case: Case, rng: random.Random) -> None:
    case.main_extra["hash"] = "sha256:RIGHT"


def _bad_byte(case: Case, rng: random.Random) -> None:
    where = rng.random()

    def edit(data: bytes) -> bytes:
        at = max(1, int(len(data) * where))
        return data[:at] + b"\xff\xfe" + data[at:]

    case.raw_edits.append(edit)


def _quoted_newline(case: Case, rng: random.Random) -> None:
    row = case.main[_row(case, rng)]
    if len(row) == len(case.main[0]):
        row[-1] = "line one\nline two"


def _quoted_comma(case: Case, rng: random.Random) -> None:
    row = case.main[_row(case, rng)]
    if len(row) == len(case.main[0]):
        row[-1] = 'a, "quoted" note'


def _crlf(case: Case, rng: random.Random) -> None:
    case.line_end = "\r\n"


def _quote_all(case: Case, rng: random.Random) -> None:
    case.quote_all = True


def _bom(case: Case, rng: random.Random) -> None:
    case.bom = True


MUTATIONS: dict[str, Callable[[Case, random.Random], None]] = {
    "int-type": _set("amount", ["x", "1.5", "", "١٢", " 7 ", "+3", "1_000", "9" * 25, "-0", "12a"]),
    "number-type": _set(
        "ratio", ["abc", "1,5", "NaN", "inf", "1e-1", ".5", "0.12345678901234567", "-0.0", "1.", ""]
    ),
    "date-type": _set(
        "day",
        [
            "2021-02-30",
            "2020-1-5",
            " 2020-01-01",
            "2020/01/01",
            "۱۴۰۲-۰۵-۱۷",
            "1999-12-31",
            "2031-01-01",
            "",
        ],
    ),
    "boolean-type": _set("flag", ["yes", "TRUE", "0", "False", "", "tru"]),
    "year-type": _set("year", ["20x0", "+123", "12345", "0999", ""]),
    "required": _set("name", ["", ""]),
    "length-pattern": _set("name", ["A", "A very long name indeed", "R2D2", "ok", "Ünïcode"]),
    "enum": _set("category", ["d", "A", "", "a "]),
    "bounds": _set("amount", ["-1", "1001", "0", "1000"]),
    "ratio-bounds": _set("ratio", ["1.5", "-0.1", "1", "0"]),
    "id-type": _set("id", ["x", "", "1.0", "٣"]),
    "duplicate-id": _duplicate_id,
    "dangling-fk": _dangling_code,
    "fk-empty": _set("code", [""]),
    "dictionary-duplicate": _dictionary_duplicate,
    "short-row": _short_row,
    "long-row": _long_row,
    "blank-row": _blank_row,
    "empty-line": _empty_line,
    "rename-label": _rename_label,
    "drop-column": _drop_last_column,
    "extra-column": _extra_column,
    "wrong-bytes": _wrong_bytes,
    "wrong-hash": _wrong_hash,
    "right-hash": _right_hash,
    "bad-byte": _bad_byte,
    "quoted-newline": _quoted_newline,
    "quoted-comma": _quoted_comma,
    "crlf": _crlf,
    "quote-all": _quote_all,
    "bom": _bom,
}


def render(rows: list[list[str]], line_end: str, quote_all: bool) -> str:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, lineterminator=line_end, quoting=quoting)
    for row in rows:
        if row:
            writer.writerow(row)
        else:
            buffer.write(line_end)
    return buffer.getvalue()


def materialize(case: Case) -> tuple[bytes, bytes, dict[str, Any]]:
    """(main.csv bytes, dict.csv bytes, descriptor)."""
    main = render(case.main, case.line_end, case.quote_all).encode("utf-8")
    if case.bom:
        main = b"\xef\xbb\xbf" + main
    for edit in case.raw_edits:
        main = edit(main)
    extra = dict(case.main_extra)
    if extra.get("hash") == "sha256:RIGHT":
        extra["hash"] = "sha256:" + hashlib.sha256(main).hexdigest()
    dictionary = render(case.dictionary, "\n", False).encode("utf-8")
    descriptor = {
        "name": "case",
        "resources": [
            {
                "name": "dict",
                "path": "dict.csv",
                "encoding": "utf-8",
                "dialect": pin_dialect(None),
                "schema": {"fields": DICT_FIELDS, "primaryKey": ["code"]},
            },
            {
                "name": "main",
                "path": "main.csv",
                "encoding": "utf-8",
                "dialect": pin_dialect(None),
                "schema": {
                    "fields": MAIN_FIELDS,
                    "primaryKey": ["id"],
                    "foreignKeys": [
                        {"fields": ["code"], "reference": {"resource": "dict", "fields": ["code"]}}
                    ],
                },
                **extra,
            },
        ],
    }
    return main, dictionary, descriptor


def cases(count: int, seed: int = 20261122) -> list[Case]:
    """Every mutation alone once, then random combinations of two to four."""
    rng = random.Random(seed)
    generated = []
    names = list(MUTATIONS)
    for name in names:
        case = base_case(rng)
        MUTATIONS[name](case, rng)
        case.applied.append(name)
        generated.append(case)
    while len(generated) < count:
        case = base_case(rng)
        for name in rng.sample(names, rng.randint(2, 4)):
            MUTATIONS[name](case, rng)
            case.applied.append(name)
        generated.append(case)
    return generated
