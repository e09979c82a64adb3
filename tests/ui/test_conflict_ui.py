"""Conflicts and deletes of synced integrations, through the window, against the API double."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync
from pydantic import SecretStr
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import remote
from app.models import MASK, merge_credentials
from app.remote import RemoteConfig
from app.vault import Vault
from tests.doubles.integration_api import IntegrationApiDouble
from tests.ui.conftest import SECRET_KEY, add_s3
from tests.ui.test_lock import ready
from tests.ui.test_sync_ui import API_KEY, only_id, push_shown, remote_id_of
from ui.conflict_dialog import ConflictDialog
from ui.main_window import MainWindow
from ui.sync_actions import ask_remote_delete

NEW_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYNEWSECRET"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the retry back-off short so retried calls take milliseconds."""
    monkeypatch.setattr(remote, "RETRY_DELAYS_S", (0.01, 0.02, 0.03))


@pytest.fixture
def double() -> Iterator[IntegrationApiDouble]:
    running = IntegrationApiDouble(api_key=API_KEY).start()
    yield running
    running.stop()


@pytest.fixture
def opened(
    qtbot: QtBot, vault: Vault, double: IntegrationApiDouble, qasync_loop: qasync.QEventLoop
) -> MainWindow:
    """A window on a vault with one S3 integration, connected to the double."""
    vault.save_remote_config(RemoteConfig(double.url, SecretStr(API_KEY)))
    add_s3(vault)
    return ready(qtbot, vault)


def make_conflict(qtbot: QtBot, window: MainWindow, double: IntegrationApiDouble) -> str:
    """Push, then change the label here and on the server, and push again: a conflict."""
    integration_id = only_id(window)
    push_shown(qtbot, window, integration_id)
    rid = remote_id_of(window, integration_id)
    current = window.vault.get(integration_id)
    changed = merge_credentials(current.credentials, {"secretAccessKey": NEW_SECRET})
    window.vault.update(integration_id, label="Acme (local)", credentials=changed)
    double.edit_on_server(rid, label="Acme (server)")
    push_shown(qtbot, window, integration_id)
    assert window.vault.row(integration_id).sync_state == "conflict"
    return integration_id


# -- conflicts -------------------------------------------------------------------------------


def test_the_conflict_dialog_shows_both_sides_with_secrets_masked(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Both labels show side by side; secrets show only as dots, marked where they differ."""
    integration_id = make_conflict(qtbot, opened, double)
    opened.select(integration_id)

    opened.session.sync.resolve.trigger()
    dialog = opened.session.sync.dialogs["conflict"]
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()

    cells = {
        dialog.cell_text(row, 0): (dialog.cell_text(row, 1), dialog.cell_text(row, 2))
        for row in range(dialog.table.rowCount())
    }
    assert cells["≠ Label"] == ("Acme (local)", "Acme (server)")
    secret = next(value for title, value in cells.items() if "Secret" in title)
    assert secret == (MASK, MASK)
    assert any(title.startswith("≠ ") and "Secret" in title for title in cells)
    shown = " ".join(f"{a} {b}" for a, b in cells.values())
    assert SECRET_KEY not in shown and NEW_SECRET not in shown
    assert cells["Bucket"] == ("acme-support-screenshots", "acme-support-screenshots")
    assert cells["Provider"] == ("Amazon S3", "Amazon S3")  # as the window names it


def test_keep_this_computers_version_sends_it_to_the_server(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Keep this computer's version: the server gets the local label and secret; synced."""
    integration_id = make_conflict(qtbot, opened, double)
    rid = remote_id_of(opened, integration_id)
    opened.select(integration_id)
    dialog = opened.session.sync.open_resolve()
    assert dialog is not None

    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        dialog.keep_local_button.click()

    assert not dialog.isVisible()
    assert double.records[rid]["label"] == "Acme (local)"
    assert double.records[rid]["credentials"]["secretAccessKey"] == NEW_SECRET
    assert opened.vault.row(integration_id).sync_state == "synced"
    assert opened.model.find(integration_id).sync_state == "synced"


def test_keep_the_servers_version_replaces_the_local_one(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Keep the server's version: the vault and the open editor show the server's label."""
    integration_id = make_conflict(qtbot, opened, double)
    rid = remote_id_of(opened, integration_id)
    opened.open_integration(integration_id)
    dialog = opened.session.sync.open_resolve()
    assert dialog is not None

    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        dialog.keep_remote_button.click()

    stored = opened.vault.get(integration_id)
    assert stored.label == "Acme (server)"
    assert stored.credentials.secret_access_key.get_secret_value() == SECRET_KEY
    assert double.records[rid]["label"] == "Acme (server)"
    assert opened.model.find(integration_id).label == "Acme (server)"
    assert opened.editor.label_edit.text() == "Acme (server)"


def test_a_server_failure_while_resolving_keeps_the_dialog_and_both_sides(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """If the server refuses Keep local, the dialog says so and nothing changes anywhere."""
    integration_id = make_conflict(qtbot, opened, double)
    rid = remote_id_of(opened, integration_id)
    opened.select(integration_id)
    dialog = opened.session.sync.open_resolve()
    assert dialog is not None
    double.fail_next("401")

    task = dialog.keep_local()
    qtbot.waitUntil(task.done, timeout=10_000)

    assert dialog.isVisible()
    assert "Nothing was changed" in dialog.message.text()
    assert "refused the API key" in dialog.message.text()
    assert double.records[rid]["label"] == "Acme (server)"
    assert opened.vault.row(integration_id).sync_state == "conflict"


# -- delete ----------------------------------------------------------------------------------


def test_deleting_a_synced_integration_asks_about_the_server_too(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """For a synced integration the question offers 'here and on the server' or 'here only'."""
    integration_id = only_id(opened)
    assert ask_remote_delete(opened, opened.vault.row(integration_id)) is False  # never pushed
    push_shown(qtbot, opened, integration_id)
    seen: list[str] = []

    def press(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    for text, expected in (
        ("Delete here only", False),
        ("Cancel", None),
        ("Delete here and on the server", True),
    ):
        QTimer.singleShot(0, lambda text=text: press(text))
        assert ask_remote_delete(opened, opened.vault.row(integration_id)) is expected
    assert seen[0] == "Delete “Acme screenshots”?"


def test_delete_everywhere_removes_it_on_the_server_and_here(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Deleting 'here and on the server' leaves neither copy."""
    integration_id = only_id(opened)
    push_shown(qtbot, opened, integration_id)

    task = asyncio.ensure_future(opened.session.sync.delete_everywhere(integration_id))
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result().message == "deleted here and on the server"
    assert double.records == {}
    assert opened.vault.ids() == []
