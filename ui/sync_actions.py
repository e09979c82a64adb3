"""The Sync menu: connection, push, pull, conflicts and remote checks, each off the GUI thread.

Every call that reaches the network (and the vault) runs through the lock controller's
``vault_job``, so a lock waits for the step under way and nothing reaches the screen after.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMainWindow, QMessageBox, QWidget
from qasync import asyncSlot

from app.errors import Cancelled, UserFacingError
from app.models import IntegrationRow
from app.remote import IntegrationApi
from app.sync import SyncOutcome, SyncService
from ui.conflict_dialog import ConflictDialog
from ui.feedback import confirm, show_failure
from ui.integration_model import check_summary
from ui.lock import LockController
from ui.remote_dialog import RemoteDialog
from ui.sync_report import RemoteCheckDialog, SyncReportDialog, outcome_line, outcome_summary

log = logging.getLogger(__name__)

NOT_CONFIGURED = "the Integration API is not set up yet: use Sync › Connection… first"
SELECT_FIRST = "Select an integration in the list first."


def ask_remote_delete(parent: QWidget | None, row: IntegrationRow) -> bool | None:
    """Ask how far to delete a synced integration.

    True: here and on the server; False: here only; None: keep it. A row never pushed
    (no remote id) has nothing on the server: False, without asking.
    """
    if row.remote_id is None:
        return False
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Delete integration")
    box.setText(f"Delete “{row.label}”?")
    box.setInformativeText(
        "It is also stored on the Integration API. Deleting it on the server cannot be "
        "undone. Deleting it here only can: until you close this window, Edit › Undo delete "
        "brings it back."
    )
    everywhere = box.addButton("Delete here and on the server", QMessageBox.ButtonRole.YesRole)
    here_only = box.addButton("Delete here only", QMessageBox.ButtonRole.NoRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked == everywhere:
        return True
    return False if clicked == here_only else None


def new_action(window: QMainWindow, text: str, tip: str, shortcut: str | None = None) -> QAction:
    """An action of ``window``; its shortcut works even while the menu bar is hidden."""
    action = QAction(text, window)
    window.addAction(action)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({native})")
    return action


class SyncActions(QObject):
    """Creates the Sync menu and carries out its actions for the main window."""

    sync_finished = Signal(object)  # list[SyncOutcome]
    remote_verification_finished = Signal(str, object)  # integration id, CheckRecord

    def __init__(self, window: QMainWindow, lock: LockController) -> None:
        super().__init__(window)
        self._window = window
        self._lock = lock
        self._pushing = False
        self.dialogs: dict[str, QDialog] = {}

        self.connection = new_action(
            window, "&Connection…", "The address and API key of the remote Integration API"
        )
        self.push_selected = new_action(
            window, "&Push selected", "Send the selected integration to the server", "Ctrl+Shift+U"
        )
        self.push_all = new_action(window, "Push &all", "Send every local change to the server")
        self.pull = new_action(window, "Pu&ll by remote id…", "Copy one record from the server")
        self.resolve = new_action(
            window, "&Resolve conflict…", "Compare both versions of the selected integration"
        )
        self.verify_remote = new_action(
            window,
            "&Verify on the Integration API",
            "Let the Integration API check the selected integration's credentials",
        )
        self.connection.triggered.connect(self.open_connection)
        self.push_selected.triggered.connect(self.push_current)
        self.push_all.triggered.connect(self.push_everything)
        self.pull.triggered.connect(self.ask_pull)
        self.resolve.triggered.connect(self.open_resolve)
        self.verify_remote.triggered.connect(self.verify_current_remotely)

        self.menu = window.menu("Sync")
        self.menu.addAction(self.push_selected)
        self.menu.addAction(self.push_all)
        self.menu.addAction(self.pull)
        self.menu.addSeparator()
        self.menu.addAction(self.resolve)
        self.menu.addAction(self.verify_remote)
        self.menu.addSeparator()
        self.menu.addAction(self.connection)

    # -- helpers --------------------------------------------------------------------------

    def _open(self, kind: str, dialog: QDialog) -> QDialog:
        """Show ``dialog`` window-modal; the previous one of its kind is deleted."""
        old = self.dialogs.pop(kind, None)
        if old is not None:
            old.deleteLater()
        self.dialogs[kind] = dialog
        dialog.open()
        return dialog

    def _status(self, text: str, timeout_ms: int = 8000) -> None:
        self._window.statusBar().showMessage(text, timeout_ms)

    def _service(self) -> SyncService | None:
        """A sync service on the saved connection; without one, the connection dialog opens."""
        try:
            config = self._window.vault.remote_config()
        except UserFacingError as exc:
            show_failure(self._window, exc)
            return None
        if config is None:
            self._status(NOT_CONFIGURED[0].upper() + NOT_CONFIGURED[1:] + ".")
            self.open_connection()
            return None
        return SyncService(self._window.vault, IntegrationApi(config))

    def _selected_saved(self) -> str | None:
        """The integration to act on, with any pending edit saved first (as Verify does)."""
        window = self._window
        if window.editor.has_changes:
            saved = window.save_current()
            return saved.id if saved is not None else None
        selected = window.selected_id()
        if selected is None:
            self._status(SELECT_FIRST)
        return selected

    def _label(self, integration_id: str) -> str:
        try:
            return self._window.vault.row(integration_id).label
        except UserFacingError:
            return integration_id

    def _show_row(self, integration_id: str | None, *, open_it: bool = False) -> None:
        """Refresh the list row (its sync state); with ``open_it``, select and show it too,
        unless the editor holds unsaved edits (what the person is typing is never replaced)."""
        if integration_id is None:
            return
        window = self._window
        try:
            row = window.vault.row(integration_id)
        except UserFacingError:
            window.model.remove(integration_id)
            return
        if not open_it or window.editor.has_changes:
            window.model.put(row)
            return
        window.show_row(window.vault.get(integration_id))
        window.open_integration(integration_id)

    def _report(self, verb: str, outcomes: list[SyncOutcome]) -> None:
        """A short line for one success; the full report when anything needs a look."""
        if not outcomes:
            return
        self.sync_finished.emit(outcomes)
        if len(outcomes) == 1 and outcomes[0].ok:
            self._status(outcome_line(outcomes[0]), 10_000)
            return
        self._status(outcome_summary(verb, outcomes), 10_000)
        self._open("report", SyncReportDialog(verb, outcomes, self._window))

    # -- connection -----------------------------------------------------------------------

    def open_connection(self) -> None:
        dialog = RemoteDialog(self._window.vault, self._window)
        dialog.connection_saved.connect(lambda: self._status("Integration API connection saved."))
        self._open("connection", dialog)

    # -- push -----------------------------------------------------------------------------

    @asyncSlot()
    async def push_current(self) -> list[SyncOutcome]:
        integration_id = self._selected_saved()
        return await self.push([integration_id]) if integration_id else []

    @asyncSlot()
    async def push_everything(self) -> list[SyncOutcome]:
        window = self._window
        if window.editor.has_changes and window.save_current() is None:
            return []
        ids = window.vault.ids()
        if not ids:
            self._status("The vault holds no integration to push.")
            return []
        return await self.push(ids)

    async def push(self, ids: list[str]) -> list[SyncOutcome]:
        """Push ``ids`` one by one, refreshing each row; stops early when the vault locks."""
        if self._pushing:
            self._status("A push is already running.")
            return []
        service = self._service()
        if service is None:
            return []
        self._pushing = True
        outcomes: list[SyncOutcome] = []
        try:
            for number, integration_id in enumerate(ids, 1):
                if self._lock.is_locked:
                    break
                self._status(f"Pushing {number} of {len(ids)}…", 0)
                try:
                    outcome = await self._lock.vault_job(service.push_one, integration_id)
                except Cancelled:
                    break
                except UserFacingError as exc:  # e.g. deleted meanwhile; the rest go on
                    label = self._label(integration_id)
                    outcome = SyncOutcome(integration_id, label, "error", str(exc), ok=False)
                outcomes.append(outcome)
                if not self._lock.is_locked:
                    self._show_row(integration_id)
        finally:
            self._pushing = False
            service.api.close()
        if not self._lock.is_locked:
            self._window.model.resort()  # the list may be sorted by sync state
            self._report("Push", outcomes)
        return outcomes

    # -- pull -----------------------------------------------------------------------------

    def ask_pull(self) -> None:
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle("Pull from the Integration API")
        dialog.setLabelText("Remote id of the record to copy into this vault:")
        dialog.setOkButtonText("Pull")
        dialog.textValueSelected.connect(self.pull_record)
        self._open("pull", dialog)

    @asyncSlot(str)
    async def pull_record(self, remote_id: str) -> SyncOutcome | None:
        """Copy one server record into the vault, then show it (unless edits are pending)."""
        remote_id = remote_id.strip()
        if not remote_id:
            return None
        service = self._service()
        if service is None:
            return None
        try:
            outcome: SyncOutcome = await self._lock.vault_job(service.pull, remote_id)
        except Cancelled:
            return None
        except UserFacingError as exc:
            if not self._lock.is_locked:
                show_failure(self._window, exc)
            return None
        finally:
            service.api.close()
        if self._lock.is_locked:
            return outcome
        self._show_row(outcome.integration_id, open_it=outcome.ok)
        self._report("Pull", [outcome])
        return outcome

    # -- conflicts ------------------------------------------------------------------------

    def open_resolve(self) -> ConflictDialog | None:
        integration_id = self._window.selected_id()
        if integration_id is None:
            self._status(SELECT_FIRST)
            return None
        row = self._window.vault.row(integration_id)
        if row.sync_state != "conflict":
            self._status(f"“{row.label}” has no conflict to resolve.")
            return None
        service = self._service()
        if service is None:
            return None
        dialog = ConflictDialog(
            self._window.vault, integration_id, service, self._lock.vault_job, self._window
        )
        dialog.resolved.connect(self._on_resolved)
        self._open("conflict", dialog)
        return dialog

    def _on_resolved(self, outcome: SyncOutcome) -> None:
        self._show_row(outcome.integration_id, open_it=True)
        self._status(outcome_line(outcome), 10_000)
        self.sync_finished.emit([outcome])

    # -- remote check ---------------------------------------------------------------------

    def _may_send_credentials(self, label: str) -> bool:
        """A local-only integration is checked by sending its credentials: ask first."""
        return confirm(
            self._window,
            "Verify on the Integration API",
            f"“{label}” is not on the Integration API, so checking it there sends its "
            "credentials, secrets included, to the API. Send them?",
        )

    @asyncSlot()
    async def verify_current_remotely(self) -> None:
        """Ask the API to check the selected integration; show it beside the local check."""
        integration_id = self._selected_saved()
        if integration_id is None:
            return
        service = self._service()
        if service is None:
            return
        label = self._label(integration_id)
        row = self._window.vault.row(integration_id)
        if row.remote_id is None and not self._may_send_credentials(label):
            return
        self._status(f"Asking the Integration API to check “{label}”…", 0)
        try:
            await self._lock.vault_job(service.verify_remote, integration_id)
        except Cancelled:
            return
        except UserFacingError as exc:
            if not self._lock.is_locked:
                self._window.statusBar().clearMessage()
                show_failure(self._window, exc)
            return
        finally:
            service.api.close()
        if self._lock.is_locked:
            return

        vault = self._window.vault
        remote = vault.history(integration_id, limit=1, source="remote")[0]
        local = next(iter(vault.history(integration_id, limit=1)), None)
        self._status(f"“{label}” on the Integration API: {check_summary(remote)}.", 10_000)
        self.remote_verification_finished.emit(integration_id, remote)
        self._open("remote check", RemoteCheckDialog(label, local, remote, self._window))

    # -- delete (called by the window's Delete) -------------------------------------------

    async def delete_everywhere(self, integration_id: str) -> SyncOutcome:
        """Delete on the server, then here. Raises ``UserFacingError`` (and deletes nothing
        here) when the API is not set up or refuses."""
        config = self._window.vault.remote_config()
        if config is None:
            raise UserFacingError(NOT_CONFIGURED)
        service = SyncService(self._window.vault, IntegrationApi(config))
        try:
            outcome: SyncOutcome = await self._lock.vault_job(service.delete, integration_id, True)
        finally:
            service.api.close()
        log.info("integration %s deleted here and on the server", integration_id)
        return outcome
