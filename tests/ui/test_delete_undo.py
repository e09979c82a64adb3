"""Delete asks, Undo brings an integration back until the window closes; unsaved edits ask."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.vault import Vault
from providers.base import Category, VerificationResult
from tests.ui.conftest import SECRET_KEY, add_s3, add_zendesk
from tests.ui.test_main_window import answer_questions
from ui.main_window import MainWindow


def shown_rows(window: MainWindow) -> list[str]:
    return window.listing.shown_labels()


def delete_shown(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, integration_id: str
) -> list[str]:
    window.model.put(window.vault.row(integration_id))
    window.open_integration(integration_id)
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    window.table.setFocus()
    window.menu_actions.delete.trigger()
    return asked


def test_delete_says_it_can_be_undone_and_undo_restores_everything(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After Delete, Undo brings the integration back: same id, secret and check history."""
    integration = add_s3(vault)
    vault.record_check(integration.id, VerificationResult(False, Category.AUTH, "refused", 80))
    asked = delete_shown(window, monkeypatch, integration.id)
    assert "Undo delete" in asked[0]
    assert vault.rows() == []
    assert window.status.undo_button.isVisible()
    undo = window.menu_actions.undo_delete
    assert undo.isEnabled() and "Acme screenshots" in undo.text()
    assert "not restored" in undo.toolTip()

    with qtbot.waitSignal(window.integration_restored) as restored:
        window.status.undo_button.click()

    assert restored.args == [integration.id]
    back = vault.get(integration.id)
    assert back.credentials.secret_access_key.get_secret_value() == SECRET_KEY
    assert [record.category for record in vault.history(integration.id)] == ["auth"]
    assert shown_rows(window) == ["Acme screenshots"]
    assert window.selected_id() == integration.id
    assert window.editor.integration is not None and window.editor.integration.id == back.id
    assert not undo.isEnabled()


def test_ctrl_z_undoes_the_latest_of_several_deletions(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two deletions: Ctrl+Z in the list brings back the second, then the first."""
    first, second = add_s3(vault, label="First"), add_zendesk(vault, label="Second")
    delete_shown(window, monkeypatch, first.id)
    delete_shown(window, monkeypatch, second.id)
    assert shown_rows(window) == []
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)  # shortcuts need the active window

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_rows(window) == ["Second"]
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_rows(window) == ["First", "Second"]


def test_delete_key_in_the_list_asks_before_deleting(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pressing Delete on a selected row asks; No keeps the integration."""
    integration = add_s3(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    window.table.setFocus()

    qtbot.keyClick(window.table, Qt.Key.Key_Delete)

    assert len(asked) == 1
    assert shown_rows(window) == ["Acme screenshots"]


def test_closing_with_unsaved_changes_asks_first(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing while an edit is unsaved asks; Cancel keeps the window and the edit."""
    integration = add_s3(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)
    qtbot.keyClicks(window.editor.label_edit, " renamed")
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Cancel)

    event = QCloseEvent()
    window.closeEvent(event)

    assert not event.isAccepted()
    assert "Label" in asked[0]
    assert window.editor.label_edit.text() == "Acme screenshots renamed"
