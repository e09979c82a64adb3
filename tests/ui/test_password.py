"""Changing the master password from the window: proven by reopening, refused with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.errors import WrongPassword
from app.vault import Vault
from tests.ui.conftest import PASSWORD, add_s3
from tests.ui.test_lock import ready, unlock
from ui.main_window import MainWindow
from ui.password_dialog import (
    CURRENT_EMPTY,
    REPEAT_DIFFERS,
    SAME_AS_CURRENT,
    ChangePasswordDialog,
)

NEW_PASSWORD = "a much longer new master password"


def fill(qtbot: QtBot, dialog: ChangePasswordDialog, current: str, new: str, repeat: str) -> None:
    for edit, text in ((dialog.current, current), (dialog.new, new), (dialog.repeat, repeat)):
        edit.clear()
        qtbot.keyClicks(edit, text)


@pytest.fixture
def opened(qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop) -> MainWindow:
    add_s3(vault)
    return ready(qtbot, vault)


def test_the_new_password_opens_the_vault_afterwards(
    qtbot: QtBot, opened: MainWindow, vault_path: Path
) -> None:
    """After Change password, the vault opens with the new password and not the old one."""
    dialog = opened.session.open_change_password()
    fill(qtbot, dialog, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)

    with qtbot.waitSignal(dialog.password_changed, timeout=10_000):
        dialog.ok_button.click()

    assert not dialog.isVisible()
    assert dialog.current.text() == dialog.new.text() == ""
    assert "Master password changed" in opened.statusBar().currentMessage()
    assert len(opened.vault.rows()) == 1  # the open window keeps working
    with Vault.open(vault_path, NEW_PASSWORD) as reopened:
        assert len(reopened.rows()) == 1
    with pytest.raises(WrongPassword):
        Vault.open(vault_path, PASSWORD)


def test_after_a_change_the_lock_asks_for_the_new_password(
    qtbot: QtBot, opened: MainWindow
) -> None:
    """Lock after changing the password: the old one is refused, the new one unlocks."""
    dialog = opened.session.open_change_password()
    fill(qtbot, dialog, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    with qtbot.waitSignal(dialog.password_changed, timeout=10_000):
        dialog.ok_button.click()

    opened.session.lock.lock_now()
    unlock(qtbot, opened, PASSWORD)
    assert opened.session.lock.is_locked
    unlock(qtbot, opened, NEW_PASSWORD)
    assert not opened.session.lock.is_locked


def test_a_wrong_current_password_is_shown_beside_it(
    qtbot: QtBot, opened: MainWindow, vault_path: Path
) -> None:
    """A wrong current password says so under that field; the old password still works."""
    dialog = opened.session.open_change_password()
    fill(qtbot, dialog, "not the password", NEW_PASSWORD, NEW_PASSWORD)
    changed: list[bool] = []
    dialog.password_changed.connect(lambda: changed.append(True))

    task = dialog.change()
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result() is False
    assert dialog.isVisible()
    assert dialog.current_error.isVisible()
    assert dialog.current_error.text() == "Wrong master password."
    assert changed == []
    assert dialog.ok_button.isEnabled()
    assert dialog.ok_button.isDefault()  # Enter tries again rather than cancelling
    with Vault.open(vault_path, PASSWORD) as reopened:
        assert len(reopened.rows()) == 1


@pytest.mark.parametrize(
    ("current", "new", "repeat", "field", "message"),
    [
        ("", NEW_PASSWORD, NEW_PASSWORD, "current_error", CURRENT_EMPTY),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!", "repeat_error", REPEAT_DIFFERS),
        (PASSWORD, PASSWORD, PASSWORD, "new_error", SAME_AS_CURRENT),
    ],
)
def test_input_problems_show_beside_their_field(
    qtbot: QtBot,
    opened: MainWindow,
    vault_path: Path,
    current: str,
    new: str,
    repeat: str,
    field: str,
    message: str,
) -> None:
    """Empty, mismatched or unchanged passwords are refused beside the field; nothing changes."""
    dialog = opened.session.open_change_password()
    fill(qtbot, dialog, current, new, repeat)

    task = dialog.change()
    qtbot.waitUntil(task.done)

    assert task.result() is False
    label = getattr(dialog, field)
    assert label.isVisible() and label.text() == message
    assert dialog.isVisible()
    with Vault.open(vault_path, PASSWORD):
        pass


def test_a_short_new_password_is_questioned_before_the_change(
    qtbot: QtBot, opened: MainWindow, vault_path: Path
) -> None:
    """A short new password is warned about beside its field; a second press changes it."""
    dialog = opened.session.open_change_password()
    fill(qtbot, dialog, PASSWORD, "short", "short")

    with qtbot.assertNotEmitted(dialog.password_changed, wait=300):
        dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.new_error.isVisible()
    assert "easy to guess" in dialog.new_error.text()

    with qtbot.waitSignal(dialog.password_changed, timeout=10_000):
        dialog.ok_button.click()
    opened.vault.close()
    Vault.open(vault_path, "short").close()
