"""File › Settings: preferences saved inside the vault and put to work at once."""

from __future__ import annotations

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.settings import AppSettings, load_settings
from app.vault import Vault
from tests.ui.conftest import PASSWORD
from tests.ui.test_lock import ready, unlock
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def opened(qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop) -> MainWindow:
    return ready(qtbot, vault)


def choose(dialog: SettingsDialog, **values: int) -> None:
    for name, value in values.items():
        dialog.spins[name].setValue(value)


def open_from_menu(window: MainWindow) -> SettingsDialog:
    window.session.settings_action.trigger()
    dialog = window.session.dialogs["settings"]
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    return dialog


def test_the_dialog_starts_with_the_defaults(opened: MainWindow) -> None:
    """A new vault's settings show 5 min, 30 s, 10 s and 8 checks at once."""
    dialog = open_from_menu(opened)

    assert {name: spin.value() for name, spin in dialog.spins.items()} == {
        "auto_lock_minutes": 5,
        "clipboard_clear_seconds": 30,
        "check_timeout_seconds": 10,
        "check_concurrency": 8,
    }
    assert dialog.spins["auto_lock_minutes"].text() == "5 min without activity"


def test_saved_settings_are_kept_in_the_vault_and_read_back(
    qtbot: QtBot, opened: MainWindow, vault: Vault
) -> None:
    """Saved settings are in the vault; after a lock and unlock the dialog shows them again."""
    dialog = open_from_menu(opened)
    choose(
        dialog,
        auto_lock_minutes=15,
        clipboard_clear_seconds=10,
        check_timeout_seconds=25,
        check_concurrency=2,
    )

    with qtbot.waitSignal(opened.session.settings_changed):
        dialog.save_button.click()

    chosen = AppSettings(
        auto_lock_minutes=15,
        clipboard_clear_seconds=10,
        check_timeout_seconds=25,
        check_concurrency=2,
    )
    assert not dialog.isVisible()
    assert load_settings(vault) == chosen
    assert opened.statusBar().currentMessage() == "Settings saved in the vault."

    opened.session.lock.lock_now()
    unlock(qtbot, opened, PASSWORD)
    assert opened.session.settings == chosen
    again = open_from_menu(opened)
    assert again.spins["check_timeout_seconds"].value() == 25
    assert opened.session.check_options().timeout_s == 25.0
    assert opened.checks.bulk.concurrency == 2


def test_a_new_auto_lock_time_applies_at_once(qtbot: QtBot, opened: MainWindow) -> None:
    """Setting auto-lock to 1 minute makes the status bar say 'Locks in 1:00' right away."""
    dialog = open_from_menu(opened)
    choose(dialog, auto_lock_minutes=1)
    dialog.save_button.click()

    assert opened.session.lock.countdown.text() == "Locks in 1:00"


def test_never_turns_auto_lock_off(qtbot: QtBot, opened: MainWindow) -> None:
    """Auto-lock 0 shows as 'Never' and the countdown leaves the status bar."""
    dialog = open_from_menu(opened)
    choose(dialog, auto_lock_minutes=0)
    assert dialog.spins["auto_lock_minutes"].text() == "Never"
    dialog.save_button.click()

    assert opened.session.lock.countdown.isHidden()
    assert opened.session.settings.auto_lock_seconds is None


def test_the_clipboard_time_reaches_the_editor(qtbot: QtBot, opened: MainWindow) -> None:
    """Copied secrets are cleared after the seconds chosen here."""
    dialog = open_from_menu(opened)
    choose(dialog, clipboard_clear_seconds=12)
    dialog.save_button.click()

    assert opened.editor.clipboard_clear_s == 12


def test_restore_defaults_then_cancel_changes_nothing(
    qtbot: QtBot, opened: MainWindow, vault: Vault
) -> None:
    """Restore defaults refills the fields; Cancel leaves the stored settings as they were."""
    dialog = open_from_menu(opened)
    choose(dialog, check_concurrency=3)
    dialog.save_button.click()

    dialog = open_from_menu(opened)
    assert dialog.spins["check_concurrency"].value() == 3
    dialog.defaults_button.click()
    assert dialog.spins["check_concurrency"].value() == 8
    dialog.reject()

    assert load_settings(vault).check_concurrency == 3
