"""The main window: side list, searchable list of integrations and the editor beside it.

Helper objects do the detail work: ``IntegrationList`` (search and table), ``ViewList``
(side list), ``WindowActions`` (menus, shortcuts, ``menu(name)`` for other parts),
``StatusArea`` (status bar, ``add_permanent`` for other parts), ``CheckFeedback`` (what
checks show while they run), ``SearchDetailsLoader`` (non-secret fields for the search box)
and ``window_state`` (what is remembered between runs).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QSplitter, QStackedWidget, QWidget
from qasync import asyncSlot

from app import paths
from app.errors import UserFacingError
from app.models import CheckRecord, Integration, NewIntegration
from app.vault import Vault
from app.verification import CheckOptions
from providers.base import ProviderSpec
from ui import window_state
from ui.about import AboutDialog
from ui.checks import CheckRunner
from ui.deletion import undo_tip
from ui.editor import IntegrationEditor
from ui.export_target_actions import install as install_export_target
from ui.feedback import show_failure
from ui.first_run import FirstRunGuide
from ui.integration_model import ID_ROLE, SHOW_ALL, IntegrationTableModel, search_details
from ui.list_panel import IntegrationList
from ui.new_dialog import NewIntegrationDialog
from ui.resources import icon
from ui.session import install as install_session
from ui.sidebar import ViewList
from ui.status_area import StatusArea
from ui.transfer_actions import install as install_transfers
from ui.window_actions import WindowActions
from ui.window_checks import CheckFeedback
from ui.window_deletion import DeletionFlow
from ui.window_search import SearchDetailsLoader

log = logging.getLogger(__name__)

AGE_REFRESH_MS = 30_000
SPLITTER_SIZES = (180, 590, 470)


class MainWindow(QMainWindow):
    """Owns the open vault for the GUI; the model and editor only ever see plain values."""

    integration_saved = Signal(str)  # integration id
    integration_deleted = Signal(str)  # integration id
    integration_restored = Signal(str)  # integration id, brought back by Undo delete
    verification_finished = Signal(str, object)  # integration id, CheckRecord (list updated)
    search_details_loaded = Signal()  # non-secret fields are searchable from now on

    def __init__(
        self,
        vault: Vault,
        check_options: Callable[[], CheckOptions] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vault = vault
        # The application display name ("Integration Vault") is added by Qt after this.
        self.setWindowTitle(vault.path.name)
        self.setWindowIcon(icon("vault"))
        self.resize(1240, 760)
        self._restoring_selection = False
        self._splitter_restored = False

        self.model = IntegrationTableModel(vault.rows(), parent=self)
        self.listing = IntegrationList(self.model, self)
        self.proxy, self.table = self.listing.proxy, self.listing.table
        self.views = ViewList(self)
        self.editor = IntegrationEditor(self, vault=vault)
        self.first_run = FirstRunGuide(self)
        # Unless given, checks run with the settings' time-out (File › Settings).
        self.checks = CheckRunner(vault, check_options or self._check_options, self)
        self.splitter = self._build_layout()
        self.menu_actions = WindowActions(self)
        self.status = StatusArea(self.statusBar(), vault.path)
        self.feedback = CheckFeedback(self)
        self.deletion = DeletionFlow(self)
        self._age_timer = QTimer(self)
        self._age_timer.timeout.connect(self.model.refresh_ages)
        self._age_timer.timeout.connect(self.editor.check_panel.refresh_age)
        self._age_timer.start(AGE_REFRESH_MS)
        self._counts_timer = QTimer(self, singleShot=True, interval=0)  # many changes, one count
        self._counts_timer.timeout.connect(self._refresh_counts)
        self._connect()
        self._set_tab_order()

        view = window_state.restore(self, self.listing)
        self.views.choose(view or SHOW_ALL)
        self._refresh_counts()
        self.refresh_actions()
        self.search_loader = SearchDetailsLoader(self)
        QTimer.singleShot(0, self.search_loader.load)
        self.session = install_session(self)  # lock, settings, password, Sync menu
        self.export_target = install_export_target(self)  # wizard, default target label
        self.transfers = install_transfers(self)  # import, export, backup, restore
        self.export_target.default_target_changed.connect(self._on_default_target_changed)
        self._on_default_target_changed(self.export_target.current_id or "")

    # -- building ---------------------------------------------------------------------------

    def _build_layout(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.views)
        splitter.addWidget(self.listing)
        splitter.addWidget(self.editor)
        splitter.setChildrenCollapsible(False)
        self.views.setMinimumWidth(150)
        self.editor.setMinimumWidth(420)
        for number, stretch in enumerate((0, 1, 1)):
            splitter.setStretchFactor(number, stretch)
        splitter.setSizes(list(SPLITTER_SIZES))
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.first_run)
        self.pages.addWidget(splitter)
        self.setCentralWidget(self.pages)
        return splitter

    def _set_tab_order(self) -> None:
        """Tab goes left to right: side list, search, list, then the editor's fields."""
        chain = [self.views, self.listing.search_box, self.table, self.editor.label_edit]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.table.setFocus()

    def _connect(self) -> None:
        actions = self.menu_actions
        actions.new.triggered.connect(self.ask_new_integration)
        actions.save.triggered.connect(self.save_current)
        actions.delete.triggered.connect(self.delete_current)
        actions.undo_delete.triggered.connect(self.undo_delete)
        actions.verify.triggered.connect(self.verify_current)
        actions.verify_all.triggered.connect(self.verify_all)
        actions.cancel.triggered.connect(self.cancel_checks)
        actions.find.triggered.connect(self.listing.focus_search)
        actions.about.triggered.connect(self.show_about)
        actions.quit.triggered.connect(self.close)
        actions.views.triggered.connect(lambda action: self.views.choose(action.data()))
        self.table.addAction(actions.delete)

        self.editor.save_requested.connect(self.save_current)
        self.editor.delete_requested.connect(self.delete_current)
        self.editor.verify_requested.connect(self.verify_current)
        self.editor.stop_requested.connect(self.feedback.stop_shown)
        self.editor.state_changed.connect(self.refresh_actions)
        self.editor.integration_restored.connect(self._on_version_restored)
        self.first_run.add_requested.connect(self.ask_new_integration)
        self.views.view_chosen.connect(self._on_view_chosen)
        self.status.cancel_requested.connect(self.cancel_checks)
        self.status.undo_requested.connect(self.undo_delete)
        self.feedback.checks_changed.connect(self.refresh_actions)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        for changed in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
            self.model.dataChanged,
        ):
            changed.connect(lambda *_args: self._counts_timer.start())

    # -- for other parts of the window (locking, sync) --------------------------------------

    def menu(self, name: str) -> QMenu:
        """The menu called ``name`` ("Vault", "Sync"…), made in its place when new."""
        return self.menu_actions.menu(name)

    def use_vault(self, vault: Vault) -> None:
        """Show ``vault`` (the same file reopened after a lock) instead of the closed one."""
        self.vault = vault
        self.checks.use_vault(vault)
        self.editor.set_vault(vault)
        self.model.set_rows(vault.rows())
        self.search_loader.load()

    def reload_list(self) -> None:
        """Read every row again (after an import added many at once)."""
        self.model.set_rows(self.vault.rows())
        self.search_loader.load()
        self._refresh_counts()
        self.refresh_pages()
        self.refresh_actions()

    def _check_options(self) -> CheckOptions:
        return self.session.check_options()

    def cancel_checks(self) -> None:
        """Stop every running check now; results still on their way are dropped."""
        self.checks.stop_all()

    # -- selection --------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        return self.listing.selected_id()

    def select(self, integration_id: str | None) -> None:
        """Make ``integration_id`` the current row (None: no row) without asking anything."""
        self._restoring_selection = True
        try:
            self.listing.select(integration_id)
        finally:
            self._restoring_selection = False

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        # A row hidden by the search keeps the editor as it is: only a new choice changes it.
        if self._restoring_selection or not current.isValid():
            return
        if not self.confirm_discard_changes():
            self.select(previous.data(ID_ROLE) if previous.isValid() else None)
            return
        self._show(self.listing.selected_id() or "")

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
        self.editor.set_busy(self.feedback.is_checking(integration_id))
        self.refresh_pages()

    def _last_check(self, integration_id: str) -> CheckRecord | None:
        history = self.vault.history(integration_id, limit=1)
        return history[0] if history else None

    def confirm_discard_changes(self) -> bool:
        """True when there is nothing unsaved, or the person agrees to drop it."""
        if not self.editor.has_changes:
            return True
        fields = ", ".join(self.editor.changed_fields())
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"The integration you are editing has unsaved changes ({fields}). Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _on_default_target_changed(self, integration_id: str) -> None:
        """The star in the list follows the default export target."""
        self.model.set_default_targets({integration_id} if integration_id else set())
        self.listing.refresh_columns()

    def _on_view_chosen(self, view: str) -> None:
        self.listing.set_view(view, self.views.title_of(view))
        self.menu_actions.view_actions[view].setChecked(True)

    # -- New, Save, Delete, Undo ------------------------------------------------------------

    def ask_new_integration(self) -> None:
        """Ask platform and provider, then open an empty form for it."""
        if not self.confirm_discard_changes():
            return
        spec = NewIntegrationDialog.ask(self)
        if spec is not None:
            self.start_new(spec)

    def start_new(self, spec: ProviderSpec) -> None:
        self.select(None)
        self.editor.start_new(spec)
        self.refresh_pages()

    def save_current(self) -> Integration | None:
        """Validate and store the editor's content; the stored integration, or None."""
        editor = self.editor
        if editor.is_empty or editor.is_busy:
            return None
        if not editor.can_save:
            return editor.integration
        change = editor.validated()
        if change is None:
            self.status.say("Not saved: see the fields marked in red.", 8000)
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

        self.show_row(integration)
        editor.show_integration(integration, self._last_check(integration.id))
        self.status.say(f"Saved “{integration.label}”.", 5000)
        self.integration_saved.emit(integration.id)
        return integration

    def show_row(self, integration: Integration) -> None:
        """Show ``integration`` in the list, in sort order, selected and visible."""
        self.model.put(self.vault.row(integration.id))
        self.model.set_details({integration.id: search_details(integration)})
        self.model.resort()
        self.select(integration.id)
        if self.selected_id() != integration.id:  # hidden by the search or the side list
            self.listing.search_box.clear()
            self.views.choose(SHOW_ALL)
            self.select(integration.id)
        self.refresh_pages()

    def delete_current(self) -> None:
        """Delete the shown integration after the person confirms; discard a new draft."""
        self.deletion.delete_shown()

    def undo_delete(self) -> Integration | None:
        """Bring back the integration deleted last, with the same id."""
        return self.deletion.undo()

    def _on_version_restored(self, integration_id: str) -> None:
        self.show_row(self.vault.get(integration_id))

    # -- Verify -----------------------------------------------------------------------------

    @asyncSlot()
    async def verify_current(self) -> CheckRecord | None:
        """Save pending changes, then check the integration on a worker thread."""
        integration = self.save_current()
        if integration is None or self.feedback.is_checking(integration.id):
            return None
        try:
            return await self.checks.verify(integration)
        except UserFacingError as exc:
            show_failure(self, exc)
            return None

    @asyncSlot()
    async def verify_all(self) -> int | None:
        """Check every integration; rows update one by one as results arrive."""
        ids = [row.id for row in self.model.rows() if not self.feedback.is_checking(row.id)]
        try:
            return await self.checks.bulk.verify(ids)
        except UserFacingError as exc:
            show_failure(self, exc)
            return None

    # -- window state -----------------------------------------------------------------------

    def show_about(self) -> None:
        dialog = AboutDialog(self.vault.path, paths.log_dir() / "integration-vault.log", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _refresh_counts(self) -> None:
        self.views.show_counts(self.model.counts())
        self.refresh_pages()

    def refresh_pages(self) -> None:
        """The first-run guide while the vault is empty and nothing is being added."""
        empty = self.model.rowCount() == 0 and self.editor.is_empty
        self.pages.setCurrentWidget(self.first_run if empty else self.splitter)

    def refresh_actions(self) -> None:
        editor, actions = self.editor, self.menu_actions
        actions.save.setEnabled(editor.can_save)
        actions.verify.setEnabled(not editor.is_empty and not editor.is_busy)
        actions.verify_all.setEnabled(self.model.rowCount() > 0 and not self.checks.bulk.is_running)
        actions.cancel.setEnabled(self.checks.any_running)
        actions.delete.setEnabled(not editor.is_empty)
        newest = self.deletion.deleted.newest()
        actions.undo_delete.setEnabled(newest is not None)
        actions.undo_delete.setText(
            f"&Undo delete of “{newest.label}”" if newest else "&Undo delete"
        )
        actions.undo_delete.setToolTip(undo_tip(newest) if newest else "Nothing was deleted")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitter_restored:  # once: it needs the window's real width
            self._splitter_restored = True
            window_state.restore_splitter(self.splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard_changes():
            event.ignore()
            return
        self.checks.stop_all()
        self._age_timer.stop()
        window_state.save(self, self.splitter, self.listing, self.views.current_view())
        event.accept()
