"""The dialog for a bug: a plain apology, the redacted details, and 'Copy details'."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

BUG_MESSAGE = (
    "Something went wrong inside Integration Vault — a bug, not something you did. "
    "Your vault is unchanged unless you saw it saved. The details below (secrets removed) "
    "are also in the log file; please send them with a short note of what you were doing."
)


class ErrorDialog(QDialog):
    """One dialog collects every unexpected error until it is closed."""

    def __init__(self, log_hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Integration Vault — unexpected error")
        self.setMinimumSize(560, 380)
        self._count = 0

        sign = QLabel(self)
        sign.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40)
        )
        self.message = QLabel(BUG_MESSAGE + (f"\n\nLog file: {log_hint}" if log_hint else ""))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(sign, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.message, 1)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("errorDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("Copy the details (secrets removed) to paste into a report")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def add_error(self, details: str) -> None:
        """Add one more error's details (already redacted)."""
        self._count += 1
        if self._count > 1:
            self.setWindowTitle(f"Integration Vault — {self._count} unexpected errors")
            self.details.appendPlainText("\n" + "─" * 60 + "\n")
        self.details.appendPlainText(details)

    @property
    def error_count(self) -> int:
        return self._count

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Copied")
