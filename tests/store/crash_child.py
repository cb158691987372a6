"""Publishes new versions in a loop until killed; the crash test kills it at random instants."""

from __future__ import annotations

import sys
from pathlib import Path

from portal.store import Store
from portal.store.writer import NewResource, commit_version


def main(home: Path, work: Path) -> None:
    store = Store(home)
    store.init()
    work.mkdir(parents=True, exist_ok=True)
    counter = 0
    while True:
        counter += 1
        data = work / f"table-{counter}.csv"
        # Unique content per round (pid + counter) so every commit is a new version.
        lines = [f"{counter},{i},{'x' * (i % 50)}" for i in range(2000)]
        data.write_text(
            f"round,i,pad\n{counter}-{id(store)}\n" + "\n".join(lines), encoding="utf-8"
        )
        commit_version(
            store,
            "crash",
            "loop",
            "Crash loop",
            {"name": "loop", "round": counter},
            {"valid": True},
            [NewResource("table", "table.csv", data, "text/csv", 2001)],
        )
        print(counter, flush=True)
        data.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
