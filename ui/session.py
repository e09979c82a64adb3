"""Locking, settings, the master password and the Sync menu, installed onto the main window.

``install(window)`` is the one hook the main window calls. What it uses of the window:
``vault``, ``use_vault``, ``model.put/remove``, ``select``, ``selected_id``, ``save_current``,
``open_integration``, ``cancel_checks``, ``menu(name)``, ``menu_actions.quit``,
``status.add_permanent``, ``checks.bulk.concurrency`` and of its editor ``has_changes``,
``changed_fields``, ``integration``, ``clear``, ``clipboard`` and ``clipboard_clear_s``.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow

from app.settings import AppSettings, load_settings
from app.vault import Vault
from app.verification import CheckOptions
from ui.idle_lock import TICK_MS, Clock
from ui.lock import LockController
from ui.password_dialog import ChangePasswordDialog
from ui.settings_dialog import SettingsDialog
from ui.sync_actions import SyncActions, new_action

log = logging.getLogger(__name__)

PASSWORD_CHANGED = "Master password changed: use the new one from now on."
CHANGED_BEFORE_LOCK = (
    "The master password was changed just before the vault locked: unlock with the new one."
)


class WindowSession(QObject):
    """Everything installed on one window: lock, settings, password and sync actions."""

    settings_changed = Signal(object)  # AppSettings

    def __init__(
        self, window: QMainWindow, clock: Clock = time.time, tick_ms: int = TICK_MS
    ) -> None:
        super().__init__(window)
        self._window = window
        self.settings: AppSettings = load_settings(window.vault)
        self.dialogs: dict[str, QDialog] = {}
        self.lock = LockController(window, self.settings.auto_lock_seconds, clock, tick_ms)
        self.lock.vault_unlocked.connect(self._on_unlocked)

        self.lock_action = new_action(
            window, "&Lock now", "Hide everything and ask for the master password", "Ctrl+L"
        )
        self.settings_action = new_action(
            window, "&Settings…", "Auto-lock, clipboard clearing and how checks run", "Ctrl+,"
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.password_action = new_action(
            window, "Change master &password…", "Re-encrypt the vault with a new password"
        )
        self.lock_action.triggered.connect(self.lock.lock_now)
        self.settings_action.triggered.connect(self.open_settings)
        self.password_action.triggered.connect(self.open_change_password)
        self._fill_menus()
        self.sync = SyncActions(window, self.lock)
        window.editor.clipboard_clear_s = self.settings.clipboard_clear_seconds
        window.checks.bulk.concurrency = self.settings.check_concurrency

    def _fill_menus(self) -> None:
        """Settings above Quit in File; Lock and the password in the Vault menu."""
        window = self._window
        file_menu = window.menu("File")
        entries = file_menu.actions()
        if entries:
            file_menu.insertAction(entries[0], self.settings_action)
            file_menu.insertSeparator(entries[0])
        else:
            file_menu.addAction(self.settings_action)
        vault_menu = window.menu("Vault")
        vault_menu.addAction(self.lock_action)
        vault_menu.addSeparator()
        vault_menu.addAction(self.password_action)

    def _open(self, kind: str, dialog: QDialog) -> QDialog:
        old = self.dialogs.pop(kind, None)
        if old is not None:
            old.deleteLater()
        self.dialogs[kind] = dialog
        dialog.open()
        return dialog

    # -- settings -------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self._window.vault, self.settings, self._window)
        dialog.settings_saved.connect(self._apply)
        self._open("settings", dialog)
        return dialog

    def _apply(self, settings: AppSettings) -> None:
        self._use(settings)
        self._window.statusBar().showMessage("Settings saved in the vault.", 5000)

    def check_options(self) -> CheckOptions:
        """How a check runs now (the time-out setting included)."""
        return self.settings.check_options()

    def _on_unlocked(self, vault: Vault) -> None:
        self._use(load_settings(vault))

    def _use(self, settings: AppSettings) -> None:
        """Put ``settings`` to work: auto-lock, clipboard clearing, and listeners."""
        self.settings = settings
        self.lock.set_auto_lock(settings.auto_lock_seconds)
        self._window.editor.clipboard_clear_s = settings.clipboard_clear_seconds
        self._window.checks.bulk.concurrency = settings.check_concurrency
        self.settings_changed.emit(settings)

    # -- master password ------------------------------------------------------------------

    def open_change_password(self) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self._window.vault, self.lock.vault_job, self._window)
        dialog.password_changed.connect(self._on_password_changed)
        self._open("password", dialog)
        return dialog

    def _on_password_changed(self) -> None:
        log.info("master password changed from the window")
        if self.lock.is_locked:
            self.lock.add_note(CHANGED_BEFORE_LOCK)
        else:
            self._window.statusBar().showMessage(PASSWORD_CHANGED, 10_000)


def install(window: QMainWindow, clock: Clock = time.time, tick_ms: int = TICK_MS) -> WindowSession:
    """Add locking, settings, the password change and the Sync menu to ``window``."""
    return WindowSession(window, clock, tick_ms)
