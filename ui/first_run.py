"""What an empty vault shows: three short steps and an 'Add your first integration' button."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.resources import icon

TITLE = "Your vault is empty"
STEPS = (
    "<b>Add an integration</b>: a cloud storage bucket (Amazon S3, Cloudflare R2) that "
    "screenshots are exported to, or a help center (Zendesk, Intercom, Help Scout, …) that "
    "articles are imported from.",
    "<b>Fill in the form.</b> Each field says where to find its value in the provider's "
    "console. Secrets are stored encrypted in this vault.",
    "<b>Press Verify</b> (Ctrl+R) to learn straight away whether the credentials work, and "
    "what to do when they do not.",
)
STEPS_WIDTH = 500


class FirstRunGuide(QWidget):
    """Shown instead of the list and editor while the vault holds no integration."""

    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")

        logo = QLabel(self)
        logo.setPixmap(icon("vault").pixmap(QSize(64, 64)))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(TITLE, self)
        title.setObjectName("firstRunTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.steps = QWidget(self)
        self.steps.setFixedWidth(STEPS_WIDTH)
        grid = QGridLayout(self.steps)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        for number, text in enumerate(STEPS, 1):
            mark = QLabel(f"<b>{number}.</b>", self.steps)
            mark.setObjectName("firstRunText")
            step = QLabel(text, self.steps)
            step.setObjectName("firstRunText")
            step.setTextFormat(Qt.TextFormat.RichText)
            step.setWordWrap(True)
            grid.addWidget(mark, number, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(step, number, 1)

        self.add_button = QPushButton(icon("new"), "Add your first integration", self)
        self.add_button.setObjectName("firstRunButton")
        self.add_button.setToolTip("Choose the platform, then the provider (Ctrl+N)")
        self.add_button.setAutoDefault(True)
        self.add_button.clicked.connect(self.add_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(14)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addWidget(title)
        centred = QHBoxLayout()  # not an alignment flag: that would ignore the wrapped height
        centred.addStretch(1)
        centred.addWidget(self.steps)
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(6)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.setFocusProxy(self.add_button)
