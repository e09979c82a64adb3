"""The list of integrations as a Qt table model (``ui.integration_filter`` filters it).

Sorting happens here, in the model, on plain Python keys: a ``QSortFilterProxyModel``
sorting 10,000 rows would ask Python for every comparison and take seconds per keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

import providers
from app import timefmt
from app.models import CheckRecord, Integration, IntegrationRow, is_stale
from providers.base import PLATFORM_TITLES
from ui.palette import accents
from ui.resources import icon
from ui.status_badge import RANK, Status, kind_of, needs_attention, status_of

DEFAULT_TARGET, LABEL, PROVIDER, STATUS, CHECKED, SYNC = range(6)
COLUMN_TITLES = ("★", "Label", "Provider", "Status", "Checked", "Sync")
COLUMN_TIPS = (
    "Default export target",
    "The name you gave the integration",
    "The service the credentials belong to",
    "The result of the last check: OK, Failed (with its reason), Stale or Not checked",
    "When the last check ran",
    "Whether the integration is mirrored to the team's server",
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the integration id of a row
STATUS_KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # ok / failed / stale / none / checking

# What the side list can show.
SHOW_ALL, SHOW_CLOUD, SHOW_HELPCENTER, SHOW_ATTENTION = "all", "cloud", "helpcenter", "attention"

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


def search_details(integration: Integration) -> str:
    """The non-secret credential values of ``integration`` (bucket, subdomain…), for search."""
    secret = set(integration.credentials.secret_fields())
    wire = integration.credentials.to_wire()
    return " ".join(str(value) for name, value in wire.items() if name not in secret and value)


def provider_icon(name: str) -> QIcon:
    return icon(f"provider-{name}")


class IntegrationTableModel(QAbstractTableModel):
    """Plain ``IntegrationRow`` values, one per integration; never a database handle.

    Beside each row the model keeps its search text: label, provider and platform titles,
    and the non-secret credential values given by ``set_details`` (never a secret).
    """

    def __init__(
        self,
        rows: Iterable[IntegrationRow] = (),
        clock: Callable[[], datetime] = timefmt.now,
        parent: object = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[IntegrationRow] = []
        self._search: list[str] = []
        self._details: dict[str, str] = {}
        self._busy: set[str] = set()
        self._targets: set[str] = set()
        self._sort: tuple[int, Qt.SortOrder] = (LABEL, Qt.SortOrder.AscendingOrder)
        self.set_rows(rows)

    # -- the Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_TITLES[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
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
        if role == STATUS_KIND_ROLE:
            return self._status(row).kind
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return provider_icon(row.provider)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DEFAULT_TARGET:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by ``column``; selections follow their rows."""
        self._sort = (column, order)
        now = self._clock()
        keyed = sorted(
            range(len(self._rows)),
            key=lambda n: self._sort_key(self._rows[n], column, now),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        if keyed == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        moved_to = {old: new for new, old in enumerate(keyed)}
        before = self.persistentIndexList()
        after = [self.index(moved_to[i.row()], i.column()) for i in before]
        self._rows = [self._rows[n] for n in keyed]
        self._search = [self._search[n] for n in keyed]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def resort(self) -> None:
        """Sort again by the last column and order, after rows were added or changed."""
        self.sort(*self._sort)

    # -- reading and changing rows ----------------------------------------------------------

    def set_rows(self, rows: Iterable[IntegrationRow]) -> None:
        """Show ``rows`` instead of whatever was shown (a vault was just opened)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [self._search_text(row) for row in self._rows]
        self._busy &= {row.id for row in self._rows}
        self.endResetModel()
        self.resort()

    def row_at(self, row: int) -> IntegrationRow:
        return self._rows[row]

    def rows(self) -> list[IntegrationRow]:
        return list(self._rows)

    def row_of(self, integration_id: str) -> int | None:
        """The row number showing ``integration_id``, or None."""
        for number, row in enumerate(self._rows):
            if row.id == integration_id:
                return number
        return None

    def find(self, integration_id: str) -> IntegrationRow | None:
        number = self.row_of(integration_id)
        return None if number is None else self._rows[number]

    def put(self, row: IntegrationRow) -> int:
        """Show ``row``: replace the row with its id in place, or append it. Returns its row."""
        number = self.row_of(row.id)
        if number is None:
            number = len(self._rows)
            self.beginInsertRows(QModelIndex(), number, number)
            self._rows.append(row)
            self._search.append(self._search_text(row))
            self.endInsertRows()
            return number
        self._rows[number] = row
        self._search[number] = self._search_text(row)
        self._row_changed(number)
        return number

    def put_check(self, integration_id: str, record: CheckRecord) -> bool:
        """Show ``record`` as the last check of ``integration_id``; False when it is gone."""
        number = self.row_of(integration_id)
        if number is None:
            return False
        self._rows[number] = replace(self._rows[number], last_check=record)
        self._busy.discard(integration_id)
        self._row_changed(number)
        return True

    def remove(self, integration_id: str) -> bool:
        number = self.row_of(integration_id)
        if number is None:
            return False
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        del self._search[number]
        self.endRemoveRows()
        self._busy.discard(integration_id)
        return True

    def refresh_ages(self) -> None:
        """Re-read status and age so '5 min ago' and 'Stale' keep telling the truth."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, STATUS), self.index(last, CHECKED))

    # -- busy rows, default targets and search details --------------------------------------

    def set_busy(self, ids: Iterable[str], busy: bool) -> None:
        """Mark rows as being checked (their status reads 'Checking…') or not."""
        changed = set(ids) - self._busy if busy else set(ids) & self._busy
        if not changed:
            return
        if busy:
            self._busy |= changed
        else:
            self._busy -= changed
        numbers = [n for n, row in enumerate(self._rows) if row.id in changed]
        if numbers:
            top, bottom = self.index(min(numbers), STATUS), self.index(max(numbers), STATUS)
            self.dataChanged.emit(top, bottom)

    def is_busy(self, integration_id: str) -> bool:
        return integration_id in self._busy

    def busy_ids(self) -> set[str]:
        return set(self._busy)

    def set_default_targets(self, ids: Iterable[str]) -> None:
        """Star the integrations in ``ids`` (the default export targets)."""
        self._targets = set(ids)
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, DEFAULT_TARGET), self.index(last, DEFAULT_TARGET))

    def has_default_targets(self) -> bool:
        return bool(self._targets)

    def set_details(self, details: dict[str, str]) -> None:
        """Non-secret credential values per integration id, for searching (never secrets)."""
        self._details.update(details)
        self._search = [self._search_text(row) for row in self._rows]

    def search_text(self, number: int) -> str:
        return self._search[number]

    def has_sync_states(self) -> bool:
        """Whether any row is more than 'local only' (the Sync column is worth showing)."""
        return any(row.sync_state != "local" or row.sync_error for row in self._rows)

    def shows(self, number: int, view: str) -> bool:
        """Whether row ``number`` belongs in the side list's ``view``."""
        row = self._rows[number]
        if view == SHOW_ALL:
            return True
        if view == SHOW_ATTENTION:
            return needs_attention(kind_of(row.last_check, self._clock(), row.id in self._busy))
        return row.platform == view

    def counts(self) -> dict[str, int]:
        """How many rows each view of the side list shows."""
        now = self._clock()
        counts = dict.fromkeys((SHOW_ALL, SHOW_CLOUD, SHOW_HELPCENTER, SHOW_ATTENTION), 0)
        for row in self._rows:
            counts[SHOW_ALL] += 1
            counts[row.platform] = counts.get(row.platform, 0) + 1
            if needs_attention(kind_of(row.last_check, now, row.id in self._busy)):
                counts[SHOW_ATTENTION] += 1
        return counts

    def _row_changed(self, number: int) -> None:
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMN_TITLES) - 1))

    def _search_text(self, row: IntegrationRow) -> str:
        parts = (
            row.label,
            provider_title(row.provider),
            platform_title(row.platform),
            self._details.get(row.id, ""),
        )
        return " ".join(parts).casefold()

    # -- what each cell shows ---------------------------------------------------------------

    def _status(self, row: IntegrationRow) -> Status:
        return status_of(row.last_check, self._clock(), row.id in self._busy)

    def _display(self, row: IntegrationRow, column: int) -> str:
        if column == LABEL:
            return row.label
        if column == PROVIDER:
            return provider_title(row.provider)
        if column == STATUS:
            return self._status(row).text
        if column == SYNC:
            return row.sync_display
        if column == DEFAULT_TARGET:
            return "★" if row.id in self._targets else ""
        if row.last_check is None:
            return "—"
        return timefmt.age_text(row.last_check.checked_at, self._clock())

    def _sort_key(self, row: IntegrationRow, column: int, now: datetime) -> tuple[object, ...]:
        label = row.label.casefold()
        if column == CHECKED:
            check = row.last_check
            return (check.checked_at.timestamp() if check else 0.0, label)
        if column == STATUS:
            kind = kind_of(row.last_check, now, row.id in self._busy)
            category = row.last_check.category if row.last_check else ""
            return (RANK[kind], category, label)
        if column == DEFAULT_TARGET:
            return (row.id not in self._targets, label)
        if column == LABEL:
            return (label,)
        return (self._display(row, column).casefold(), label)

    def _tooltip(self, row: IntegrationRow, column: int) -> str | None:
        check = row.last_check
        if column == STATUS:
            return self._status(row).tip
        if column == CHECKED and check is not None:
            tip = local_time_text(check.checked_at)
            if is_stale(check.checked_at, self._clock()):
                tip += " — older than 30 days (stale)"
            return tip
        if column == LABEL:
            return f"{row.label}\n{provider_title(row.provider)} · {platform_title(row.platform)}"
        if column == SYNC:
            return row.sync_display
        if column == DEFAULT_TARGET and row.id in self._targets:
            return "Default export target"
        return None

    def _foreground(self, row: IntegrationRow, column: int) -> QColor | None:
        check = row.last_check
        if column == CHECKED and check is not None and is_stale(check.checked_at, self._clock()):
            return QColor(accents().stale)
        if column == SYNC and (row.sync_error or row.sync_state == "conflict"):
            return QColor(accents().failed)
        if column == DEFAULT_TARGET:
            return QColor(accents().star)
        return None
