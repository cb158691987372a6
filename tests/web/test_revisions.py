from __future__ import annotations

import numpy as np
import pandas as pd

from portal.web.revisions import compare


def test_empty_to_empty_is_no_change_and_the_count_equals_the_cells() -> None:
    old = pd.DataFrame({"id": ["a", "b", "c"], "spent": [1.0, np.nan, 5.0], "note": ["", "", "x"]})
    new = pd.DataFrame(
        {"id": ["a", "b", "c"], "spent": [2.0, np.nan, np.nan], "note": ["", "y", "x"]}
    )
    revision = compare(old, new, ["id"])
    cells = {(c["key"], c["field"]): (c["old"], c["new"], c["kind"]) for c in revision.changed}
    assert cells == {
        ("a", "spent"): ("1.0", "2.0", "changed"),
        ("c", "spent"): ("5.0", "", "removed"),
        ("b", "note"): ("", "y", "added"),
    }
    assert len(revision.changed) == 3
    assert not any("nan" in (c["old"], c["new"]) for c in revision.changed)


def test_identical_tables_with_gaps_have_no_revision() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "value": [np.nan, 3.0], "text": ["", "t"]})
    assert compare(frame, frame.copy(), ["id"]).empty
