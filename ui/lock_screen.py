"""What a locked window shows instead of the list and editor, and the idle-time countdown."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui.resources import icon

LOCKED_HEADING = "Integration Vault is locked"


def countdown_text(remaining_s: float | None) -> str:
    """'Locks in 4:59' (or 'Locks in 1:00:00'); empty when auto-lock is off."""
    if remaining_s is None:
        return ""
    total = max(0, math.ceil(remaining_s))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"Locks in {hours}:{minutes:02d}:{seconds:02d}"
    return f"Locks in {minutes}:{seconds:02d}"


class LockScreen(QWidget):
    """A plain panel: the vault is locked, why, and a button to unlock it again."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        picture = QLabel(self)
        picture.setPixmap(icon("vault").pixmap(QSize(64, 64)))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QLabel(LOCKED_HEADING, self)
        heading.setObjectName("dialogHeading")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel(self)
        self.reason.setObjectName("dialogText")
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason.setWordWrap(True)
        self.unlock_button = QPushButton("Unlock…", self)
        self.unlock_button.setToolTip("Enter the master password to show the vault again")
        self.unlock_button.clicked.connect(self.unlock_requested)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(picture)
        layout.addWidget(heading)
        layout.addWidget(self.reason)
        layout.addSpacing(12)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def show_reason(self, text: str, *, can_unlock: bool = True) -> None:
        self.reason.setText(text)
        self.unlock_button.setEnabled(can_unlock)
