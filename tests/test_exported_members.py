"""Every package says what its face is (httpx's `test_exported_members`).

A package's `__init__` lists in `__all__` exactly the public names it defines or brings in
from the project: each of them exists and imports, and nothing else of ours leaks out of it
unlisted. What it imports from the standard library or a dependency is not its face.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(
    ".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "portal").rglob("__init__.py")
)


def _bound_here(package: str) -> set[str]:
    """Public names the package's `__init__` binds itself: its definitions, and what it
    imports from the project (a submodule imported as a module is not a re-export)."""
    path = ROOT.joinpath(*package.split("."), "__init__.py")
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal"):
            for alias in node.names:
                name = alias.asname or alias.name
                if not _is_module(node.module or "", alias.name):
                    names.add(name)
    return {name for name in names if not name.startswith("_")} | (
        {"__version__"} if package == "portal" else set()
    )


def _is_module(package: str, name: str) -> bool:
    try:
        return importlib.util.find_spec(f"{package}.{name}") is not None
    except ModuleNotFoundError:  # `package` is a module: `name` is a member of it
        return False


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_lists_its_face_exactly(package: str) -> None:
    module = importlib.import_module(package)
    assert hasattr(module, "__all__"), f"{package} has no __all__"
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), "each name once (ruff's RUF022 sorts them)"
    assert set(exported) == _bound_here(package)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_exists_and_imports(package: str) -> None:
    module = importlib.import_module(package)
    namespace: dict[str, object] = {}
    exec(f"from {package} import *", namespace)  # what a star import hands out: __all__
    for name in module.__all__:
        assert namespace[name] is getattr(module, name)
        assert not _is_module(package, name), f"{package}.{name} is a module, not a member"
