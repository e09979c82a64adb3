"""The left half of the window: a search box over the sortable table of integrations."""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QKeyEvent
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
from ui.status_badge import StatusBadgeDelegate, bolder

SEARCH_HINT = "Search labels, providers, buckets, subdomains… (Ctrl+F)"
STAR_WIDTH = 30
LABEL_AT_LEAST = 150  # before the label gets narrower, the status badges elide
STATUS_AT_LEAST = 90
SYNC_AT_MOST, SYNC_AT_LEAST = 170, 90
CELL_PADDING = 16  # a plain cell's text margins, either side, with room to breathe
CONTENT_SIZED = (PROVIDER, STATUS, CHECKED, SYNC)


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

        # Columns are fitted once per burst of changes (resizes, results of 'Verify all').
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(30)
        self._refit.timeout.connect(self.fit_columns)
        self._sizing_by_code = False
        self.sized_by_hand = False  # a person dragged a column edge: keep their widths
        self.table = self._build_table()
        self.table.viewport().installEventFilter(self)
        self.table.horizontalHeader().sectionResized.connect(self._on_section_resized)
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
        self._badges = StatusBadgeDelegate(STATUS_KIND_ROLE, table)
        table.setItemDelegateForColumn(STATUS, self._badges)

        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # 10,000 rows stay quick
        rows.setDefaultSectionSize(table.fontMetrics().height() + 14)

        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(28)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        _set_resize_modes(header)
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
        self._refit.start()  # after the rows are laid out: only shown rows are measured

    def fit_columns(self) -> None:
        """Size the columns to their content and let the label take the rest of the width.

        Fixed widths added up to more than the panel once the star column showed, which
        brought a horizontal scroll bar and pushed "Checked" off the edge. When the panel
        is narrow the status column gives way first: its badges elide, the label stays.
        Once a person sizes a column by hand (or a remembered layout is restored), their
        widths stand (remembered as such) and only the label keeps stretching.
        """
        if self.sized_by_hand:
            return
        table, header = self.table, self.table.horizontalHeader()
        widths = {
            column: max(self._content_width(column), header.sectionSizeHint(column))
            for column in CONTENT_SIZED
            if not table.isColumnHidden(column)
        }
        if SYNC in widths:  # a sync error is a sentence: its tooltip has it whole
            widths[SYNC] = min(widths[SYNC], SYNC_AT_MOST)
        star = 0 if table.isColumnHidden(DEFAULT_TARGET) else STAR_WIDTH
        short = star + sum(widths.values()) + LABEL_AT_LEAST - table.viewport().width()
        # Short of room, the sync state gives way first, then the status badges.
        for column, least in ((SYNC, SYNC_AT_LEAST), (STATUS, STATUS_AT_LEAST)):
            if short > 0 and column in widths:
                given = min(short, max(0, widths[column] - least))
                widths[column] -= given
                short -= given
        self._sizing_by_code = True
        try:
            for column, width in widths.items():
                header.resizeSection(column, width)
        finally:
            self._sizing_by_code = False

    def _content_width(self, column: int) -> int:
        """The widest text of ``column`` among the rows on screen.

        Measured from the few distinct texts a column shows (a badge, an age, a provider),
        not cell by cell: this runs as each result of 'Verify all' arrives, on the GUI
        thread, and asking the view for every cell's size hint took tens of milliseconds.
        """
        table = self.table
        shown = table.model()
        first = max(0, table.rowAt(0))
        last = table.rowAt(table.viewport().height() - 1)
        last = shown.rowCount() - 1 if last < 0 else last
        texts = {str(shown.index(row, column).data() or "") for row in range(first, last + 1)}
        if column == STATUS:
            metrics = QFontMetrics(bolder(table.font()))
            return max((self._badges.width_for(text, metrics) for text in texts), default=0)
        metrics = table.fontMetrics()
        return max((metrics.horizontalAdvance(text) for text in texts), default=0) + CELL_PADDING

    def _on_section_resized(self, column: int, old: int, new: int) -> None:
        # Hiding or showing a column resizes it from or to 0: that is not a person's choice.
        if not self._sizing_by_code and column in CONTENT_SIZED and old and new:
            self.sized_by_hand = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._refit.start()
        return super().eventFilter(watched, event)

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        if top.column() <= SYNC <= bottom.column() or top.column() == DEFAULT_TARGET:
            self.refresh_columns()
        elif top.column() <= STATUS <= bottom.column():
            self._refit.start()

    # -- remembered layout ------------------------------------------------------------------

    def header_state(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_header(self, state: QByteArray | None, sized_by_hand: bool = False) -> None:
        """Bring back last time's columns; widths a person chose stay, fitted ones refit."""
        header = self.table.horizontalHeader()
        if state is not None and not state.isEmpty():
            self._sizing_by_code = True
            try:
                header.restoreState(state)
            finally:
                self._sizing_by_code = False
            self.sized_by_hand = sized_by_hand
        _set_resize_modes(header)  # a saved state brings back the modes it was saved with
        # The restored sort indicator does not sort by itself.
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.refresh_columns()


def _set_resize_modes(header: QHeaderView) -> None:
    """The label stretches; the others are fitted by ``fit_columns`` and may be dragged."""
    header.setSectionsMovable(False)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(DEFAULT_TARGET, QHeaderView.ResizeMode.Fixed)
    header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
    header.resizeSection(DEFAULT_TARGET, STAR_WIDTH)
