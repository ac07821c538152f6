"""The apps are layers: each imports only the layers below it.

home is the base; directory builds on home; newsroom on both; search and localization
sit on top and do not know each other; config composes them all. An import that goes
up a layer (or sideways between the two top apps) fails here, naming file and line.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"home", "directory", "newsroom", "search", "localization", "config"}
ALLOWED = {
    "home": set(),
    "directory": {"home"},
    "newsroom": {"home", "directory"},
    "search": {"home", "directory", "newsroom"},
    "localization": {"home", "directory", "newsroom"},
    "config": PROJECT,
}


def imported_apps(path):
    """(line, app) for every import of a project app in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = path.relative_to(ROOT).parts[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [own] if node.level else [node.module or ""]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in PROJECT:
                yield node.lineno, app


def upward_imports(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        for line, imported in imported_apps(path):
            if imported != app and imported not in ALLOWED[app]:
                yield f"{path.relative_to(ROOT)}:{line} imports {imported}"


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_layers_below_it(app):
    assert list(upward_imports(app)) == []


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "home"
    fake.mkdir()
    (fake / "models.py").write_text(
        "from newsroom.models import NewsItemPage\nfrom . import blocks\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert list(upward_imports("home")) == ["home/models.py:1 imports newsroom"]
