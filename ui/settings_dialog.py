"""File › Settings: auto-lock, clipboard clearing and how checks run, saved in the vault."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import InvalidInput, UserFacingError
from app.settings import AppSettings, parse_settings, save_settings
from app.vault import Vault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Field:
    name: str
    title: str
    low: int
    high: int
    suffix: str
    help: str
    off: str = ""  # what 0 shows as, when 0 means "off"


FIELDS = (
    _Field(
        "auto_lock_minutes",
        "Lock after",
        0,
        1440,
        " min without activity",
        "The window hides everything and asks for the master password again.",
        off="Never",
    ),
    _Field(
        "clipboard_clear_seconds",
        "Clear copied secrets after",
        0,
        3600,
        " s",
        "A secret copied from the vault is taken off the clipboard after this long.",
        off="Never",
    ),
    _Field(
        "check_timeout_seconds",
        "Check time-out",
        1,
        300,
        " s",
        "How long one call to a provider may take before the check fails as a time-out.",
    ),
    _Field(
        "check_concurrency",
        "Checks at once",
        1,
        32,
        "",
        "How many integrations Verify all checks at the same time.",
    ),
)


class SettingsDialog(QDialog):
    """Shows the vault's settings; Save validates them and writes them into the vault."""

    settings_saved = Signal(object)  # AppSettings

    def __init__(self, vault: Vault, current: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self.setWindowTitle("Settings")
        self.setMinimumWidth(480)
        self.spins: dict[str, QSpinBox] = {}
        self.errors: dict[str, QLabel] = {}

        intro = QLabel("These settings are kept inside the encrypted vault.", self)
        intro.setObjectName("dialogText")
        form = QFormLayout()
        form.setVerticalSpacing(10)
        for field in FIELDS:
            form.addRow(field.title, self._row(field))

        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.defaults_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.clicked.connect(lambda: self.show_settings(AppSettings()))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.show_settings(current)

    def _row(self, field: _Field) -> QWidget:
        column = QWidget(self)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        spin = QSpinBox(column)
        spin.setRange(field.low, field.high)
        spin.setSuffix(field.suffix)
        spin.setAccessibleName(field.title)
        if field.off:
            spin.setSpecialValueText(field.off)
        error = QLabel(column)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        help_label = QLabel(field.help, column)
        help_label.setObjectName("fieldHelp")
        help_label.setWordWrap(True)
        box.addWidget(spin)
        box.addWidget(error)
        box.addWidget(help_label)
        self.spins[field.name] = spin
        self.errors[field.name] = error
        return column

    def show_settings(self, settings: AppSettings) -> None:
        for name, spin in self.spins.items():
            spin.setValue(int(getattr(settings, name)))

    def chosen(self) -> AppSettings:
        """The values shown, validated; raises ``InvalidInput`` naming each bad one."""
        return parse_settings({name: spin.value() for name, spin in self.spins.items()})

    def save(self) -> None:
        """Validate, write into the vault and close; problems stay beside their fields."""
        for label in (*self.errors.values(), self.error):
            label.hide()
        try:
            settings = self.chosen()
        except InvalidInput as exc:
            for problem in exc.problems:
                label = self.errors.get(problem.field, self.error)
                label.setText(problem.message)
                label.show()
            return
        try:
            save_settings(self._vault, settings)
        except UserFacingError as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.show()
            return
        self.settings_saved.emit(settings)
        self.accept()
