"""Deleting from the window: confirm, delete, offer Undo; Undo puts the row back."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.errors import UserFacingError
from app.models import Integration
from ui.deletion import DeletedIntegrations, undo_tip
from ui.feedback import show_failure

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class DeletionFlow(QObject):
    """What Delete and Undo delete do in one window; deletions are kept until it closes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.deleted = DeletedIntegrations()

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
        answer = QMessageBox.question(
            window,
            "Delete integration",
            f"Delete “{integration.label}” from the vault?\n\nUntil you close this window, "
            "Edit › Undo delete (Ctrl+Z) brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        window.feedback.forget(integration.id)
        try:
            item = self.deleted.delete(window.vault, integration.id)
        except UserFacingError as exc:
            show_failure(window, exc)
            return
        window.select(None)
        window.model.remove(integration.id)
        editor.clear()
        log.info("integration %s deleted from the window", integration.id)
        window.status.offer_undo(f"Deleted “{integration.label}”.", undo_tip(item))
        window.refresh_pages()
        window.refresh_actions()
        window.integration_deleted.emit(integration.id)

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
