"""The main window: the list of integrations beside the editor, with New/Save/Delete/Verify."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.errors import UserFacingError
from app.models import CheckRecord, Integration, NewIntegration
from app.vault import Vault
from app.verification import CheckOptions
from providers.base import ProviderSpec
from ui.checks import CheckRunner
from ui.editor import IntegrationEditor
from ui.feedback import show_failure
from ui.integration_model import (
    ID_ROLE,
    LABEL,
    IntegrationSortProxy,
    IntegrationTableModel,
    check_summary,
)
from ui.new_dialog import NewIntegrationDialog
from ui.resources import icon
from ui.window_actions import WindowActions

log = logging.getLogger(__name__)

AGE_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    """Owns the open vault for the GUI; the model and editor only ever see plain values."""

    integration_saved = Signal(str)  # integration id
    integration_deleted = Signal(str)  # integration id
    verification_finished = Signal(str, object)  # integration id, CheckRecord (list updated)

    def __init__(
        self,
        vault: Vault,
        check_options: Callable[[], CheckOptions] = CheckOptions.from_environment,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setWindowTitle(f"Integration Vault — {vault.path.name}")
        self.setWindowIcon(icon("vault"))
        self.resize(1100, 700)
        self._restoring_selection = False

        self.model = IntegrationTableModel(vault.rows(), parent=self)
        self.proxy = IntegrationSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.editor = IntegrationEditor(self)
        self.checks = CheckRunner(vault, check_options, self)
        self.table = self._build_table()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by label, provider or result")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self._build_layout()

        self.menu_actions = WindowActions(self)
        self.menu_actions.new.triggered.connect(self.ask_new_integration)
        self.menu_actions.save.triggered.connect(self.save_current)
        self.menu_actions.delete.triggered.connect(self.delete_current)
        self.menu_actions.verify.triggered.connect(self.verify_current)
        self.menu_actions.quit.triggered.connect(self.close)

        self.editor.save_requested.connect(self.save_current)
        self.editor.delete_requested.connect(self.delete_current)
        self.editor.verify_requested.connect(self.verify_current)
        self.editor.stop_requested.connect(self._stop_current_check)
        self.editor.state_changed.connect(self._refresh_actions)
        self.checks.verification_started.connect(self._on_check_started)
        self.checks.verification_finished.connect(self._on_check_finished)
        self.checks.verification_stopped.connect(self._on_check_stopped)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        vault_label = QLabel(f"Vault: {vault.path}", self)
        vault_label.setObjectName("vaultPath")
        vault_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(vault_label)
        self._age_timer = QTimer(self)
        self._age_timer.timeout.connect(self.model.refresh_ages)
        self._age_timer.timeout.connect(self.editor.check_panel.refresh_age)
        self._age_timer.start(AGE_REFRESH_MS)
        self._refresh_actions()

    # -- building ---------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.sortByColumn(LABEL, Qt.SortOrder.AscendingOrder)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.setAccessibleName("Integrations")
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return table

    def _build_layout(self) -> None:
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(8, 8, 0, 8)
        box.setSpacing(6)
        box.addWidget(self.filter_edit)
        box.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([520, 580])
        self.setCentralWidget(splitter)

    # -- selection --------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        current = self.table.currentIndex()
        return current.data(ID_ROLE) if current.isValid() else None

    def select(self, integration_id: str | None) -> None:
        """Make ``integration_id`` the current row (None: no row) without asking anything."""
        self._restoring_selection = True
        try:
            selection = self.table.selectionModel()
            number = self.model.row_of(integration_id) if integration_id else None
            if number is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                return
            index = self.proxy.mapFromSource(self.model.index(number, LABEL))
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.setCurrentIndex(index, flags)
            self.table.scrollTo(index)
        finally:
            self._restoring_selection = False

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._restoring_selection:
            return
        if not self._may_discard_changes():
            self.select(previous.data(ID_ROLE) if previous.isValid() else None)
            return
        if current.isValid():
            self._show(current.data(ID_ROLE))
        else:
            self.editor.clear()

    def open_integration(self, integration_id: str) -> None:
        """Select ``integration_id`` in the list and load it into the editor."""
        self.select(integration_id)
        self._show(integration_id)

    def _show(self, integration_id: str) -> None:
        try:
            integration = self.vault.get(integration_id)
        except UserFacingError as exc:
            show_failure(self, exc)
            return
        self.editor.show_integration(integration, self._last_check(integration_id))
        self.editor.set_busy(self.checks.is_running(integration_id))

    def _last_check(self, integration_id: str) -> CheckRecord | None:
        history = self.vault.history(integration_id, limit=1)
        return history[0] if history else None

    def _may_discard_changes(self) -> bool:
        """True when there is nothing unsaved, or the person agrees to drop it."""
        if not self.editor.has_changes:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The integration you are editing has unsaved changes. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # -- New, Save, Delete ------------------------------------------------------------------

    def ask_new_integration(self) -> None:
        """Ask platform and provider, then open an empty form for it."""
        if not self._may_discard_changes():
            return
        spec = NewIntegrationDialog.ask(self)
        if spec is not None:
            self.start_new(spec)

    def start_new(self, spec: ProviderSpec) -> None:
        self.select(None)
        self.editor.start_new(spec)

    def save_current(self) -> Integration | None:
        """Validate and store the editor's content; the stored integration, or None."""
        editor = self.editor
        if editor.is_empty or editor.is_busy:
            return None
        if not editor.can_save:
            return editor.integration
        change = editor.validated()
        if change is None:
            self.statusBar().showMessage("Not saved: see the fields marked in red.", 8000)
            return None
        try:
            if isinstance(change, NewIntegration):
                integration = self.vault.add(change)
            else:
                integration = self.vault.update(
                    change.integration_id, label=change.label, credentials=change.credentials
                )
        except UserFacingError as exc:
            show_failure(self, exc)
            return None

        self.model.put(self.vault.row(integration.id))
        editor.show_integration(integration, self._last_check(integration.id))
        self.select(integration.id)
        self.statusBar().showMessage(f"Saved “{integration.label}”.", 5000)
        self.integration_saved.emit(integration.id)
        return integration

    def delete_current(self) -> None:
        """Delete the shown integration after the person confirms; discard a new draft."""
        editor = self.editor
        integration = editor.integration
        if editor.is_new:
            if self._may_discard_changes():
                editor.clear()
            return
        if integration is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete integration",
            f"Delete “{integration.label}”?\n\nIts credentials and check history are removed "
            "from the vault. This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.checks.stop(integration.id)
        try:
            self.vault.delete(integration.id)
        except UserFacingError as exc:
            show_failure(self, exc)
            return
        self.select(None)
        self.model.remove(integration.id)
        editor.clear()
        log.info("integration %s deleted from the window", integration.id)
        self.statusBar().showMessage(f"Deleted “{integration.label}”.", 5000)
        self.integration_deleted.emit(integration.id)

    # -- Verify -----------------------------------------------------------------------------

    @asyncSlot()
    async def verify_current(self) -> CheckRecord | None:
        """Save pending changes, then check the integration on a worker thread."""
        integration = self.save_current()
        if integration is None:
            return None
        try:
            return await self.checks.verify(integration)
        except UserFacingError as exc:
            show_failure(self, exc)
            return None

    def _stop_current_check(self) -> None:
        if self.editor.integration is not None:
            self.checks.stop(self.editor.integration.id)

    def _on_check_started(self, integration_id: str) -> None:
        if self._showing(integration_id):
            self.editor.set_busy(True)
        self.statusBar().showMessage(f"Checking “{self._label_of(integration_id)}”…")

    def _on_check_finished(self, integration_id: str, record: CheckRecord) -> None:
        self.model.put(self.vault.row(integration_id))
        if self._showing(integration_id):
            self.editor.show_check(record)
            self.editor.set_busy(False)
        label = self._label_of(integration_id)
        self.statusBar().showMessage(f"“{label}”: {check_summary(record)}.", 8000)
        self.verification_finished.emit(integration_id, record)

    def _on_check_stopped(self, integration_id: str) -> None:
        if self._showing(integration_id):
            self.editor.set_busy(False)
        self.statusBar().showMessage("Check stopped; nothing was recorded.", 5000)

    def _showing(self, integration_id: str) -> bool:
        shown = self.editor.integration
        return shown is not None and shown.id == integration_id

    def _label_of(self, integration_id: str) -> str:
        number = self.model.row_of(integration_id)
        return self.model.row_at(number).label if number is not None else integration_id

    # -- window state -----------------------------------------------------------------------

    def _refresh_actions(self) -> None:
        editor = self.editor
        self.menu_actions.save.setEnabled(editor.can_save)
        self.menu_actions.verify.setEnabled(not editor.is_empty and not editor.is_busy)
        self.menu_actions.delete.setEnabled(not editor.is_empty)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_discard_changes():
            event.ignore()
            return
        self.checks.stop_all()
        self._age_timer.stop()
        event.accept()
