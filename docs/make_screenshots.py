"""Regenerate the README screenshots: ``python -m docs.make_screenshots [OUT_DIR]``.

Draws the real window offscreen on a throw-away vault with a recorded history (some checks
passed, some failed, one stale, some never run), with local stand-in servers for
'Verify all'. Writes, into ``docs/`` by default:

- ``main-light.png`` (also ``screenshot.png``) and ``main-dark.png``: the main window;
- ``editor-field-error.png``: a new S3 integration refused beside its Bucket field;
- ``first-run.png``: the guide an empty vault shows;
- ``verify-all.png``: 'Verify all' part way, results arriving row by row.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import providers
from app import timefmt
from app.models import parse_new
from app.vault import Vault
from providers.base import Category, Step, VerificationResult
from tests.demo import demo_integrations, start_s3
from tests.doubles.zendesk import ZendeskDouble
from ui.main_window import MainWindow
from ui.palette import Theme

SIZE = (1240, 720)
PASSWORD = "screenshot-password"

OFFLINE = Step("offline check", True, 0, "no pasting mistakes found")
KEY_OK = Step("credentials accepted", True, 78, "key belongs to account 123456789012")


def _bucket_ok(bucket: str) -> tuple[Step, ...]:
    return (
        OFFLINE,
        KEY_OK,
        Step("bucket exists", True, 9, f"bucket {bucket} found"),
        Step("region matches", True, 0, "us-east-1"),
        Step("list allowed", True, 12, "listed up to 1 object"),
    )


def _signed_in(ok: bool, detail: str) -> tuple[Step, ...]:
    reach = Step("reach host", True, 21, "acme.zendesk.com reached (2 addresses)")
    if not ok:
        return (OFFLINE, reach, Step("authenticate", False, 140, detail))
    return (
        OFFLINE,
        reach,
        Step("authenticate", True, 140, "HTTP 200"),
        Step("read the signed-in agent", True, 0, detail),
    )


WRONG_REGION = "The bucket is in eu-west-1, not us-east-1: set Region to eu-west-1."
OLD_TOKEN = "Zendesk refused the token: it was revoked or mistyped. Create a new API token."

# label -> (ok, category, message, days ago, steps); absent labels stay "Not checked".
HISTORY = {
    "Acme – screenshot export": (
        True,
        "ok",
        "Bucket acme-screenshots is reachable.",
        0,
        _bucket_ok("acme-screenshots"),
    ),
    "Acme EU – wrong region": (
        False,
        "misconfigured",
        WRONG_REGION,
        0,
        (
            OFFLINE,
            KEY_OK,
            Step("bucket exists", True, 8, "bucket found (region eu-west-1)"),
            Step("region matches", False, 0, WRONG_REGION),
        ),
    ),
    "Acme help center": (
        True,
        "ok",
        "Signed in to acme.zendesk.com as agent@acme.test.",
        2,
        _signed_in(True, "agent #90210"),
    ),
    "Acme help center – old token": (False, "auth", OLD_TOKEN, 0, _signed_in(False, OLD_TOKEN)),
    "Globex – R2 export": (
        True,
        "ok",
        "Bucket globex-r2-exports is reachable.",
        45,
        _bucket_ok("globex-r2-exports"),
    ),
}


def fill(vault: Vault) -> None:
    now = timefmt.now()
    for data in demo_integrations():
        integration = vault.add(parse_new(data))
        found = HISTORY.get(integration.label)
        if found is None:
            continue
        ok, category, message, days, steps = found
        result = VerificationResult(ok, Category(category), message, 180, steps)
        vault.record_check(integration.id, result, at=now - timedelta(days=days, minutes=7))


def grab(window: MainWindow, path: Path) -> None:
    QApplication.processEvents()
    window.grab().save(str(path))
    print(f"wrote {path}")


async def shoot(out: Path, folder: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    vault = Vault.create(folder / "vault.db", PASSWORD)
    fill(vault)
    theme = Theme(app, "light")

    window = MainWindow(vault)
    window.resize(*SIZE)
    window.show()
    await asyncio.sleep(0.3)
    labels = {row.label: row.id for row in vault.rows()}
    window.open_integration(labels["Acme EU – wrong region"])
    grab(window, out / "main-light.png")
    grab(window, out / "screenshot.png")

    # A new integration refused beside its field.
    window.start_new(providers.get("s3"))
    editor = window.editor
    editor.label_edit.setText("Initech exports")
    form = editor.form
    assert form is not None
    for wire, value in (
        ("bucket", "Initech_Exports"),
        ("region", "us-east-1"),
        ("accessKeyId", "AKIAIOSFODNN7EXAMPLE"),
        ("secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ):
        form.editor_for(wire).setText(value)  # type: ignore[union-attr]
    window.save_current()
    await asyncio.sleep(0.6)  # the findings beside the fields appear a moment after typing
    grab(window, out / "editor-field-error.png")
    editor.clear()

    # Verify all, part way.
    window.statusBar().clearMessage()
    window.open_integration(labels["Acme help center"])
    window.checks.bulk.concurrency = 2
    task = window.verify_all()
    await asyncio.sleep(1.3)
    grab(window, out / "verify-all.png")
    window.cancel_checks()
    await asyncio.wait([task], timeout=5)
    window.close()

    # Dark, on a vault with the same history.
    theme = Theme(app, "dark")
    shaded = Vault.create(folder / "dark.db", PASSWORD)
    fill(shaded)
    labels = {row.label: row.id for row in shaded.rows()}
    dark = MainWindow(shaded)
    dark.resize(*SIZE)
    dark.show()
    await asyncio.sleep(0.3)
    dark.open_integration(labels["Acme help center – old token"])
    grab(dark, out / "main-dark.png")
    dark.close()
    shaded.close()
    del theme

    # An empty vault: the first-run guide.
    Theme(app, "light")
    empty = Vault.create(folder / "empty.db", PASSWORD)
    first = MainWindow(empty)
    first.resize(*SIZE)
    first.show()
    await asyncio.sleep(0.2)
    grab(first, out / "first-run.png")
    first.close()
    empty.close()
    vault.close()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    s3_server, s3_url = start_s3()
    zendesk = ZendeskDouble(latency_s=0.5)
    zendesk.add_agent("acme", "agent@acme.test", "demo-zendesk-token")
    zendesk.start()
    os.environ["INTEGRATION_VAULT_ENDPOINTS"] = json.dumps(
        {"s3": s3_url, "r2": s3_url, "zendesk": zendesk.url + "/{subdomain}"}
    )
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with tempfile.TemporaryDirectory() as folder:
            QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
            loop.run_until_complete(shoot(out, Path(folder)))
    finally:
        zendesk.stop()
        s3_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
