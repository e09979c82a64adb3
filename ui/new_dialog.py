"""The "New integration" dialog: pick a platform, then one of its providers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

import providers
from providers.base import PLATFORM_TITLES, ProviderSpec
from ui.resources import icon

PLATFORM_HINTS = {
    "cloud": "where screenshots are exported to",
    "helpcenter": "where articles and screenshots are imported from",
}
SPEC_ROLE = Qt.ItemDataRole.UserRole + 1


class NewIntegrationDialog(QDialog):
    """Asks for the platform first, then lists that platform's providers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New integration")
        self.setMinimumWidth(420)

        self._platforms = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>1.</b> What kind of integration?", self))
        for number, (platform, title) in enumerate(PLATFORM_TITLES.items()):
            button = QRadioButton(f"{title} — {PLATFORM_HINTS.get(platform, '')}", self)
            button.setProperty("platform", platform)
            self._platforms.addButton(button, number)
            layout.addWidget(button)
        self._platforms.idToggled.connect(self._on_platform_toggled)

        layout.addSpacing(8)
        layout.addWidget(QLabel("<b>2.</b> Which provider?", self))
        self.provider_list = QListWidget(self)
        self.provider_list.setAccessibleName("Provider")
        self.provider_list.itemDoubleClicked.connect(self.accept)
        self.provider_list.setSpacing(2)
        self.provider_list.currentItemChanged.connect(self._refresh_ok)
        layout.addWidget(self.provider_list)
        self._summary = QLabel(self)
        self._summary.setObjectName("dialogText")
        self._summary.setWordWrap(True)
        layout.addWidget(self._summary)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self._platforms.button(0).setChecked(True)

    def choose_platform(self, platform: str) -> None:
        for button in self._platforms.buttons():
            if button.property("platform") == platform:
                button.setChecked(True)

    def choose_provider(self, name: str) -> None:
        for row in range(self.provider_list.count()):
            item = self.provider_list.item(row)
            if item.data(SPEC_ROLE) == name:
                self.provider_list.setCurrentItem(item)

    def chosen(self) -> ProviderSpec | None:
        item = self.provider_list.currentItem()
        return providers.get(item.data(SPEC_ROLE)) if item is not None else None

    def providers_shown(self) -> list[str]:
        return [
            self.provider_list.item(r).data(SPEC_ROLE) for r in range(self.provider_list.count())
        ]

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()

    def _on_platform_toggled(self, number: int, checked: bool) -> None:
        if not checked:
            return
        platform = self._platforms.button(number).property("platform")
        self.provider_list.clear()
        for spec in providers.by_platform(platform):
            item = QListWidgetItem(icon(f"provider-{spec.name}"), spec.title, self.provider_list)
            item.setData(SPEC_ROLE, spec.name)
            item.setToolTip(spec.summary)
        self.provider_list.setCurrentRow(0)
        self._refresh_ok()

    def _refresh_ok(self) -> None:
        spec = self.chosen()
        self._summary.setText(spec.summary if spec else "")
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(spec is not None)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> ProviderSpec | None:
        """Show the dialog; the chosen provider, or None when cancelled."""
        dialog = cls(parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
