"""File › Export…, Back up…, Import… and Restore from backup…: the transfer commands in the window.

Each action asks what it needs (a file, a password, a confirmation for a plaintext export),
then does the work as vault work of the lock (``LockController.vault_job``), so a lock waits
for it and nothing it finds is shown once the window is locked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox
from qasync import asyncSlot

from app import transfer
from app.errors import Cancelled, UserFacingError, WrongPassword
from ui.feedback import show_failure
from ui.import_preview import BackupPasswordDialog, ImportPreviewDialog
from ui.sync_actions import new_action

if TYPE_CHECKING:
    from app.vault import Vault
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

PLAINTEXT_WARNING = (
    "A plaintext export holds every secret in clear: anyone who gets the file can use the "
    "keys and tokens in it. It is written readable by you only; delete it when done."
)
T = TypeVar("T")


class Failed:
    """What ``TransferActions._job`` gives back when the work did not happen."""


FAILED = Failed()
PASSWORD_TRIES = 3
IMPORT_FILES = "Exports and backups (*.json *.ivb *.db);;All files (*)"
JSON_FILES = "JSON export (*.json);;All files (*)"
BACKUP_FILES = "Vault backup (*.ivb *.db);;All files (*)"


class TransferActions(QObject):
    """The four File menu entries and the work behind them."""

    integrations_imported = Signal(int)  # how many were added

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.export_action = new_action(
            window,
            "E&xport…",
            "Write the integrations to a JSON file: redacted for a support ticket, or with "
            "every secret in clear",
        )
        self.backup_action = new_action(
            window, "&Back up…", "Write an encrypted copy of the whole vault to a file"
        )
        self.import_action = new_action(
            window,
            "&Import…",
            "Add integrations from an export or a backup, after a preview",
            "Ctrl+I",
        )
        self.restore_action = new_action(
            window, "&Restore from backup…", "Make a new vault file from an encrypted backup"
        )
        self.export_action.triggered.connect(self.export)
        self.backup_action.triggered.connect(self.back_up)
        self.import_action.triggered.connect(self.import_file)
        self.restore_action.triggered.connect(self.restore)
        self._fill_menu()

    def _fill_menu(self) -> None:
        """Import, Export, Back up and Restore at the top of File, above Settings."""
        file_menu = self._window.menu("File")
        first = file_menu.actions()[0] if file_menu.actions() else None
        for action in (self.import_action, self.export_action, self.backup_action):
            file_menu.insertAction(first, action)
        file_menu.insertAction(first, self.restore_action)
        if first is not None:
            file_menu.insertSeparator(first)

    # -- doing ------------------------------------------------------------------------------

    async def _job(self, fn: Callable[..., T], *args: object) -> T | Failed:
        """``fn(*args)`` as vault work; ``FAILED`` once a problem is shown (or it was locked)."""
        try:
            return await self._window.session.lock.vault_job(fn, *args)
        except Cancelled:
            return FAILED
        except UserFacingError as exc:
            if not self._window.session.lock.is_locked:
                show_failure(self._window, exc)
            return FAILED

    # -- asking -----------------------------------------------------------------------------

    def _save_path(self, title: str, suggested: str, kinds: str) -> Path | None:
        name, _kind = QFileDialog.getSaveFileName(
            self._window, title, str(Path.home() / suggested), kinds
        )
        return Path(name) if name else None

    def _open_path(self, title: str, kinds: str) -> Path | None:
        name, _kind = QFileDialog.getOpenFileName(self._window, title, str(Path.home()), kinds)
        return Path(name) if name else None

    def _ask_password(self, path: Path, again: bool = False) -> str | None:
        first = "That password did not open it. " if again else ""
        password, ok = QInputDialog.getText(
            self._window,
            "Backup password",
            f"{first}{path.name} is an encrypted backup. Its password (the master password it "
            "was made with, unless it was given its own):",
            QLineEdit.EchoMode.Password,
        )
        return password if ok and password else None

    # -- export -----------------------------------------------------------------------------

    def export(self) -> None:
        """Ask redacted or plaintext (warning about the second), then where to write it."""
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Export integrations")
        box.setText("Which export?")
        box.setInformativeText(
            "Redacted: every field, but each secret shows only its last 4 characters — safe "
            "to attach to a support ticket.\n\nPlaintext: every secret in clear, to move the "
            "integrations elsewhere."
        )
        redacted = box.addButton("Redacted…", QMessageBox.ButtonRole.AcceptRole)
        plaintext = box.addButton("Plaintext…", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(redacted)
        box.exec()
        chosen = box.clickedButton()
        if chosen is plaintext:
            answer = QMessageBox.warning(
                self._window,
                "Plaintext export",
                PLAINTEXT_WARNING,
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Ok:
                return
        elif chosen is not redacted:
            return
        is_redacted = chosen is redacted
        name = "integrations-redacted.json" if is_redacted else "integrations.json"
        path = self._save_path("Export integrations", name, JSON_FILES)
        if path is not None:
            self.export_to(path, is_redacted)

    @asyncSlot(object, bool)
    async def export_to(self, path: Path, redacted: bool) -> int | None:
        """Write the export to ``path``; how many were written, or None on failure."""
        window, lock = self._window, self._window.session.lock
        count = await self._job(_export, window.vault, path, redacted)
        if isinstance(count, Failed):
            return None
        kind = "redacted" if redacted else "plaintext, readable by you only"
        if not lock.is_locked:
            window.status.say(f"Exported {count} integration(s) to {path} ({kind}).", 10_000)
        log.info("exported %d integrations (%s)", count, "redacted" if redacted else "plain")
        return count

    # -- backup and restore -----------------------------------------------------------------

    def back_up(self) -> None:
        """Ask where and under which password, then write the encrypted copy."""
        path = self._save_path("Back up the vault", "integration-vault-backup.ivb", BACKUP_FILES)
        if path is None:
            return
        password = BackupPasswordDialog.ask(self._window)
        if password is not None:
            self.back_up_to(path, password)

    @asyncSlot(object, str)
    async def back_up_to(self, path: Path, password: str) -> bool:
        window, lock = self._window, self._window.session.lock
        if isinstance(await self._job(transfer.backup_to, window.vault, path, password), Failed):
            return False
        if not lock.is_locked:
            window.status.say(f"Encrypted backup written to {path}.", 10_000)
        return True

    def restore(self) -> None:
        """Make a new vault file from a backup; the open vault is left as it is."""
        backup = self._open_path("Restore from backup", BACKUP_FILES)
        if backup is None:
            return
        password = self._ask_password(backup)
        if password is None:
            return
        target = self._save_path("Save the restored vault as", "restored-vault.db", BACKUP_FILES)
        if target is not None:
            self.restore_to(backup, target, password)

    @asyncSlot(object, object, str)
    async def restore_to(self, backup: Path, target: Path, password: str) -> int | None:
        count = await self._job(transfer.restore_from, backup, target, password)
        if isinstance(count, Failed):
            return None
        QMessageBox.information(
            self._window,
            "Vault restored",
            f"{count} integration(s) restored into the new vault {target}. It opens with the "
            f"backup's password: start the app with --vault {target} to use it.",
        )
        return count

    # -- import -----------------------------------------------------------------------------

    def import_file(self) -> None:
        path = self._open_path("Import integrations", IMPORT_FILES)
        if path is not None:
            self.import_from(path)

    @asyncSlot(object)
    async def import_from(self, path: Path, password: str | None = None) -> int | None:
        """Read, validate and preview ``path``; add the new records once the person agrees."""
        window, lock = self._window, self._window.session.lock
        encrypted = await self._job(_is_encrypted, path)
        if isinstance(encrypted, Failed):
            return None
        if encrypted and password is None:
            password = self._ask_password(path)
        records: list[dict[str, object]] | Failed | None = None
        for attempt in range(PASSWORD_TRIES):
            if encrypted and password is None:
                return None
            records = await self._job(_read_unless_wrong, path, password)
            if records is not None or attempt == PASSWORD_TRIES - 1:
                break
            password = self._ask_password(path, again=True)  # wrong: ask again, here
        if records is None:
            show_failure(window, UserFacingError(f"wrong password for the backup {path}"))
            return None
        if isinstance(records, Failed):
            return None
        plan = await self._job(transfer.plan_import, window.vault, records)
        if isinstance(plan, Failed) or lock.is_locked:
            return None

        preview = ImportPreviewDialog(path, plan, window)
        if not preview.exec():
            return None
        added = await self._job(transfer.apply_import, window.vault, plan)
        if isinstance(added, Failed):
            return None
        if not lock.is_locked:
            window.reload_list()
            window.status.say(f"Imported {added} integration(s) from {path.name}.", 10_000)
        self.integrations_imported.emit(added)
        return added


def _read_unless_wrong(path: Path, password: str | None) -> list[dict[str, object]] | None:
    """The records of ``path``; None when the backup's password is wrong (asked again)."""
    try:
        return transfer.read_import(path, password)
    except WrongPassword:
        return None


def _export(vault: Vault, path: Path, redacted: bool) -> int:
    return transfer.export_to(vault, path, redacted=redacted)


def _is_encrypted(path: Path) -> bool:
    try:
        return transfer.is_backup(path)
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror}") from None


def install(window: MainWindow) -> TransferActions:
    """Add the transfer entries to ``window``'s File menu."""
    return TransferActions(window)
