"""Which rows the list shows: one side-list view, narrowed by what was typed in search."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from ui.integration_model import SHOW_ALL, Index, IntegrationTableModel


class IntegrationFilterProxy(QSortFilterProxyModel):
    """Shows the rows of one side-list view whose search text holds what was typed.

    Sorting is the source model's job (see the module docstring); ``sort`` passes it on.
    """

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self._view = SHOW_ALL
        self._needle = ""

    @property
    def view(self) -> str:
        return self._view

    @property
    def search(self) -> str:
        return self._needle

    def set_view(self, view: str) -> None:
        if view != self._view:
            self.beginFilterChange()
            self._view = view
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        needle = " ".join(text.split()).casefold()
        if needle != self._needle:
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Filter again: the rows' search texts or states changed under the same filter."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, IntegrationTableModel):
            return True
        if self._needle and self._needle not in model.search_text(source_row):
            return False
        return self._view == SHOW_ALL or model.shows(source_row, self._view)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)
