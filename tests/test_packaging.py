"""A real package: every imported distribution declared, and a wheel that works outside the
checkout (rule packs, fonts, Streamlit config, profiles and samples as package data)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import httpx
import pytest

from portal.serving.launch import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (
    "portal/rulepacks/projects.yaml",
    "portal/rulepacks/province_boxes.csv",
    "portal/web/static/Vazirmatn-Regular.woff2",
    "portal/web/.streamlit/config.toml",
    "portal/profiles/projects.schema.json",
    "portal/samples/mrud-yazd/datapackage.json",
    "portal/samples/mrud-yazd/data/projects.csv",
    "portal/locales/fa.yaml",
    "portal/locales/fa/sheets.yaml",
    "portal/intake/sheets/columns.yaml",
    "portal/door/templates/body.html",
    "portal/door/templates/door.css",
    "portal/web/maps/iran_provinces.json",
    "portal/web/maps/iran_provinces.LICENSE",
    "portal/web/maps/SOURCE.md",
)


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!\[ ;]", dep, maxsplit=1)[0] for dep in project["dependencies"]}
    return {name.lower().replace("_", "-") for name in names}


def test_every_imported_distribution_is_declared() -> None:
    roots: set[str] = set()
    for path in (ROOT / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                roots.add(node.module.split(".")[0])
    third_party = roots - set(sys.stdlib_module_names) - {"portal"}
    owners = packages_distributions()
    needed = {owners[root][0].lower().replace("_", "-") for root in third_party}
    assert needed - _declared() == set()


@pytest.mark.slow
def test_the_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("glasswall-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(SHIPPED) <= names, set(SHIPPED) - names

    # A fresh environment outside the checkout: the wheel itself, and the dependencies of
    # this test environment (already locked and installed) through a path file.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLASSWALL_")}
    glasswall = [str(venv / "bin" / "glasswall"), "--lang", "en", "--home", str(work / "var")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*glasswall, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300
        )

    where = subprocess.run(
        [str(python), "-c", "import portal; print(portal.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), where
    init = run("init")
    assert init.returncode == 0 and str(work / "var") in init.stdout, init.stderr
    demo = run("demo")
    assert demo.returncode == 0 and demo.stdout.count("Published") == 4, demo.stdout + demo.stderr
    sample = Path(site) / "portal" / "samples" / "mrud-yazd"
    valid = run("validate", str(sample))
    assert valid.returncode == 0, valid.stdout + valid.stderr
    template = run("template", "projects", "--out", str(work / "template.xlsx"))
    assert template.returncode == 0 and (work / "template.xlsx").is_file(), template.stderr
    port = free_port()
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [*glasswall, "serve", "--port", str(port)], cwd=work, env=env, stdout=log, stderr=log
        )
        try:
            url = f"http://127.0.0.1:{port}"
            assert wait_until_healthy(url), (tmp_path / "server.log").read_text()
            assert httpx.get(f"{url}/app/static/Vazirmatn-Regular.woff2").status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=20)
