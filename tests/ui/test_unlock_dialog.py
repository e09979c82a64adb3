"""The unlock-or-create dialog: creating a vault, refusing wrong passwords, odd files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.vault import Vault
from tests.ui.conftest import PASSWORD
from ui.unlock_dialog import PASSWORDS_DIFFER, UnlockDialog


def open_dialog(qtbot: QtBot, path: Path) -> UnlockDialog:
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_create_asks_twice_and_creates_the_vault(qtbot: QtBot, tmp_path: Path) -> None:
    """With no file yet, the dialog asks for the password twice and creates the vault."""
    path = tmp_path / "new.vault"
    dialog = open_dialog(qtbot, path)
    assert dialog.creating
    assert dialog.confirm.isVisible()

    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    dialog.ok_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.vault is not None and dialog.vault.is_open
    dialog.vault.close()
    Vault.open(path, PASSWORD).close()


def test_create_with_different_passwords_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    """Two different passwords show 'do not match', keep the dialog open, create nothing."""
    path = tmp_path / "new.vault"
    dialog = open_dialog(qtbot, path)

    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD + "!")
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == PASSWORDS_DIFFER
    assert not path.exists()


def test_create_with_empty_password_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    """An empty master password is refused with a message beside the fields."""
    path = tmp_path / "new.vault"
    dialog = open_dialog(qtbot, path)

    dialog.ok_button.click()

    assert dialog.isVisible()
    assert "Enter a master password" in dialog.error.text()
    assert not path.exists()


def test_wrong_password_is_refused_and_can_be_retried(
    qtbot: QtBot, vault_path: Path, vault: Vault
) -> None:
    """A wrong password shows 'wrong master password'; the right one then unlocks."""
    vault.close()
    dialog = open_dialog(qtbot, vault_path)
    assert not dialog.creating
    assert not dialog.confirm.isVisible()

    qtbot.keyClicks(dialog.password, "not the password")
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Wrong master password."
    assert dialog.vault is None

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.vault is not None
    dialog.vault.close()


def test_a_file_that_is_not_a_vault_shows_why(qtbot: QtBot, tmp_path: Path) -> None:
    """Pointing at a plain SQLite file shows that it is not an Integration Vault."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE notes (text TEXT)")
    dialog = open_dialog(qtbot, path)

    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert "is not an Integration Vault" in dialog.error.text()
    assert "unencrypted SQLite database" in dialog.error.text()


def test_a_short_new_password_is_warned_about_once(qtbot: QtBot, tmp_path: Path) -> None:
    """A short master password is questioned first; pressing Create again uses it anyway."""
    path = tmp_path / "new.vault"
    dialog = open_dialog(qtbot, path)
    qtbot.keyClicks(dialog.password, "abc")
    qtbot.keyClicks(dialog.confirm, "abc")

    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "shorter than 12 characters is easy to guess" in dialog.error.text()
    assert "Press Create vault again" in dialog.error.text()
    assert not path.exists()

    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.vault is not None
    dialog.vault.close()


def test_the_password_field_keeps_its_height_when_an_error_shows(
    qtbot: QtBot, vault_path: Path, vault: Vault
) -> None:
    """After a wrong password the dialog grows for the message; the field is not squashed."""
    vault.close()
    dialog = open_dialog(qtbot, vault_path)
    height = dialog.password.height()

    qtbot.keyClicks(dialog.password, "not the password")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible())

    assert dialog.password.height() >= height
    assert dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
