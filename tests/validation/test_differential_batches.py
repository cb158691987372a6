"""The structural engine reports what frictionless-py reports across batch boundaries.

test_differential's packages have about 30 rows: none crosses the reader's batches of
BATCH_ROWS rows. Here each package has two whole batches and more, with mutations ON and
AROUND the places where batches meet, and early and late in the file:

- Python's reader (the exact path) cuts after every BATCH_ROWS rows: between rows 65,537
  and 65,538, and 131,073 and 131,074. The mutations sit on rows 65,535-65,538 and
  131,071-131,074 (row r is the r-th row of the file, header first, as frictionless numbers
  them; no row is inserted, so before any quoted newline they are line numbers too).
- Arrow's reader (the fast path) gathers 1 MiB blocks until a batch holds BATCH_ROWS rows,
  so its batches end elsewhere (row ~77,574 here): each package is first written clean and
  read, and the mutations also sit on the rows either side of where its batches ended.

A row of another width or an undecodable byte met after whole batches makes the fast read
start over (`portal.validation.table.reader.Restart`); a quoted newline sends the whole file
down the exact path; a BOM makes it utf-8-sig. Each package costs frictionless about 5 s.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from frictionless import Package, errors

from portal.config import Settings
from portal.intake.staging import staged
from portal.validation.engine import validate_package
from portal.validation.rules.packs import SHIPPED
from portal.validation.table.dialect import CsvDialect
from portal.validation.table.reader import (
    BATCH_ROWS,
    ReadPlan,
    ReadResult,
    Restart,
    has_odd_quotes,
    read_batches,
)
from tests.validation.mutations import Case, base_case, materialize
from tests.validation.test_differential import (
    ROW_LEVEL,
    Key,
    counted,
    engine_errors,
)

ROWS = 2 * BATCH_ROWS + 3000  # two whole batches on either path, and a few thousand rows
LONG_ROWS = 2 * BATCH_ROWS + 30000  # three Arrow batches (of ~77.5k rows here)
FIRST, SECOND = BATCH_ROWS + 1, 2 * BATCH_ROWS + 1  # last rows of the exact path's batches
AROUND_FIRST = range(FIRST - 2, FIRST + 2)  # rows 65,535-65,538
AROUND_SECOND = range(SECOND - 2, SECOND + 2)  # rows 131,071-131,074
WIDTH = len(base_case(random.Random(0), 1).main[0])
TODAY = date(2026, 11, 22)

Edit = Callable[[Case, int], None]


def short(case: Case, row: int) -> None:
    del case.main[row - 1][3:]


def long(case: Case, row: int) -> None:
    case.main[row - 1].extend(["extra", "more"])


def blank(case: Case, row: int) -> None:
    case.main[row - 1][:] = [""] * WIDTH


def empty_line(case: Case, row: int) -> None:
    case.main[row - 1][:] = []


def bad_amount(case: Case, row: int) -> None:
    case.main[row - 1][4] = "12a"  # a type error: cells of a regular row, checked by column


def persian_amount(case: Case, row: int) -> None:
    case.main[row - 1][4] = "۱۲"  # a type error, and a finding of the rule packs (a warning)


def dangling(case: Case, row: int) -> None:
    case.main[row - 1][1] = "k9"  # not in dict.csv: a foreign-key miss


def no_id(case: Case, row: int) -> None:
    case.main[row - 1][0] = ""  # required; a primary key of no value


def quoted_newline(case: Case, row: int) -> None:
    case.main[row - 1][-1] = "line one\nline two"


def repeat_of(first: int) -> Edit:
    """The id of row `first` again (its first occurrence stays where it is)."""

    def edit(case: Case, row: int) -> None:
        case.main[row - 1][0] = case.main[first - 1][0]

    edit.__name__ = f"repeat_of_{first}"
    return edit


def bad_byte(case: Case, row: int) -> None:
    """Two bytes UTF-8 cannot decode at the start of the physical line `row`."""

    def insert(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[row - 1] = b"\xff\xfe" + lines[row - 1]
        return b"\n".join(lines)

    case.raw_edits.append(insert)


WIDTHS: list[Edit] = [short, long, blank, empty_line]
AT_EDGES: list[Edit] = [short, long, blank, empty_line, bad_amount, dangling]


@dataclass(frozen=True)
class Layout:
    """Where mutations go in one package; `arrow_edges` gets the rows where a clean copy's
    Arrow batches ended and gives (row, edit) pairs around them."""

    name: str
    rows: int = ROWS
    placed: list[tuple[int, Edit]] = field(default_factory=list)
    arrow_edges: Callable[[list[int]], list[tuple[int, Edit]]] = lambda _: []
    bom: bool = False
    unique_id: bool = True
    restarts: tuple[int, ...] = ()  # whole batches the fast read gave before each restart
    exact: bool = False  # read by the exact path (Python's csv)


def around(rows: range | list[int], edits: list[Edit]) -> list[tuple[int, Edit]]:
    """Each row gets the next edit in turn, so every kind lands on every side of a cut."""
    return [(row, edits[index % len(edits)]) for index, row in enumerate(rows)]


def edges_around(edits: list[Edit]) -> Callable[[list[int]], list[tuple[int, Edit]]]:
    """The last row of each given batch, the row before it and the two after, in turn."""

    def place(edges: list[int]) -> list[tuple[int, Edit]]:
        rows = [row for edge in edges for row in range(edge - 1, edge + 3)]
        return around(rows, edits)

    return place


LAYOUTS = [
    # Widths on every side of both kinds of cut, early (the first restart comes before
    # any batch) and late; ids first seen in batch one repeated in batch two and three;
    # foreign-key misses in batch two.
    Layout(
        "fast-widths-keys",
        placed=[
            (2, long),
            (3, short),
            *around(AROUND_FIRST, WIDTHS),
            *around(AROUND_SECOND, [*WIDTHS[2:], *WIDTHS[:2]]),
            (FIRST + 5, repeat_of(10)),
            (FIRST + 6, dangling),
            (FIRST + 7, bad_amount),
            (90000, repeat_of(11)),
            (SECOND + 5, repeat_of(70000)),
            (SECOND + 6, dangling),
            (ROWS, empty_line),
            (ROWS - 1, short),
        ],
        arrow_edges=edges_around(AT_EDGES),
        restarts=(0,),
    ),
    # Only the primary key says id repeats (no unique constraint): its own search for
    # repeats; a BOM; the first row of another width only in batch two, after a whole one.
    Layout(
        "fast-primary-key-bom",
        placed=[
            (5, no_id),
            (FIRST - 1, repeat_of(20)),
            (FIRST + 1, repeat_of(21)),
            (FIRST + 2, no_id),
            *around(AROUND_SECOND, [long, repeat_of(22), short, repeat_of(FIRST + 10)]),
            (SECOND + 3, dangling),
            (ROWS - 2, repeat_of(23)),
        ],
        arrow_edges=lambda edges: [
            (edges[0], repeat_of(24)),
            (edges[0] + 1, repeat_of(25)),
            (edges[0] + 2, blank),
            (edges[0] + 3, short),
        ],
        bom=True,
        unique_id=False,
        restarts=(1,),
    ),
    # An undecodable byte in Arrow's second batch: the read starts over after one whole
    # batch, already reading rows of another width with the handler (a first restart).
    # Only the primary key looks for repeats; the second batch, cut short by the byte,
    # holds ids of five digits only, one of them first seen in the first batch.
    Layout(
        "fast-bad-byte-second",
        placed=[
            (4, blank),
            *around(AROUND_FIRST, WIDTHS),
            (FIRST + 4, repeat_of(30)),
        ],
        arrow_edges=lambda edges: [
            *edges_around(AT_EDGES)(edges[:1]),
            (edges[0] + 200, repeat_of(70000)),
            (edges[0] + 40, dangling),
            (edges[0] + 5000, bad_byte),
        ],
        unique_id=False,
        restarts=(0, 1),
    ),
    # Three Arrow batches; rows of another width only well into the second (a restart
    # after one whole batch: Arrow parses a block ahead, so a row of another width just
    # after a cut stops the read before the batch is given), an undecodable byte in the
    # third (a restart after two).
    Layout(
        "fast-bad-byte-third",
        rows=LONG_ROWS,
        placed=[
            *around(AROUND_SECOND, WIDTHS),
            (SECOND + 4, repeat_of(40)),
            (SECOND + 5, dangling),
            (100, persian_amount),
        ],
        arrow_edges=lambda edges: [
            *around(range(edges[0] + 1, edges[0] + 5), [bad_amount, dangling, no_id, blank]),
            *edges_around(AT_EDGES)(edges[1:2]),
            (edges[0] + 10, repeat_of(41)),
            (edges[0] + 20, persian_amount),
            (edges[1] + 20, persian_amount),
            (edges[1] + 10, repeat_of(edges[0] - 5)),
            (edges[1] + 3000, bad_byte),
        ],
        restarts=(1, 2),
    ),
    # A quoted newline late: the whole file down the exact path, cut every BATCH_ROWS rows.
    Layout(
        "exact-widths-keys",
        placed=[
            (3, empty_line),
            *around(AROUND_FIRST, [*WIDTHS[1:], WIDTHS[0]]),
            *around(AROUND_SECOND, WIDTHS),
            (FIRST + 3, repeat_of(50)),
            (FIRST + 4, dangling),
            (FIRST + 5, bad_amount),
            (SECOND + 3, repeat_of(FIRST + 3)),
            (SECOND + 4, dangling),
            (ROWS - 10, quoted_newline),
            (ROWS, long),
        ],
        exact=True,
    ),
    # The exact path meets an undecodable byte in its third batch; a quoted newline early
    # (rows and lines part from there on).
    Layout(
        "exact-bad-byte-third",
        placed=[
            (6, quoted_newline),
            *around(AROUND_FIRST, [*WIDTHS[2:], *WIDTHS[:2]]),
            *around(AROUND_SECOND, [*WIDTHS[3:], *WIDTHS[:3]]),
            (FIRST + 3, repeat_of(60)),
            (SECOND + 3, repeat_of(61)),
            (SECOND + 4, dangling),
            (SECOND + 1500, bad_byte),
        ],
        exact=True,
    ),
]


def restarts(path: Path) -> tuple[int, ...]:
    """How many batches the reader gave before each `Restart` (as `read_table` reads)."""
    plan, given = ReadPlan(), []
    while True:
        count = 0
        try:
            for _ in read_batches(
                path, CsvDialect.from_descriptor(None), "utf-8", ReadResult(), plan
            ):
                count += 1
            return tuple(given)
        except Restart as restart:
            given.append(count)
            plan = restart.plan


def arrow_batch_ends(path: Path) -> list[int]:
    """The last row of each batch the fast path reads from a clean file."""
    result = ReadResult()
    batches = read_batches(path, CsvDialect.from_descriptor(None), "utf-8", result)
    return [int(batch.row_numbers[-1]) for batch in batches][:-1]


@dataclass
class Built:
    folder: Path
    descriptor: dict
    applied: list[str]
    expected: Counter[Key]
    rows: int | None  # frictionless's row count of main.csv


def build(layout: Layout, folder: Path) -> Built:
    folder.mkdir()
    case = base_case(random.Random(layout.name), layout.rows)
    (folder / "main.csv").write_bytes(materialize(case)[0])
    edges = arrow_batch_ends(folder / "main.csv")
    placed = layout.placed + layout.arrow_edges(edges)
    rows = [row for row, _ in placed]
    assert len(rows) == len(set(rows)) and max(rows) <= layout.rows + 1, sorted(rows)
    for row, edit in placed:
        edit(case, row)
        case.applied.append(f"{edit.__name__}@{row}")
    case.bom = layout.bom
    main, dictionary, descriptor = materialize(case)
    descriptor = copy.deepcopy(descriptor)  # its fields are the mutations module's own
    if not layout.unique_id:
        descriptor["resources"][1]["schema"]["fields"][0]["constraints"].pop("unique")
    (folder / "main.csv").write_bytes(main)
    (folder / "dict.csv").write_bytes(dictionary)
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    report = Package(descriptor, basepath=str(folder)).validate(limit_errors=10**7)
    read = {task.name: task.stats.get("rows") for task in report.tasks}
    applied = [f"arrow batches end at rows {edges}", *case.applied]
    return Built(folder, descriptor, applied, counted(report), read["main"])


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Layout], Built]]:
    """Each layout's package, built and read by frictionless once for this module's tests."""
    root = tmp_path_factory.mktemp("batches")
    built: dict[str, Built] = {}

    def get(layout: Layout) -> Built:
        if layout.name not in built:
            built[layout.name] = build(layout, root / layout.name)
        return built[layout.name]

    yield get
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_engine_matches_frictionless_across_batches(
    packages: Callable[[Layout], Built], layout: Layout
) -> None:
    package = packages(layout)
    main = package.folder / "main.csv"
    assert has_odd_quotes(main, b'"') == layout.exact, package.applied  # the path meant
    assert restarts(main) == layout.restarts, package.applied  # and its restarts
    actual = engine_errors(package.descriptor, package.folder)
    expected = package.expected
    assert expected == actual, (package.applied, expected - actual, actual - expected)
    wanted = {"extra-cell", "missing-cell", "blank-row", "primary-key", "foreign-key"}
    assert wanted <= {key[3] for key in expected}, package.applied


WHOLE_REPORT = next(layout for layout in LAYOUTS if layout.name == "fast-bad-byte-third")
STRUCTURAL = {
    error.type
    for error in vars(errors).values()
    if isinstance(error, type) and issubclass(error, errors.Error)
}


@pytest.mark.slow
def test_the_whole_report_across_batches(
    packages: Callable[[Layout], Built], settings: Settings
) -> None:
    """Through the whole pipeline (rule packs too) on the package whose fast read starts
    over after one whole batch and again after two: each finding told once, the
    structural ones frictionless's, the rows counted once."""
    package = packages(WHOLE_REPORT)
    with staged(package.folder, settings) as package_staged:
        report, _ = validate_package(package_staged, SHIPPED, today=TODAY)
    placed = sum(1 for applied in package.applied if applied.startswith("persian_amount@"))
    assert report.counts().get("persian-digits") == placed, report.counts()
    seen = [(f.code, f.resource, f.row, f.field_number, f.field) for f in report.findings]
    assert len(seen) == len(set(seen)), sorted(s for s in seen if seen.count(s) > 1)[:5]
    found: Counter[Key] = Counter(
        (f.resource, f.row, None if f.code in ROW_LEVEL else f.field_number, f.code)
        for f in report.findings
        if f.code in STRUCTURAL
    )
    assert found == package.expected, (found - package.expected, package.expected - found)
    assert report.rows_of("main") == package.rows
    assert all(0 <= share <= 1 for share in report.completeness["main"].values())
