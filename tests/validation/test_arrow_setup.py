"""pyarrow's "is pandas installed?" answered without importing pandas (issue 25).

Checked in fresh interpreters: this test session has long imported pandas.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from portal.validation.table.arrow_setup import skip_pandas_probe
import pyarrow as pa
skip_pandas_probe()
pa.array(["a"]); pa.table({"x": [1]})
print("after arrays:", "pandas" in sys.modules)
"""


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_arrays_are_built_without_importing_pandas() -> None:
    assert "after arrays: False" in _python(PROBE)


def test_pandas_imported_later_converts_as_without_the_probe() -> None:
    # Without pyarrow's re-check a categorical Series would arrive as plain strings.
    code = PROBE + (
        "import pandas as pd\n"
        "series = pd.Series(pd.Categorical(['a', 'b']))\n"
        "print('type:', pa.array(series).type)\n"
        "print('frame:', pa.Table.from_pandas(pd.DataFrame({'n': [1]})).num_rows)\n"
    )
    out = _python(code)
    assert "type: dictionary<values=" in out
    assert "frame: 1" in out


def test_nothing_changes_when_pandas_is_already_loaded() -> None:
    code = (
        "import sys, pandas\n"
        "before = list(sys.meta_path)\n"
        "from portal.validation.table.arrow_setup import skip_pandas_probe\n"
        "skip_pandas_probe()\n"
        "print('same finders:', sys.meta_path == before)\n"
    )
    assert "same finders: True" in _python(code)
