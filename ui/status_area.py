"""The status bar: messages, background work with its progress and Cancel, the vault path.

Other parts of the window (the lock countdown) add widgets with ``add_permanent``; they
sit between the background work and the vault path.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStatusBar,
    QToolButton,
    QWidget,
)

from ui.elided_label import ElidedLabel
from ui.resources import icon

VAULT_PATH_WIDEST = 240
# While a message needs the room, shortened labels give up all but this much of theirs.
COMPACT_WIDEST = 110


def home_relative(path: Path) -> str:
    """``~/...`` for paths under the home folder, the full path otherwise."""
    try:
        return "~/" + str(path.expanduser().resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


class StatusArea(QObject):
    """Owns the status bar's widgets; the window tells it what is going on."""

    cancel_requested = Signal()
    undo_requested = Signal()

    def __init__(self, bar: QStatusBar, vault_path: Path) -> None:
        super().__init__(bar)
        self.bar = bar

        self.work = QWidget(bar)
        self.work_label = QLabel(self.work)
        self.work_label.setObjectName("workLabel")
        self.progress = QProgressBar(self.work)
        self.progress.setFixedWidth(160)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress of the checks")
        self.cancel_button = QToolButton(self.work)
        self.cancel_button.setIcon(icon("stop"))
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setToolTip("Stop waiting for the checks; late results are dropped (Esc)")
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self.work)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(6)
        row.addWidget(self.work_label)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        self.work.hide()

        self.undo_button = QToolButton(bar)
        self.undo_button.setIcon(icon("undo"))
        self.undo_button.setText("Undo")
        self.undo_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.undo_button.setAutoRaise(True)
        self.undo_button.clicked.connect(self.undo_requested)
        self.undo_button.hide()
        bar.messageChanged.connect(self._on_message_changed)

        # The middle of a path says least about which vault it is.
        self.vault_label = ElidedLabel(VAULT_PATH_WIDEST, Qt.TextElideMode.ElideMiddle, bar)
        self.vault_label.setObjectName("vaultPath")
        self.vault_label.set_full_text(f"Vault: {home_relative(vault_path)}", str(vault_path))
        self.vault_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Permanent widgets, left to right: Undo, background work, added ones, vault path.
        self._added: list[QWidget] = []
        bar.addPermanentWidget(self.undo_button)
        bar.addPermanentWidget(self.work)
        bar.addPermanentWidget(self.vault_label)

    def add_permanent(self, widget: QWidget, stretch: int = 0) -> None:
        """Put ``widget`` on the right, before the vault path (e.g. the lock countdown)."""
        self.bar.insertPermanentWidget(2 + len(self._added), widget, stretch)
        self._added.append(widget)

    def say(self, message: str, timeout_ms: int = 6000) -> None:
        """Show ``message`` for a while; it replaces an Undo offer."""
        self.undo_button.hide()
        self.bar.showMessage(message, timeout_ms)

    def offer_undo(self, message: str, tip: str) -> None:
        """Say what was done, with an Undo button beside it while the message shows."""
        self.bar.showMessage(message, 15_000)
        self.undo_button.setToolTip(tip)
        self.undo_button.show()

    def show_work(self, text: str, done: int = 0, total: int = 0) -> None:
        """Background work: ``total`` 0 means no count is known (a moving bar)."""
        self.work_label.setText(text)
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setAccessibleDescription(f"{done} of {total}" if total else text)
        self.work.show()

    def hide_work(self) -> None:
        self.work.hide()

    @property
    def working(self) -> bool:
        return not self.work.isHidden()

    def _on_message_changed(self, message: str) -> None:
        if not message:
            self.undo_button.hide()
        self._make_room(message)

    def _make_room(self, message: str) -> None:
        """Shorten the permanent labels while a message needs their room; give it back after.

        Permanent widgets keep their width while a message shows, and the message is cut
        where they begin: a status tip read "results appear row by r" beside empty space.
        """
        compact = bool(message) and self._message_room() < self._message_width(message)
        for widget in [*self._added, self.vault_label]:
            if isinstance(widget, ElidedLabel):
                widget.set_compact(COMPACT_WIDEST if compact else None)

    def _message_width(self, message: str) -> int:
        return self.bar.fontMetrics().horizontalAdvance(message) + 24

    def _message_room(self) -> int:
        """The message's room when the labels are as wide as they are without a message."""
        taken = 0
        for widget in [self.undo_button, self.work, *self._added, self.vault_label]:
            if widget.isHidden():
                continue
            wanted = widget.sizeHint().width()
            if isinstance(widget, ElidedLabel):
                wanted = min(widget.full_width(), widget.widest)
            taken += wanted + 6  # the status bar's spacing around each widget
        return self.bar.width() - taken
