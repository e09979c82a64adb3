"""What a row's check status is (ok, failed, stale, not checked, checking) and its badge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app import timefmt
from app.models import STALE_AFTER, CheckRecord, is_stale
from ui.palette import Accents, accents

OK, FAILED, STALE, NOT_CHECKED, CHECKING = "ok", "failed", "stale", "none", "checking"
# Ascending sort puts what needs a look first.
RANK = {FAILED: 0, NOT_CHECKED: 1, STALE: 2, CHECKING: 3, OK: 4}
STALE_DAYS = STALE_AFTER.days


@dataclass(frozen=True)
class Status:
    """One row's status: its kind, the badge text and a sentence for the tooltip."""

    kind: str
    text: str
    tip: str

    @property
    def needs_attention(self) -> bool:
        return needs_attention(self.kind)


def category_text(category: str) -> str:
    return category.replace("_", " ")


def kind_of(check: CheckRecord | None, now: datetime, busy: bool = False) -> str:
    """Just the kind of status, cheaply (counting 10,000 rows must stay quick)."""
    if busy:
        return CHECKING
    if check is None:
        return NOT_CHECKED
    if not check.ok:
        return FAILED
    return STALE if is_stale(check.checked_at, now) else OK


def needs_attention(kind: str) -> bool:
    """Failed, never checked or stale: what the side list's 'Needs attention' shows."""
    return kind in (FAILED, NOT_CHECKED, STALE)


def status_of(check: CheckRecord | None, now: datetime, busy: bool = False) -> Status:
    """The status a row shows: a running check first, then the last result and its age."""
    if busy:
        return Status(CHECKING, "Checking…", "A check is running; the result appears here.")
    if check is None:
        return Status(NOT_CHECKED, "Not checked", "Never checked: press Verify (Ctrl+R).")
    age = timefmt.age_text(check.checked_at, now)
    if not check.ok:
        tip = f"Failed {age}: {check.message}"
        if is_stale(check.checked_at, now):
            tip += f"\n\nThis result is older than {STALE_DAYS} days; verify again."
        return Status(FAILED, f"Failed: {category_text(check.category)}", tip)
    if is_stale(check.checked_at, now):
        tip = (
            f"The last check passed {age}, more than {STALE_DAYS} days ago, so it says "
            "little about the credential today. Verify again."
        )
        return Status(STALE, "Stale", tip)
    return Status(OK, "OK", f"Passed {age}: {check.message}")


def badge_colours(kind: str, colours: Accents) -> tuple[str, str]:
    """(background, text) of the badge for ``kind``."""
    return {
        OK: (colours.ok_badge, colours.ok),
        FAILED: (colours.failed_badge, colours.failed),
        STALE: (colours.stale_badge, colours.stale),
        CHECKING: (colours.busy_badge, colours.busy),
    }.get(kind, (colours.none_badge, colours.muted))


def badge_font(option: QStyleOptionViewItem) -> QFont:
    """The row's font in the demi-bold weight the badge text is drawn in."""
    return bolder(option.font)


def bolder(font: QFont) -> QFont:
    """``font`` in the badge's demi-bold weight."""
    badge = QFont(font)
    badge.setWeight(QFont.Weight.DemiBold)
    return badge


class StatusBadgeDelegate(QStyledItemDelegate):
    """Paints the status column as a rounded badge; the kind comes from ``kind_role``."""

    PADDING_X = 8  # inside the pill, either side of the text
    MARGIN_X = 4  # between the pill and the cell's edges
    MARGIN_Y = 4

    def __init__(self, kind_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind_role = kind_role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # The selection and row background come from the style; the badge sits on top.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        background.icon = background.icon.__class__()
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)

        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        fill, ink = badge_colours(str(index.data(self._kind_role) or ""), accents())
        font = badge_font(option)
        badge, shown = self.badge_geometry(option, text)
        radius = badge.height() / 2

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(badge, radius, radius)
        painter.setPen(QColor(ink))
        painter.setFont(font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, shown)
        painter.restore()

    def badge_geometry(self, option: QStyleOptionViewItem, text: str) -> tuple[QRectF, str]:
        """Where the pill goes in the cell and the text it shows (elided when the cell is short).

        Measured in the demi-bold face the text is drawn in: measuring the row's regular font
        made long texts wider than their pill, so they ran past its left edge.
        """
        metrics = QFontMetrics(badge_font(option))
        room = option.rect.width() - 2 * self.PADDING_X - 2 * self.MARGIN_X
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 0))
        width = metrics.horizontalAdvance(shown) + 2 * self.PADDING_X
        height = min(option.rect.height() - 2 * self.MARGIN_Y, metrics.height() + 4)
        top = option.rect.top() + (option.rect.height() - height) / 2
        return QRectF(option.rect.left() + self.MARGIN_X, top, width, height), shown

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        return QSize(self.width_for(text, QFontMetrics(badge_font(option))), hint.height())

    def width_for(self, text: str, metrics: QFontMetrics) -> int:
        """The cell width a badge reading ``text`` needs, given the badge font's metrics.

        A few pixels spare: a cell is narrower than its column by the grid line, and eliding
        measures fractions of a pixel that the whole-pixel advance rounds away.
        """
        return metrics.horizontalAdvance(text) + 2 * self.PADDING_X + 2 * self.MARGIN_X + 3
