"""Deleting from the window: confirm, delete, offer Undo; Undo puts the row back.

An integration stored on the Integration API too asks how far to delete: here only (with
Undo, as usual), or here and on the server (no Undo: the server's copy is gone for good).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from qasync import asyncSlot

from app.errors import Cancelled, UserFacingError
from app.models import Integration
from app.sync import SyncOutcome
from ui.deletion import DeletedIntegrations, undo_tip
from ui.feedback import confirm, show_failure
from ui.sync_actions import ask_remote_delete

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class DeletionFlow(QObject):
    """What Delete and Undo delete do in one window; deletions are kept until it closes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.deleted = DeletedIntegrations()
        self._on_server: set[str] = set()  # ids being deleted on the server right now

    def delete_shown(self) -> None:
        """Delete the shown integration after the person confirms; discard a new draft."""
        window = self._window
        editor = window.editor
        integration = editor.integration
        if editor.is_new:
            if window.confirm_discard_changes():
                editor.clear()
                window.refresh_pages()
            return
        if integration is None:
            return
        if integration.id in self._on_server:
            window.status.say(f"“{integration.label}” is being deleted on the server…", 5000)
            return
        try:
            row = window.vault.row(integration.id)
        except UserFacingError as exc:
            show_failure(window, exc)
            return

        if row.remote_id is None:
            everywhere: bool | None = self._confirm_local(integration)
        else:
            everywhere = ask_remote_delete(window, row)
        if everywhere is None or window.session.lock.is_locked:  # a lock closes the question
            return
        if everywhere:
            self.delete_everywhere(integration)
        else:
            self._delete_here(integration, synced=row.remote_id is not None)

    def _confirm_local(self, integration: Integration) -> bool | None:
        """False (delete here) once the person says Yes; None when they keep it."""
        agreed = confirm(
            self._window,
            "Delete integration",
            f"Delete “{integration.label}” from the vault?\n\nUntil you close this window, "
            "Edit › Undo delete (Ctrl+Z) brings it back.",
        )
        return False if agreed else None

    def _delete_here(self, integration: Integration, *, synced: bool) -> None:
        """Delete from this vault only, keeping what Undo needs to bring it back."""
        window = self._window
        window.feedback.forget(integration.id)
        try:
            item = self.deleted.delete(window.vault, integration.id)
        except UserFacingError as exc:
            show_failure(window, exc)
            return
        self._drop_from_screen(integration.id)
        log.info("integration %s deleted from the window", integration.id)
        said = f"Deleted “{integration.label}”."
        if synced:
            said = f"Deleted “{integration.label}” here; it is still on the server."
        window.status.offer_undo(said, undo_tip(item))
        window.integration_deleted.emit(integration.id)

    @asyncSlot(object)
    async def delete_everywhere(self, integration: Integration) -> SyncOutcome | None:
        """Delete on the server, then here (no Undo); a refusal deletes nothing here."""
        window = self._window
        lock = window.session.lock
        self._on_server.add(integration.id)
        window.status.say(f"Deleting “{integration.label}” here and on the server…", 0)
        try:
            outcome = await window.session.sync.delete_everywhere(integration.id)
        except Cancelled:
            return None
        except UserFacingError as exc:
            if not lock.is_locked:
                window.statusBar().clearMessage()
                show_failure(window, exc)
            return None
        finally:
            self._on_server.discard(integration.id)
        if lock.is_locked:
            return outcome  # the list is read again from the vault when it unlocks
        window.feedback.forget(integration.id)
        self._drop_from_screen(integration.id)
        window.status.say(f"“{integration.label}”: {outcome.message}.", 10_000)
        window.integration_deleted.emit(integration.id)
        return outcome

    def _drop_from_screen(self, integration_id: str) -> None:
        """Take the row out of the list, and out of the editor when it shows it."""
        window = self._window
        shown = window.editor.integration
        if shown is not None and shown.id == integration_id:
            window.select(None)
            window.editor.clear()
        window.model.remove(integration_id)
        window.refresh_pages()
        window.refresh_actions()

    def undo(self) -> Integration | None:
        """Bring back the integration deleted last, with the same id; None when none."""
        window = self._window
        if not self.deleted or not window.confirm_discard_changes():
            return None
        try:
            restored = self.deleted.undo(window.vault)
        except UserFacingError as exc:
            show_failure(window, exc)
            return None
        if restored is None:
            return None
        window.show_row(restored)
        window.open_integration(restored.id)
        window.status.say(f"Restored “{restored.label}”.", 5000)
        window.refresh_actions()
        window.integration_restored.emit(restored.id)
        return restored
