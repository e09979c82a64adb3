"""A one-line label that shortens its text with "…" to the room it gets; the tooltip has it all."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    """Asks for at most ``widest`` pixels and can shrink to a few words.

    Meant for the status bar's permanent widgets: whatever room they ask for is taken from
    the transient messages on their left, so they ask for little and elide the rest.
    """

    def __init__(
        self,
        widest: int,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self.widest = widest
        self._cap = widest
        self._mode = mode

    def set_full_text(self, text: str, tip: str = "") -> None:
        """Show ``text`` (elided when short of room); the tooltip gives ``tip`` or the text."""
        self._full = text
        self._tip = tip
        # Until the layout gives the new width, assume it gives what the label asks for.
        self._elide(max(self.contentsRect().width(), self.sizeHint().width()))
        self.updateGeometry()

    def full_text(self) -> str:
        return self._full

    def set_compact(self, widest: int | None) -> None:
        """Ask for at most ``widest`` pixels for now; ``None`` goes back to ``self.widest``."""
        cap = self.widest if widest is None else min(widest, self.widest)
        if cap != self._cap:
            self._cap = cap
            self.updateGeometry()

    def full_width(self) -> int:
        """The width the whole text needs."""
        return self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin() + 4

    def sizeHint(self) -> QSize:
        return QSize(min(self.full_width(), self._cap), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self.sizeHint().width(), 60), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self, width: int | None = None) -> None:
        room = (self.contentsRect().width() if width is None else width) - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._full, self._mode, max(room, 0))
        super().setText(shown)
        elided = shown != self._full
        self.setToolTip(self._tip or (self._full if elided else ""))
