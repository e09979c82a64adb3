# PyInstaller spec for Integration Vault: `make bundle` (which runs
# `pyinstaller integration-vault.spec`, a wrapper that executes this file) builds a one-folder
# app in dist/integration-vault/ for the current operating system.
"""PyInstaller spec: the CLI and the window in one folder, with Qt plugins and SQLCipher."""

from pathlib import Path

from PyInstaller.utils.hooks import collect_dynamic_libs, collect_submodules

ROOT = Path(SPECPATH)  # noqa: F821 - defined by PyInstaller when it runs a spec
NAME = "integration-vault"

hidden = (
    collect_submodules("app")
    + collect_submodules("providers")
    + collect_submodules("ui")
    + ["sqlcipher3.dbapi2", "qasync", "platformdirs"]
)

a = Analysis(  # noqa: F821
    [str(ROOT / "app" / "__main__.py")],
    pathex=[str(ROOT)],
    binaries=collect_dynamic_libs("sqlcipher3"),
    datas=[(str(ROOT / "resources"), "resources")],
    hiddenimports=hidden,
    excludes=["tkinter", "tests", "moto", "pytest", "IPython", "matplotlib"],
    noarchive=False,
)
pyz = PYZ(a.pure)  # noqa: F821
exe = EXE(  # noqa: F821
    pyz,
    a.scripts,
    [],
    exclude_binaries=True,
    name=NAME,
    console=True,
    upx=False,
)
coll = COLLECT(exe, a.binaries, a.datas, name=NAME, upx=False)  # noqa: F821
