"""The side list: all integrations, one platform, or those needing attention, with counts."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ui.integration_model import SHOW_ALL, SHOW_ATTENTION, SHOW_CLOUD, SHOW_HELPCENTER
from ui.resources import icon

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1

# (view, title, icon, tooltip) in the order shown.
VIEWS = (
    (SHOW_ALL, "All integrations", "all", "Every integration in the vault"),
    (SHOW_CLOUD, "Cloud storage", "cloud", "Export targets: Amazon S3 and Cloudflare R2"),
    (SHOW_HELPCENTER, "Help centers", "helpcenter", "Zendesk, Intercom, Help Scout and others"),
    (
        SHOW_ATTENTION,
        "Needs attention",
        "attention",
        "Failed, never checked, or last checked more than 30 days ago",
    ),
)
VIEW_TITLES = {view: title for view, title, _icon, _tip in VIEWS}


class ViewList(QListWidget):
    """Choosing an entry filters the integration list; each entry shows how many it holds."""

    view_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("viewList")
        self.setAccessibleName("Show")
        self.setIconSize(QSize(18, 18))
        self.setUniformItemSizes(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for view, title, icon_name, tip in VIEWS:
            item = QListWidgetItem(icon(icon_name), title, self)
            item.setData(VIEW_ROLE, view)
            item.setToolTip(tip)
        self.setCurrentRow(0)
        self.currentItemChanged.connect(self._on_current_changed)

    def current_view(self) -> str:
        item = self.currentItem()
        return str(item.data(VIEW_ROLE)) if item is not None else SHOW_ALL

    def choose(self, view: str) -> None:
        for number in range(self.count()):
            if self.item(number).data(VIEW_ROLE) == view:
                self.setCurrentRow(number)
                return

    def show_counts(self, counts: dict[str, int]) -> None:
        """'Needs attention  3': each entry's title with the number of rows it shows."""
        for number in range(self.count()):
            item = self.item(number)
            view = str(item.data(VIEW_ROLE))
            count = counts.get(view, 0)
            item.setText(f"{VIEW_TITLES[view]}  ({count})")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{VIEW_TITLES[view]}, {count}")

    def title_of(self, view: str) -> str:
        return VIEW_TITLES.get(view, view)

    def sizeHint(self) -> QSize:
        return QSize(190, super().sizeHint().height())

    def _on_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is not None:
            self.view_chosen.emit(str(current.data(VIEW_ROLE)))
