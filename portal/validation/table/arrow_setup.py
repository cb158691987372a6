"""pyarrow set up for reading a large table once: its allocator, and no pandas import.

jemalloc: reading and checking a 1M-row file allocates and frees a batch's buffers
(tens of MB) again and again; with pyarrow's default (mimalloc) a clean 1M x 21 file
took 2.51-2.54 s and 366-381 MB, with jemalloc 2.30-2.41 s and 333-345 MB (quiet
machine, best runs), because fewer pages go back to the system to fault in again.

pandas: the first array pyarrow builds from Python objects asks "is pandas installed?", and it
answers by importing pandas (apache/arrow#34994, still so in pyarrow 26): 0.15 s of
every `glasswall validate`, whose checks never hand a pandas object to pyarrow. When
pandas is not loaded yet, that first question is answered "no" (the import is refused for
the length of one probe). pyarrow does not ask again by itself, so the moment anything
imports pandas later, pyarrow is told (its own re-check), and from then on converts
pandas objects exactly as it would have: the answer changes cost, never results.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

import pyarrow as pa


class _RefusePandas(importlib.abc.MetaPathFinder):
    """`import pandas` fails while pyarrow's probe runs."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed by this probe")
        return None


class _TellPyarrowAfterPandas(importlib.abc.MetaPathFinder):
    """When pandas is imported after the probe, pyarrow checks again (and finds it)."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "pandas":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader: Any = spec.loader
        load = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            _ = pa.lib._pandas_api.pd  # pyarrow's own check: imports pyarrow.pandas_compat

        loader.exec_module = exec_module
        return spec


def prepare_arrow() -> None:
    """What every table read wants from pyarrow: jemalloc, and pandas left unloaded."""
    prefer_jemalloc()
    skip_pandas_probe()


def prefer_jemalloc() -> None:
    """jemalloc as pyarrow's default pool, where this pyarrow was built with it."""
    if "jemalloc" not in pa.supported_memory_backends():
        return
    if pa.default_memory_pool().backend_name != "jemalloc":
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def skip_pandas_probe() -> None:
    """Answer pyarrow's "is pandas installed?" without importing pandas, once per process.

    Nothing happens when pandas is already loaded (a served portal, the tests)."""
    if "pandas" in sys.modules or any(
        isinstance(f, _TellPyarrowAfterPandas) for f in sys.meta_path
    ):
        return
    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([0])  # the probe: pyarrow asks, pandas cannot be found
    finally:
        sys.meta_path.remove(refuse)
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _TellPyarrowAfterPandas())
