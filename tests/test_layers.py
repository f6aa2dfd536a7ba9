"""The layers are a contract: import-linter (``[tool.importlinter]`` in pyproject.toml) keeps
them, and breaks on each kind of violation the house style forbids.

Each violation test copies the project's packages to a temporary folder, adds one offending
import and runs ``lint-imports`` there: the contract that guards against it must fail.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "i18n", "charts", "downloads", "ui", "web", "deploy", "harness")
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.parquet", "static"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_tree_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "offence", "contract"),
    [
        ("etl/_offence.py", "import i18n.text\n", "etl imports no other project package"),
        ("charts/_offence.py", "import streamlit\n", "Streamlit only in ui/ and web.app"),
        ("downloads/_offence.py", "import streamlit\n", "Streamlit only in ui/ and web.app"),
        ("i18n/_offence.py", "import streamlit\n", "Streamlit only in ui/ and web.app"),
        ("web/_offence.py", "import streamlit\n", "Streamlit only in ui/ and web.app"),
        ("ui/_offence.py", "import web.server\n", "ui and web never import each other"),
        ("web/_offence.py", "import ui.components\n", "ui and web never import each other"),
        ("charts/_offence.py", "import ui.state\n", "Layers"),
        ("i18n/_offence.py", "import charts.style\n", "Layers"),
        ("charts/_offence.py", "import downloads.bundle\n", "Layers"),
        # a cycle inside a package: i18n.text -> i18n.fmt -> i18n.text
        ("i18n/text.py", "import i18n.fmt\n", "No cycles between the modules of a package"),
    ],
)
def test_each_violation_breaks_its_contract(copy, module, offence, contract):
    path = copy / module
    before = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text((before or "") + offence, encoding="utf-8")
    try:
        result = lint(copy)
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_text(before, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout, result.stdout


def _local_imports(path: Path) -> list[str]:
    """Imports of project modules inside functions (module-level ``if TYPE_CHECKING`` aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                names = []
                if isinstance(inner, ast.Import):
                    names = [a.name for a in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.module:
                    names = [inner.module]
                found += [f"{path.relative_to(ROOT)}:{inner.lineno} {n}" for n in names
                          if n.split(".")[0] in (*PACKAGES, "pages", "harness", "tests")]
    return found


def test_no_function_local_imports_of_project_modules():
    files = [p for name in (*PACKAGES, "pages") for p in (ROOT / name).rglob("*.py")]
    files.append(ROOT / "dashboard.py")
    assert [hit for p in files for hit in _local_imports(p)] == []
