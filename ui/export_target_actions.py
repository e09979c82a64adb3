"""The export target in the main window: the wizard's action, the Integration menu's
"Make default" and "Clear" actions, and a status-bar label naming the default target."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction

from app.default_target import (
    STORAGE_PROVIDERS,
    clear_default_target,
    default_target,
    default_target_id,
    set_default_target,
)
from app.errors import UserFacingError
from ui.elided_label import ElidedLabel
from ui.export_wizard import ExportTargetWizard
from ui.feedback import show_failure
from ui.integration_model import search_details
from ui.resources import icon

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

NO_TARGET = "No export target"
SETUP_TEXT = "Set up export target…"
STATUS_WIDEST_PX = 300
STATUS_TIP = "Screenshots are exported there; change it in the Integration menu."


def status_text(display: str | None) -> str:
    """What the status bar says: "Export target: <display>", or that there is none."""
    return f"Export target: {display}" if display else NO_TARGET


class ExportTargetActions(QObject):
    """Owns the export-target actions and status label of one main window.

    ``default_target_changed`` fires whenever the default export target is another one than
    before: after the wizard saved one, after "Make default" or "Clear", and when the
    default integration was deleted. The list connects it to redraw its marker.
    """

    default_target_changed = Signal(str)  # id of the default export target; "" for none

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._current = default_target_id(window.vault)
        self._wizard: ExportTargetWizard | None = None

        self.setup = QAction(icon("cloud"), SETUP_TEXT, window)
        tip = "Check a bucket step by step, then make it the default export target"
        self.setup.setToolTip(tip)
        self.setup.setStatusTip(tip)
        self.make_default = QAction("Make default export target", window)
        self.make_default.setStatusTip("Send exported screenshots to the selected bucket")
        self.clear = QAction("Clear export target", window)
        self.clear.setStatusTip("Forget the default export target (the integration stays)")
        self.setup.triggered.connect(self.open_wizard)
        self.make_default.triggered.connect(self.make_selected_default)
        self.clear.triggered.connect(self.clear_target)

        self.status_label = ElidedLabel(STATUS_WIDEST_PX, parent=window)
        self.status_label.setObjectName("exportTargetStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        window.status.add_permanent(self.status_label)
        window.integration_saved.connect(lambda _id: self.refresh())
        window.integration_deleted.connect(lambda _id: self.refresh())
        window.integration_restored.connect(lambda _id: self.refresh())  # Undo delete
        window.editor.integration_restored.connect(lambda _id: self.refresh())  # History
        # The target's label and bucket come from the vault: hidden while it is locked.
        window.session.lock.vault_locked.connect(lambda: self.status_label.set_full_text("", ""))
        window.session.lock.vault_unlocked.connect(lambda _vault: self.refresh())
        self._place_actions()
        self.refresh()

    def _place_actions(self) -> None:
        """The wizard first in File and last in the toolbar; Make default and Clear in
        Integration."""
        window = self._window
        file_menu = window.menu("File")
        entries = file_menu.actions()
        if entries:
            file_menu.insertAction(entries[0], self.setup)
            file_menu.insertSeparator(entries[0])
        else:
            file_menu.addAction(self.setup)
        integration_menu = window.menu("Integration")
        integration_menu.addSeparator()
        integration_menu.addAction(self.make_default)
        integration_menu.addAction(self.clear)
        integration_menu.aboutToShow.connect(self._refresh_actions)
        window.menu_actions.toolbar.addAction(self.setup)

    # -- what is shown ----------------------------------------------------------------------

    @property
    def current_id(self) -> str | None:
        """The default export target's integration id, as last read from the vault."""
        return self._current

    def refresh(self) -> None:
        """Re-read the default target: the label, the actions, and a signal if it changed."""
        vault = self._window.vault
        if not vault.is_open:
            return  # locked: the label stays empty until the vault is back
        target = default_target(vault)
        text = status_text(target.display if target else None)
        # Elided to the room it gets, so the status bar keeps room for messages.
        self.status_label.set_full_text(text, f"{text}. {STATUS_TIP}")
        now = target.id if target else None
        if now != self._current:
            self._current = now
            log.info("default export target is now %s", now or "none")
            self.default_target_changed.emit(now or "")
        self._refresh_actions()

    def _refresh_actions(self) -> None:
        selected = self._selected_storage_id()
        self.make_default.setEnabled(selected is not None and selected != self._current)
        self.clear.setEnabled(self._current is not None)

    def _selected_storage_id(self) -> str | None:
        vault = self._window.vault
        selected = self._window.selected_id()
        if selected is None or not vault.is_open or selected not in vault.ids():
            return None
        return selected if vault.row(selected).provider in STORAGE_PROVIDERS else None

    # -- actions ----------------------------------------------------------------------------

    def open_wizard(self) -> ExportTargetWizard:
        """Show the wizard (one at a time), starting from the selected S3 or R2 integration."""
        if self._wizard is not None:
            self._wizard.raise_()
            self._wizard.activateWindow()
            return self._wizard
        window = self._window
        wizard = ExportTargetWizard(window.vault, window, self._selected_storage_id())
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.target_saved.connect(self._on_target_saved)
        wizard.finished.connect(self._forget_wizard)
        self._wizard = wizard
        wizard.open()
        return wizard

    def _forget_wizard(self) -> None:
        self._wizard = None

    def _on_target_saved(self, integration_id: str) -> None:
        window = self._window
        vault = window.vault
        if not vault.is_open:
            return
        # The list shows the saved integration (new, or with its new check) in sort order.
        integration = vault.get(integration_id)
        window.model.put(vault.row(integration_id))
        window.model.set_details({integration_id: search_details(integration)})
        window.model.resort()
        shown = window.editor.integration
        if shown is not None and shown.id == integration_id and not window.editor.has_changes:
            window.open_integration(integration_id)  # the editor shows what was saved
        self.refresh()
        window.status.say(f"“{integration.label}” is the default export target.", 8000)

    def make_selected_default(self) -> None:
        selected = self._selected_storage_id()
        if selected is None:
            return
        try:
            target = set_default_target(self._window.vault, selected)
        except UserFacingError as exc:
            show_failure(self._window, exc)
            return
        self.refresh()
        self._window.status.say(f"“{target.label}” is now the default export target.", 8000)

    def clear_target(self) -> None:
        if not self._window.vault.is_open or clear_default_target(self._window.vault) is None:
            return
        self.refresh()
        self._window.status.say("Export target cleared; the integration stays in the vault.", 8000)


def install(window: MainWindow) -> ExportTargetActions:
    """Add the export target's actions and status label to ``window``; keep what it returns."""
    return ExportTargetActions(window)
