"""Contract tests: the rules every module of the core keeps."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import geo

ROOT = Path(__file__).resolve().parents[1]
GEO_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(geo.__path__, prefix="geo.")
    if info.name != "geo.__main__"  # importing it runs the CLI
)
# Command modules expose register() only; the rest of the core declares __all__.
API_MODULES = [name for name in GEO_MODULES if not name.startswith("geo.cli.")]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "geo").rglob("*.py")), ids=str)
def test_core_module_never_imports_streamlit(path: Path) -> None:
    offending = {name for name in _imported_modules(path) if name.split(".")[0] == "streamlit"}
    assert not offending, f"{path.relative_to(ROOT)} imports {offending}: geo/ must stay UI-free"


def test_every_public_name_has_a_docstring() -> None:
    undocumented = [
        name
        for name in geo.__all__
        if name != "__version__" and not inspect.getdoc(getattr(geo, name))
    ]
    assert not undocumented, f"public names without a docstring: {undocumented}"


@pytest.mark.parametrize("module_name", API_MODULES)
def test_every_core_module_declares_its_public_api(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert hasattr(module, "__all__"), f"{module_name} has no __all__"
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ lists undefined names {missing}"


@pytest.mark.parametrize("module_name", GEO_MODULES)
def test_public_functions_take_no_star_args(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if not inspect.isfunction(obj):
            continue
        kinds = {p.kind for p in inspect.signature(obj).parameters.values()}
        assert inspect.Parameter.VAR_POSITIONAL not in kinds, f"{module_name}.{name} takes *args"
        assert inspect.Parameter.VAR_KEYWORD not in kinds, f"{module_name}.{name} takes **kwargs"


def test_cli_help_lists_subcommands_and_version_prints() -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "geo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "assets" in help_text
    version = subprocess.run(
        [sys.executable, "-m", "geo", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert version.strip() == f"frontline-atlas {geo.__version__}"


def test_importing_geo_stays_light() -> None:
    code = "import sys, geo, geo.cli; print(sorted(m for m in ('folium','geopandas','streamlit') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]", f"`import geo` / the CLI parser pulled in heavy modules: {loaded}"
