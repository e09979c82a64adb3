"""Locking the window: Lock now, the idle lock on the wall clock, and unlocking again."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
import qasync
from PySide6.QtGui import QKeySequence, QShortcutEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import ui.main_window
from app.settings import AppSettings, save_settings
from app.vault import Vault
from app.verification import CheckOptions
from tests.ui.conftest import PASSWORD, SECRET_KEY, add_s3, add_zendesk, open_window
from ui.lock_screen import countdown_text
from ui.main_window import MainWindow
from ui.new_dialog import NewIntegrationDialog
from ui.session import install


class FakeClock:
    """A wall clock the test moves by hand (as a computer waking from sleep would)."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def jump(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Windows opened from here on measure idle time on this clock, ticking every 20 ms."""
    fake = FakeClock()
    patched = functools.partial(install, clock=fake, tick_ms=20)
    monkeypatch.setattr(ui.main_window, "install_session", patched)
    return fake


def answer_with(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> object:
        asked.append(f"{title}: {text}")
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def ready(qtbot: QtBot, vault: Vault, **kwargs: Any) -> MainWindow:
    """A shown window that has finished reading the vault in the background."""
    window = open_window(qtbot, vault, **kwargs)
    with qtbot.waitSignal(window.search_details_loaded, timeout=5_000):
        pass  # the window reads the vault once the event loop runs
    return window


def unlock(qtbot: QtBot, window: MainWindow, password: str = PASSWORD) -> None:
    """Type the password into the unlock prompt; when right, wait until the window is back."""
    lock = window.session.lock
    qtbot.waitUntil(lambda: lock.prompt is not None and lock.prompt.isVisible(), timeout=5_000)
    prompt = lock.prompt
    assert prompt is not None
    prompt.password.clear()
    qtbot.keyClicks(prompt.password, password)
    prompt.ok_button.click()
    if prompt.isVisible():
        return  # refused: the prompt says why
    with qtbot.waitSignal(window.search_details_loaded, timeout=5_000):
        pass  # the reopened vault is read in the background


def is_locked(window: MainWindow) -> Callable[[], bool]:
    return lambda: window.session.lock.is_locked


def test_lock_now_hides_the_credentials_and_asks_for_the_password(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """Lock now empties and hides the editor, closes the vault and shows the unlock prompt."""
    item = add_s3(vault)
    window = ready(qtbot, vault)
    window.open_integration(item.id)
    assert window.editor.isVisible()
    lock = window.session.lock

    with qtbot.waitSignal(lock.vault_locked):
        window.session.lock_action.trigger()

    assert lock.is_locked
    assert lock.screen.isVisible()
    assert not window.editor.isVisible() and not window.table.isVisible()
    assert window.editor.is_empty and window.editor.form is None
    assert not vault.is_open
    assert lock.prompt is not None and lock.prompt.isVisible()
    assert lock.countdown.text() == "Locked"


def test_unlocking_puts_the_list_back(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """After the master password, the list is back and an integration opens as before."""
    item = add_s3(vault)
    window = ready(qtbot, vault)
    window.session.lock.lock_now()

    with qtbot.waitSignal(window.session.lock.vault_unlocked) as unlocked:
        unlock(qtbot, window)

    reopened = unlocked.args[0]
    assert window.vault is reopened and reopened.is_open
    assert not window.session.lock.is_locked
    assert window.table.isVisible()
    assert [row.id for row in window.model.rows()] == [item.id]
    window.open_integration(item.id)
    assert window.editor.integration is not None
    assert window.editor.integration.credentials.secret_access_key.get_secret_value() == SECRET_KEY
    assert window.menu("Integration").menuAction().isEnabled()


def test_a_wrong_password_keeps_the_window_locked(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """A wrong password shows 'wrong master password' and the window stays locked."""
    window = ready(qtbot, vault)
    window.session.lock.lock_now()

    unlock(qtbot, window, "not the password")

    prompt = window.session.lock.prompt
    assert prompt is not None and prompt.isVisible()
    assert prompt.error.text() == "Wrong master password."
    assert window.session.lock.is_locked
    assert not window.vault.is_open


def test_cancelling_the_prompt_leaves_an_unlock_button(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """Cancel keeps the lock screen; its Unlock button asks for the password again."""
    window = ready(qtbot, vault)
    lock = window.session.lock
    lock.lock_now()
    assert lock.prompt is not None
    lock.prompt.reject()
    assert lock.is_locked and not lock.prompt.isVisible()

    lock.screen.unlock_button.click()

    assert lock.prompt.isVisible()
    unlock(qtbot, window)
    assert not lock.is_locked


def test_menus_and_shortcuts_rest_while_locked(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While locked every menu but File is greyed, and shortcuts other than Quit do nothing."""
    window = ready(qtbot, vault)
    window.session.lock.lock_now()
    new = window.menu_actions.new
    triggered: list[str] = []
    new.triggered.connect(lambda *_args: triggered.append("new"))
    new.setEnabled(True)  # as the window's own refresh might do

    QApplication.sendEvent(new, QShortcutEvent(QKeySequence("Ctrl+N"), 0))

    assert triggered == []
    assert not window.menu("Integration").menuAction().isEnabled()
    assert not window.menu("Sync").menuAction().isEnabled()
    assert not window.session.settings_action.isEnabled()
    assert window.menu("File").menuAction().isEnabled()
    assert window.menu_actions.quit.isEnabled()

    unlock(qtbot, window)
    monkeypatch.setattr(NewIntegrationDialog, "ask", classmethod(lambda cls, parent: None))
    QApplication.sendEvent(new, QShortcutEvent(QKeySequence("Ctrl+N"), 0))
    assert triggered == ["new"]
    assert window.session.settings_action.isEnabled()
    assert window.menu("Sync").menuAction().isEnabled()


def test_idle_time_locks_the_window(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, clock: FakeClock
) -> None:
    """The status bar counts down from 'Locks in 5:00'; five idle minutes lock the window."""
    window = ready(qtbot, vault)
    lock = window.session.lock
    assert lock.countdown.text() == "Locks in 5:00"

    clock.jump(61)
    qtbot.waitUntil(lambda: lock.countdown.text() == "Locks in 3:59", timeout=2_000)
    assert not lock.is_locked

    clock.jump(240)
    qtbot.waitUntil(is_locked(window), timeout=2_000)
    assert "Locked after 5 minutes without activity." in lock.screen.reason.text()
    assert not vault.is_open


def test_a_computer_waking_after_the_limit_is_locked(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, clock: FakeClock
) -> None:
    """A wall-clock jump of an hour (sleep) locks at the next tick, before anything shows."""
    window = ready(qtbot, vault)

    clock.jump(3600)

    qtbot.waitUntil(is_locked(window), timeout=2_000)
    assert window.session.lock.prompt is not None


def test_typing_counts_as_activity(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, clock: FakeClock
) -> None:
    """A key pressed after four idle minutes starts the five minutes again."""
    window = ready(qtbot, vault)
    lock = window.session.lock

    clock.jump(240)
    qtbot.keyClick(window.listing.search_box, "a")
    clock.jump(240)
    qtbot.wait(100)

    assert not lock.is_locked
    assert lock.countdown.text() == "Locks in 1:00"


def test_lock_now_asks_about_unsaved_edits_and_can_save_them(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an edited label, Lock now asks; Save stores the edit before locking."""
    item = add_s3(vault)
    window = ready(qtbot, vault)
    window.open_integration(item.id)
    qtbot.keyClicks(window.editor.label_edit, " (EU)")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Save)

    assert window.session.lock.lock_now()

    assert len(asked) == 1 and "Label" in asked[0]
    unlock(qtbot, window)
    assert window.vault.get(item.id).label == "Acme screenshots (EU)"


def test_cancel_at_the_unsaved_question_does_not_lock(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel at 'Save them before the vault locks?' keeps the window open and the edit."""
    item = add_s3(vault)
    window = ready(qtbot, vault)
    window.open_integration(item.id)
    qtbot.keyClicks(window.editor.label_edit, " (EU)")
    answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)

    assert not window.session.lock.lock_now()

    assert not window.session.lock.is_locked
    assert vault.is_open
    assert window.editor.label_edit.text() == "Acme screenshots (EU)"


def test_an_idle_lock_discards_unsaved_edits_and_says_so(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, clock: FakeClock
) -> None:
    """Nobody to ask at an idle lock: the edit is dropped and the lock screen says so."""
    item = add_zendesk(vault)
    window = ready(qtbot, vault)
    window.open_integration(item.id)
    form = window.editor.form
    assert form is not None
    qtbot.keyClicks(form.editor_for("token"), "typed-but-not-saved")

    clock.jump(301)
    qtbot.waitUntil(is_locked(window), timeout=2_000)

    reason = window.session.lock.screen.reason.text()
    assert "Unsaved changes to “Globex help center” were discarded" in reason
    unlock(qtbot, window)
    assert window.vault.get(item.id).credentials.token.get_secret_value() == "tok-123"
    assert "were discarded" in window.statusBar().currentMessage()


def test_locking_closes_open_dialogs(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """A Settings dialog left open is closed by the lock, before the prompt appears."""
    window = ready(qtbot, vault)
    dialog = window.session.open_settings()
    assert dialog.isVisible()

    window.session.lock.lock_now()

    assert not dialog.isVisible()
    assert window.session.lock.prompt is not None and window.session.lock.prompt.isVisible()


def test_a_check_finishing_after_the_lock_shows_nothing(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop, silent_server: str
) -> None:
    """A check still waiting when the vault locks never reaches the screen or the vault."""
    options = CheckOptions(timeout_s=1.0, endpoints={"zendesk": silent_server})
    item = add_zendesk(vault)
    window = ready(qtbot, vault, check_options=lambda: options)
    window.open_integration(item.id)
    finished: list[str] = []
    window.verification_finished.connect(lambda ident, _record: finished.append(ident))
    task = window.verify_current()
    qtbot.waitUntil(lambda: window.checks.is_running(item.id), timeout=2_000)

    window.session.lock.lock_now()
    qtbot.waitUntil(task.done, timeout=2_000)
    qtbot.wait(1_500)  # past the 1 s time-out: the worker's late result must go nowhere

    assert finished == []
    assert window.editor.is_empty
    unlock(qtbot, window)
    assert window.vault.history(item.id) == []
    assert window.model.find(item.id).last_check is None


def test_a_stored_setting_sets_the_countdown(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """A vault whose auto-lock is 15 minutes shows 'Locks in 15:00'; 0 shows no countdown."""
    save_settings(vault, AppSettings(auto_lock_minutes=15))
    window = ready(qtbot, vault)
    assert window.session.lock.countdown.text() == "Locks in 15:00"

    window.session.lock.set_auto_lock(None)
    assert window.session.lock.countdown.isHidden()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (300, "Locks in 5:00"),
        (299.2, "Locks in 5:00"),
        (59, "Locks in 0:59"),
        (3600, "Locks in 1:00:00"),
    ],
)
def test_countdown_text(seconds: float, text: str) -> None:
    """The countdown reads minutes and seconds, with hours when an hour or more is left."""
    assert countdown_text(seconds) == text


def test_the_vault_locks_and_unlocks_again_and_again(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """Lock, unlock, lock again: each time the vault closes and the prompt returns."""
    window = ready(qtbot, vault)
    lock = window.session.lock
    for _ in range(2):
        lock.lock_now()
        assert not window.vault.is_open
        unlock(qtbot, window)
        assert window.vault.is_open


def test_the_export_target_leaves_the_status_bar_while_locked(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """The default target's label and bucket are not shown while locked, and come back."""
    from app.default_target import set_default_target

    item = add_s3(vault, label="Acme exports")
    set_default_target(vault, item.id)
    window = ready(qtbot, vault)
    window.export_target.refresh()
    label = window.export_target.status_label
    assert "Acme exports" in label.full_text()

    with qtbot.waitSignal(window.session.lock.vault_locked):
        window.session.lock_action.trigger()
    assert "Acme exports" not in label.full_text() and "Acme" not in label.toolTip()

    unlock(qtbot, window)
    assert "Acme exports" in label.full_text()
