"""The layering rule: the ui package never imports boto3, requests or sqlcipher3."""

from __future__ import annotations

import ast
from pathlib import Path

import ui

FORBIDDEN = {"boto3", "botocore", "requests", "sqlcipher3"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def test_ui_modules_import_no_network_or_database_library() -> None:
    """No module under ui/ imports boto3, requests or sqlcipher3 directly."""
    package = Path(ui.__file__).parent
    offenders = {
        path.name: sorted(imported_roots(path) & FORBIDDEN) for path in package.glob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(offenders) > 5
