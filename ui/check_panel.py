"""The editor's panel showing the last check of an integration, or that one is running."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.models import CheckRecord
from ui.check_steps import StepList
from ui.integration_model import check_icon, check_summary, local_time_text

NOT_CHECKED_YET = "Not checked yet: Verify tests these credentials with the provider."


class CheckPanel(QFrame):
    """Headline (OK / Failed: category, and when), the provider's message and the steps."""

    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._record: CheckRecord | None = None

        self._icon = QLabel(self)
        self._headline = QLabel(self)
        self._headline.setObjectName("checkHeadline")
        self._when = QLabel(self)
        self._when.setObjectName("checkWhen")
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self._icon)
        top.addWidget(self._headline)
        top.addStretch(1)
        top.addWidget(self._when)

        self._message = QLabel(self)
        self._message.setObjectName("checkMessage")
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps = StepList(self)

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # indeterminate: the check reports no progress
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(8)
        self.busy_label = QLabel(self)
        self._stop = QPushButton("Stop", self)
        self._stop.setToolTip("Stop waiting for this check; nothing is recorded")
        self._stop.clicked.connect(self.stop_requested)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar, 1)
        busy.addWidget(self._stop)
        self._busy_row = QWidget(self)
        self._busy_row.setLayout(busy)
        busy.setContentsMargins(0, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self._message)
        layout.addWidget(self.steps)
        layout.addWidget(self._busy_row)
        self.set_busy(False)
        self.show_record(None)

    def show_record(self, record: CheckRecord | None) -> None:
        """Show the last check, or say there was none."""
        self._record = record
        self._icon.setPixmap(check_icon(record).pixmap(QSize(16, 16)))
        self._headline.setText(check_summary(record) if record else "Not checked")
        self._headline.setProperty("outcome", _outcome(record))
        self._headline.style().unpolish(self._headline)
        self._headline.style().polish(self._headline)
        if record is None:
            self._when.clear()
            self._message.setText(NOT_CHECKED_YET)
            self.steps.show_steps(())
            self.steps.hide()
            return
        self.refresh_age()
        self._message.setText(record.message)
        self.steps.show_steps(record.steps)
        self.steps.setVisible(bool(record.steps))

    def refresh_age(self) -> None:
        """Re-read 'checked 5 min ago' against the clock."""
        if self._record is None:
            return
        took = f" · took {self._record.elapsed_ms} ms" if self._record.elapsed_ms else ""
        self._when.setText(f"checked {timefmt.age_text(self._record.checked_at)}{took}")
        self._when.setToolTip(local_time_text(self._record.checked_at))

    def set_busy(self, busy: bool, text: str = "Checking…") -> None:
        self.busy_label.setText(text)
        self._busy_row.setVisible(busy)

    @property
    def record(self) -> CheckRecord | None:
        """The check shown, if any."""
        return self._record

    @property
    def stop_button(self) -> QPushButton:
        return self._stop

    @property
    def is_busy(self) -> bool:
        return not self._busy_row.isHidden()

    def headline(self) -> str:
        return self._headline.text()

    def message(self) -> str:
        return self._message.text()


def _outcome(record: CheckRecord | None) -> str:
    if record is None:
        return "none"
    return "ok" if record.ok else "failed"
