"""The left half of the window: a search box over the sortable table of integrations."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.integration_filter import IntegrationFilterProxy
from ui.integration_model import (
    CHECKED,
    DEFAULT_TARGET,
    ID_ROLE,
    LABEL,
    PROVIDER,
    STATUS,
    STATUS_KIND_ROLE,
    SYNC,
    IntegrationTableModel,
)
from ui.resources import icon
from ui.status_badge import StatusBadgeDelegate

SEARCH_HINT = "Search labels, providers, buckets, subdomains… (Ctrl+F)"
COLUMN_WIDTHS = {DEFAULT_TARGET: 30, LABEL: 210, PROVIDER: 105, STATUS: 170, CHECKED: 85, SYNC: 140}


class SearchBox(QLineEdit):
    """A line edit where Esc clears the text and Down moves on to the list."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class IntegrationList(QWidget):
    """The searchable list; the main window decides what selecting a row means."""

    def __init__(self, model: IntegrationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = IntegrationFilterProxy(self)
        self.proxy.setSourceModel(model)

        self.search_box = SearchBox(self)
        self.search_box.setPlaceholderText(SEARCH_HINT)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search integrations")
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.textChanged.connect(self._on_search_changed)
        self.search_box.down_pressed.connect(self._focus_table)

        self.table = self._build_table()
        self.no_matches = QLabel(self)
        self.no_matches.setObjectName("noMatches")
        self.no_matches.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_matches.setWordWrap(True)
        self._stack = QStackedLayout()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.no_matches)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search_box)
        layout.addLayout(self._stack, 1)
        self.setMinimumWidth(380)

        for changed in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            changed.connect(self._refresh_empty_state)
        model.rowsInserted.connect(self.refresh_columns)
        model.modelReset.connect(self.refresh_columns)
        model.dataChanged.connect(self._on_data_changed)
        self.refresh_columns()

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
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setAccessibleName("Integrations")
        table.setItemDelegateForColumn(STATUS, StatusBadgeDelegate(STATUS_KIND_ROLE, table))

        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # 10,000 rows stay quick
        rows.setDefaultSectionSize(table.fontMetrics().height() + 14)

        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DEFAULT_TARGET, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setMinimumSectionSize(28)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        return table

    # -- selection --------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        current = self.table.currentIndex()
        return current.data(ID_ROLE) if current.isValid() else None

    def select(self, integration_id: str | None) -> bool:
        """Make ``integration_id`` the current row (None: no row); False when it is hidden."""
        selection = self.table.selectionModel()
        number = self.model.row_of(integration_id) if integration_id else None
        index = (
            self.proxy.mapFromSource(self.model.index(number, LABEL))
            if number is not None
            else QModelIndex()
        )
        if not index.isValid():
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            return integration_id is None
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def shown_ids(self) -> list[str]:
        """The ids of the rows the filter lets through, top to bottom."""
        proxy = self.proxy
        return [proxy.index(n, LABEL).data(ID_ROLE) for n in range(proxy.rowCount())]

    def shown_labels(self) -> list[str]:
        proxy = self.proxy
        return [proxy.index(n, LABEL).data() for n in range(proxy.rowCount())]

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, LABEL))

    # -- filtering and columns --------------------------------------------------------------

    def set_view(self, view: str, title: str) -> None:
        self._view_title = title
        self.proxy.set_view(view)
        self._refresh_empty_state()

    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._refresh_empty_state()

    def _refresh_empty_state(self) -> None:
        nothing = self.proxy.rowCount() == 0 and self.model.rowCount() > 0
        if nothing:
            where = getattr(self, "_view_title", "All integrations")
            typed = self.search_box.text().strip()
            text = f"Nothing in “{where}” matches “{typed}”." if typed else f"“{where}” is empty."
            if where == "Needs attention" and not typed:
                text = "Nothing needs attention: every integration passed its last check."
            self.no_matches.setText(text)
        self._stack.setCurrentIndex(1 if nothing else 0)

    def refresh_columns(self) -> None:
        """Show the Sync column once anything syncs, the star column once a target is set."""
        self.table.setColumnHidden(SYNC, not self.model.has_sync_states())
        self.table.setColumnHidden(DEFAULT_TARGET, not self.model.has_default_targets())

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        if top.column() <= SYNC <= bottom.column() or top.column() == DEFAULT_TARGET:
            self.refresh_columns()

    # -- remembered layout ------------------------------------------------------------------

    def header_state(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_header(self, state: QByteArray | None) -> None:
        header = self.table.horizontalHeader()
        if state is not None and not state.isEmpty():
            header.restoreState(state)
        header.setSectionsMovable(False)
        # The restored sort indicator does not sort by itself.
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.refresh_columns()
