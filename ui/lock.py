"""Locking the window: Lock now, lock after idle time (by the wall clock), and unlocking.

Locking hides the list and editor behind a lock screen, closes every open dialog, stops
running checks without showing their results, closes the vault connection once the vault
work under way has ended, and asks for the master password again. Unlocking reopens the
same file and puts the window back.

Unsaved edits: a person who locks by hand is asked to save or discard them (or not to
lock). An idle lock has nobody to ask, so it discards them and says so on the lock screen:
saving unreviewed input could store a half-typed secret, and keeping it in the hidden form
would leave it in memory while the vault claims to be locked.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.errors import Cancelled
from app.vault import Vault
from ui.idle_lock import TICK_MS, Clock, IdleLock
from ui.lock_screen import LockScreen, countdown_text
from ui.tasks import run_blocking
from ui.unlock_dialog import UnlockDialog

log = logging.getLogger(__name__)

T = TypeVar("T")


class LockController(QObject):
    """Locks and unlocks the main window's vault (see the module docstring)."""

    vault_locked = Signal()
    vault_unlocked = Signal(object)  # the reopened Vault

    def __init__(
        self,
        window: QMainWindow,
        auto_lock_s: float | None,
        clock: Clock = time.time,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._locked = False
        self._reason = "Locked."
        self._jobs: set[asyncio.Task[object]] = set()
        self._closing: asyncio.Future[None] | None = None
        self._disabled: list[QAction | QWidget] = []
        self._quit: QAction | None = None
        self._notes: list[str] = []
        self._opened: list[Vault] = []  # vaults opened here, closed with the window
        self.prompt: UnlockDialog | None = None

        self.screen = LockScreen(window)
        self.screen.unlock_requested.connect(self.ask_password)
        self._stack = QStackedWidget(window)
        self._stack.setObjectName("lockStack")
        self._stack.addWidget(window.takeCentralWidget())
        self._stack.addWidget(self.screen)
        window.setCentralWidget(self._stack)

        self.countdown = QLabel(window)
        self.countdown.setObjectName("lockCountdown")
        self.countdown.setToolTip("The vault locks itself after this much time without input")
        window.status.add_permanent(self.countdown)
        self.idle = IdleLock(auto_lock_s, clock, tick_ms, self)
        self.idle.remaining_changed.connect(self._show_countdown)
        self.idle.lock_requested.connect(self.lock_after_idle)
        self._show_countdown(self.idle.remaining())
        window.destroyed.connect(functools.partial(_close_all, self._opened))

    @property
    def is_locked(self) -> bool:
        return self._locked

    def set_auto_lock(self, limit_s: float | None) -> None:
        self.idle.set_limit(limit_s)
        if not self._locked:
            self._show_countdown(self.idle.remaining())

    def add_note(self, text: str) -> None:
        """A sentence for the lock screen and for the status bar after unlocking."""
        self._notes.append(text)
        if self._locked:
            self.screen.show_reason(self._reason_text(), can_unlock=self._can_unlock())

    # -- locking --------------------------------------------------------------------------

    def lock_now(self) -> bool:
        """Lock at the person's request; unsaved edits are saved or dropped as they choose."""
        if self._locked:
            return True
        window = self._window
        if window.editor.has_changes:
            fields = ", ".join(window.editor.changed_fields())
            answer = QMessageBox.question(
                window,
                "Lock the vault",
                f"The integration you are editing has unsaved changes ({fields}). Save them "
                "before the vault locks?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Save:
                if window.save_current() is None:
                    if not window.statusBar().currentMessage():  # else it says why already
                        window.statusBar().showMessage("Not locked: the changes were not saved.")
                    return False
            elif answer != QMessageBox.StandardButton.Discard:
                return False
        self._lock("Locked.")
        return True

    def lock_after_idle(self) -> None:
        """Lock because nobody used the window for the auto-lock time."""
        if self._locked:
            return
        editor = self._window.editor
        if editor.has_changes:
            shown = editor.integration
            what = f"“{shown.label}”" if shown is not None else "the new integration"
            self._notes.append(f"Unsaved changes to {what} were discarded when the vault locked.")
        self._lock(f"Locked after {_duration(self.idle)} without activity.")

    def _lock(self, reason: str) -> None:
        window = self._window
        self._locked = True
        self._reason = reason
        self.idle.pause()
        close_open_dialogs()
        self._stack.setCurrentWidget(self.screen)
        self._disable_commands()
        window.select(None)
        window.editor.clear()  # drops the form and anything typed or revealed in it
        window.editor.clipboard.clear_now()
        self.countdown.setText("Locked")
        self.countdown.show()
        window.statusBar().clearMessage()
        log.info("vault %s locked", window.vault.path)
        self.vault_locked.emit()
        if window.checks.bulk.is_running:
            # Said after unlocking too, so rows left unchecked are not taken for finished.
            self._notes.append("Verify all was stopped by the lock; run it again to finish.")
        window.cancel_checks()  # their late results are dropped, never recorded or shown

        if any(not job.done() for job in self._jobs):  # a finished one awaits only its callback
            # A sync step must not be cut between its network call and its local record.
            self.screen.show_reason(f"{reason} Finishing the work under way…", can_unlock=False)
            self._closing = asyncio.ensure_future(self._close_after_jobs())
        else:
            self._close_vault()

    def _disable_commands(self) -> None:
        """Grey out menus and toolbars, and swallow shortcuts, except Quit.

        Shortcuts are stopped at the application rather than by disabling each action:
        the window re-enables its actions as its state changes, even while locked.
        """
        window = self._window
        self._quit = getattr(getattr(window, "menu_actions", None), "quit", None)
        switched: list[QAction | QWidget] = []
        file_menu = window.menu("File")
        for entry in window.menuBar().actions():
            if entry.menu() is not file_menu and entry.isEnabled():
                switched.append(entry)
        for entry in file_menu.actions():
            if entry is not self._quit and not entry.isSeparator() and entry.isEnabled():
                switched.append(entry)
        switched += [bar for bar in window.findChildren(QToolBar) if bar.isEnabled()]
        for item in switched:
            item.setEnabled(False)
        self._disabled = switched
        QApplication.instance().installEventFilter(self)

    def _enable_commands(self) -> None:
        QApplication.instance().removeEventFilter(self)
        for item in self._disabled:
            item.setEnabled(True)
        self._disabled = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While locked, only Quit answers its shortcut."""
        if event.type() == QEvent.Type.Shortcut and isinstance(watched, QAction):
            return watched is not self._quit
        return False

    async def _close_after_jobs(self) -> None:
        jobs = set(self._jobs)  # no new job starts while locked
        if jobs:
            await asyncio.wait(jobs)
        if self._locked and self._window.vault.is_open:
            self._close_vault()

    def _close_vault(self) -> None:
        vault = self._window.vault
        vault.close()
        self.screen.show_reason(self._reason_text(), can_unlock=True)
        self.ask_password()

    # -- unlocking ------------------------------------------------------------------------

    def ask_password(self) -> None:
        """Show the unlock prompt over the locked window (once the vault is closed)."""
        window = self._window
        if not self._locked or window.vault.is_open:
            return
        if self.prompt is not None and self.prompt.isVisible():
            return
        path = window.vault.path
        if not path.is_file():
            self.screen.show_reason(
                f"The vault file is no longer at {path}. Put it back, then press Unlock."
            )
            return
        if self.prompt is not None:
            self.prompt.deleteLater()
        self.prompt = UnlockDialog(path, window)
        self.prompt.setWindowModality(Qt.WindowModality.WindowModal)
        self.prompt.accepted.connect(self._on_password_accepted)
        self.prompt.open()

    def _on_password_accepted(self) -> None:
        assert self.prompt is not None
        vault = self.prompt.vault
        if vault is None:
            return
        self._opened[:] = [opened for opened in self._opened if opened.is_open]
        self._opened.append(vault)
        self._unlock(vault)

    def _unlock(self, vault: Vault) -> None:
        window = self._window
        self._locked = False  # first: the window may start vault jobs as it reloads
        window.use_vault(vault)
        window.select(None)
        self._enable_commands()
        self._stack.setCurrentIndex(0)
        if self._notes:
            window.statusBar().showMessage(" ".join(self._notes), 15_000)
        self._notes.clear()
        log.info("vault %s unlocked", vault.path)
        self.idle.resume()
        self.vault_unlocked.emit(vault)

    # -- vault work -----------------------------------------------------------------------

    async def vault_job(self, fn: Callable[..., T], *args: object) -> T:
        """Run ``fn(*args)``, a blocking call that uses the vault, on a worker.

        A lock waits for the task awaiting this before it closes the vault, so the task may
        finish its local bookkeeping; it must not touch the screen once ``is_locked``.
        Raises ``Cancelled`` when the vault is already locked.
        """
        if self._locked:
            raise Cancelled()
        task = asyncio.current_task()
        if task is not None:
            self._jobs.add(task)
            task.add_done_callback(self._jobs.discard)
        return await run_blocking(fn, *args)

    # -- showing --------------------------------------------------------------------------

    def _show_countdown(self, remaining: float | None) -> None:
        text = countdown_text(remaining)
        self.countdown.setText(text)
        self.countdown.setVisible(bool(text))

    def _reason_text(self) -> str:
        return " ".join([self._reason, *self._notes])

    def _can_unlock(self) -> bool:
        return not self._window.vault.is_open


def close_open_dialogs() -> None:
    """Close menus and dialogs shown anywhere in the application, as if cancelled."""
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def _duration(idle: IdleLock) -> str:
    limit = idle.limit_s or 0.0
    minutes = round(limit / 60)
    if minutes >= 1:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{round(limit)} seconds"


def _close_all(vaults: list[Vault]) -> None:
    for vault in vaults:
        vault.close()
