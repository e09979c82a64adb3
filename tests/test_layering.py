"""Layers point one way: core and providers never import Qt; the UI never talks to services."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

QT = {"PySide6", "shiboken6"}
SERVICES = {"boto3", "botocore", "requests", "sqlcipher3"}
RULES = {"app": QT, "providers": QT, "ui": SERVICES}


def imported_modules(source: str) -> set[str]:
    """Top-level names of every absolute module the source imports, dynamic imports included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value.split(".")[0])
    return found


def _is_dynamic_import(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_import_finder_sees_every_import_form() -> None:
    """The checker notices plain, dotted, from-, function-level and dynamic imports."""
    source = (
        "import os, PySide6.QtCore\n"
        "from botocore.config import Config\n"
        "from . import sibling\n"
        "def later():\n"
        "    import requests\n"
        "    importlib.import_module('boto3.session')\n"
        "    __import__('sqlcipher3')\n"
        "try:\n"
        "    from shiboken6 import isValid\n"
        "except ImportError:\n"
        "    pass\n"
    )
    assert imported_modules(source) == {
        "os",
        "PySide6",
        "botocore",
        "requests",
        "boto3",
        "sqlcipher3",
        "shiboken6",
    }


@pytest.mark.parametrize("package", ["app", "providers", "ui"])
def test_layer_never_imports_across_the_line(package: str) -> None:
    """app/ and providers/ never import Qt; ui/ never imports boto3, requests or sqlcipher3."""
    files = _sources(package)
    assert files, f"no Python files under {package}/"

    crossings = {
        str(path.relative_to(ROOT)): sorted(
            imported_modules(path.read_text("utf-8")) & RULES[package]
        )
        for path in files
    }
    assert {name: bad for name, bad in crossings.items() if bad} == {}


def test_core_and_providers_load_without_qt() -> None:
    """Importing every core and provider module in a fresh process loads no Qt module."""
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in ("app", "providers")
        for path in _sources(package)
        if path.name != "__main__.py"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
