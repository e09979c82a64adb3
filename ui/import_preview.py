"""Dialogs for moving integrations in and out: the import preview and the backup password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.transfer import ImportItem
from app.vault_file import short_password_warning
from ui.feedback import as_sentence
from ui.integration_model import provider_title

STATUS_TEXT = {"new": "Will be added", "duplicate": "Skipped", "invalid": "Cannot import"}
COLUMNS = ("#", "Label", "Provider", "What happens")


class ImportPreviewDialog(QDialog):
    """Every record of an import file with what will happen to it; Import adds the new ones."""

    def __init__(self, path: Path, plan: list[ImportItem], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import integrations")
        self.resize(720, 420)
        new = sum(1 for item in plan if item.status == "new")
        duplicates = sum(1 for item in plan if item.status == "duplicate")
        invalid = sum(1 for item in plan if item.status == "invalid")

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setText(
            f"{path.name}: {len(plan)} record(s). {new} will be added, {duplicates} already in "
            f"this vault (same provider, label and key), {invalid} cannot be imported. Nothing "
            "is written until you press Import."
        )
        self.table = QTableWidget(len(plan), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAccessibleName("Records in the file")
        for row, item in enumerate(plan):
            what = STATUS_TEXT.get(item.status, item.status)
            if item.reason:  # field names as the form shows them, not their wire paths
                what = f"{what}: {item.reason.replace('credentials.', '')}"
            cells = (str(item.position), item.label or "(no label)", _provider(item), what)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)  # a reason is a sentence: wrap it rather than cut it

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton(
            f"Import {new}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(new > 0)
        self.import_button.setDefault(new > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """Rows are fitted to their text once the table has its width, not before."""
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def status_of(self, row: int) -> str:
        cell = self.table.item(row, 3)
        return cell.text() if cell is not None else ""


def _provider(item: ImportItem) -> str:
    return provider_title(item.provider) if item.provider else "?"


class BackupPasswordDialog(QDialog):
    """Asks twice for the password a new backup is encrypted with."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backup password")
        self.setMinimumWidth(460)
        explain = QLabel(
            "The backup is encrypted with this password. Type the master password to keep "
            "one password for both, or give the backup its own.",
            self,
        )
        explain.setWordWrap(True)
        self.password = QLineEdit(self)
        self.repeat = QLineEdit(self)
        for edit, name in ((self.password, "Backup password"), (self.repeat, "Repeat")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
            edit.textEdited.connect(lambda _text: self.error.hide())
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()

        fields = QFormLayout()
        fields.addRow("Password", self.password)
        fields.addRow("Repeat", self.repeat)
        fields.addRow("", self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Write backup")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(fields)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Refuse an empty or mistyped password beside the fields; a short one is warned of."""
        text = self.password.text()
        if not text:
            self._refuse("Type a password for the backup.")
        elif text != self.repeat.text():
            self._refuse("The two passwords do not match.")
        elif short_password_warning(text) and self.error.property("warned") != text:
            self.error.setProperty("warned", text)
            advice = as_sentence(short_password_warning(text) or "")
            self._refuse(f"{advice} Press Write backup again to use it.")
        else:
            super().accept()

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """The password typed, or None when the person cancels."""
        dialog = cls(parent)
        return dialog.password.text() if dialog.exec() else None
