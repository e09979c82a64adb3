"""The list of integrations as a Qt table model, and the proxy that sorts and filters it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon

import providers
from app import timefmt
from app.models import CheckRecord, IntegrationRow
from providers.base import PLATFORM_TITLES
from ui.resources import icon

LABEL, PROVIDER, PLATFORM, LAST_CHECK, CHECKED = range(5)
COLUMN_TITLES = ("Label", "Provider", "Platform", "Last check", "Checked")

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the integration id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a value that sorts the column sensibly

NOT_CHECKED = "Not checked"

Index = QModelIndex | QPersistentModelIndex


def provider_title(name: str) -> str:
    spec = providers.get(name)
    return spec.title if spec else name


def platform_title(platform: str) -> str:
    return PLATFORM_TITLES.get(platform, platform)


def check_summary(check: CheckRecord | None) -> str:
    """'OK', 'Failed: auth' or 'Not checked'."""
    if check is None:
        return NOT_CHECKED
    if check.ok:
        return "OK"
    return f"Failed: {check.category.replace('_', ' ')}"


def check_icon(check: CheckRecord | None) -> QIcon:
    if check is None:
        return icon("check-none")
    return icon("check-ok" if check.ok else "check-failed")


def local_time_text(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class IntegrationTableModel(QAbstractTableModel):
    """Plain ``IntegrationRow`` values, one per integration; never a database handle."""

    def __init__(
        self,
        rows: Iterable[IntegrationRow] = (),
        clock: Callable[[], datetime] = timefmt.now,
        parent: object = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[IntegrationRow] = list(rows)
        self._clock = clock

    # -- the Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_TITLES[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == LAST_CHECK:
            return check_icon(row.last_check)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    # -- reading and changing rows ----------------------------------------------------------

    def row_at(self, row: int) -> IntegrationRow:
        return self._rows[row]

    def row_of(self, integration_id: str) -> int | None:
        """The row number showing ``integration_id``, or None."""
        for number, row in enumerate(self._rows):
            if row.id == integration_id:
                return number
        return None

    def put(self, row: IntegrationRow) -> int:
        """Show ``row``: replace the row with its id in place, or append it. Returns its row."""
        number = self.row_of(row.id)
        if number is None:
            number = len(self._rows)
            self.beginInsertRows(QModelIndex(), number, number)
            self._rows.append(row)
            self.endInsertRows()
            return number
        self._rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMN_TITLES) - 1))
        return number

    def remove(self, integration_id: str) -> bool:
        number = self.row_of(integration_id)
        if number is None:
            return False
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        self.endRemoveRows()
        return True

    def refresh_ages(self) -> None:
        """Re-read the 'Checked' column so '5 min ago' keeps telling the truth."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, CHECKED), self.index(last, CHECKED))

    # -- what each cell shows ---------------------------------------------------------------

    def _display(self, row: IntegrationRow, column: int) -> str:
        if column == LABEL:
            return row.label
        if column == PROVIDER:
            return provider_title(row.provider)
        if column == PLATFORM:
            return platform_title(row.platform)
        if column == LAST_CHECK:
            return check_summary(row.last_check)
        if row.last_check is None:
            return "—"
        return timefmt.age_text(row.last_check.checked_at, self._clock())

    def _sort_key(self, row: IntegrationRow, column: int) -> object:
        if column == CHECKED:
            check = row.last_check
            return check.checked_at.timestamp() if check else 0.0
        if column == LAST_CHECK:
            # Failures first when ascending: they are what a person wants to look at.
            check = row.last_check
            rank = 2 if check is None else (1 if check.ok else 0)
            return f"{rank}{check_summary(check).lower()}"
        return self._display(row, column).lower()

    def _tooltip(self, row: IntegrationRow, column: int) -> str | None:
        check = row.last_check
        if column == LAST_CHECK and check is not None:
            return check.message
        if column == CHECKED and check is not None:
            return local_time_text(check.checked_at)
        if column == LABEL:
            return row.label
        return None


class IntegrationSortProxy(QSortFilterProxyModel):
    """Sorts by each column's sort key and filters on any column's text."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setFilterRole(Qt.ItemDataRole.DisplayRole)
