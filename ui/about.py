"""The About dialog: what this is, and the versions a bug report needs."""

from __future__ import annotations

import functools
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

import app
from app import vault_file
from ui.resources import icon

ABOUT_TEXT = (
    "Keeps the credentials of the cloud storage and help centers your screenshot service "
    "works with, encrypted in one file, and checks that they still work."
)


@functools.cache
def sqlcipher_version() -> str:
    try:
        return vault_file.sqlcipher_version()
    except Exception:  # the dialog must open even without the library
        return "unknown"


def versions() -> list[tuple[str, str]]:
    """(name, version) of the app and what it runs on, for the dialog and crash details."""
    return [
        ("Integration Vault", app.__version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("SQLCipher", sqlcipher_version()),
        ("System", f"{platform.system()} {platform.release()} ({platform.machine()})"),
    ]


def versions_text() -> str:
    return "\n".join(f"{name}: {value}" for name, value in versions())


class AboutDialog(QDialog):
    """Name, purpose, versions, vault and log locations, with a button to copy them."""

    def __init__(
        self,
        vault_path: Path | None = None,
        log_file: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Integration Vault")
        self.setMinimumWidth(460)

        logo = QLabel(self)
        logo.setPixmap(icon("vault").pixmap(QSize(56, 56)))
        title = QLabel(f"Integration Vault {app.__version__}", self)
        title.setObjectName("dialogHeading")
        text = QLabel(ABOUT_TEXT, self)
        text.setObjectName("dialogText")
        text.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(title)
        heading.addWidget(text)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self._lines = versions()
        if vault_path is not None:
            self._lines.append(("Vault", str(vault_path)))
        if log_file is not None:
            self._lines.append(("Log file", str(log_file)))
        table = QFormLayout()
        table.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for name, value in self._lines:
            shown = QLabel(value, self)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            table.addRow(f"{name}:", shown)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(
            "Copy versions", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setToolTip("Copy these lines, to paste into a bug report")
        self.copy_button.clicked.connect(self.copy_versions)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(table)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(f"{name}: {value}" for name, value in self._lines)

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy_button.setText("Copied")
