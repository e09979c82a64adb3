"""The live list of export-target setup steps: mark, title, time, and what each step said."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from app.export_steps import STEP_TITLES, StepId, StepReport, StepStatus
from ui.palette import Accents, accents

TICK_MS = 100  # how often the running step's time is redrawn


def step_title(step: StepId) -> str:
    """The step's title as a line of its own: "Bucket exists"."""
    title = STEP_TITLES[step]
    return title[:1].upper() + title[1:]


def mark_colour(status: StepStatus | None, colours: Accents) -> str:
    """✓ green, ✗ red, … blue while running; skipped, cancelled and waiting are muted."""
    if status in (StepStatus.PASSED,):
        return colours.ok
    if status in (StepStatus.FAILED, StepStatus.BUCKET_MISSING):
        return colours.failed
    if status is StepStatus.RUNNING:
        return colours.busy
    return colours.muted


@dataclass
class _StepRow:
    """The labels of one step: a mark, the title, the time and the message under them."""

    mark: QLabel
    title: QLabel
    time: QLabel
    message: QLabel
    status: StepStatus | None = None
    started: float = 0.0


class ExportStepsView(QFrame):
    """Shows the planned steps of a setup; each report redraws its step as it arrives.

    A step not yet run shows only its title, dimmed. While a step runs its mark is "…" and
    its time counts up; when it ends the mark and time come from its report, and the
    report's message sits under the title (in red when the step failed).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportSteps")
        self.setAccessibleName("Setup steps")
        self.setStyleSheet("QFrame#exportSteps { background: palette(base); }")
        self._rows: dict[StepId, _StepRow] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(12, 10, 12, 10)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)

    # -- what is planned --------------------------------------------------------------------

    def set_plan(self, steps: Sequence[StepId]) -> None:
        """One row per step, all waiting; rows of an earlier plan are dropped."""
        self._ticker.stop()
        for row in self._rows.values():
            for label in (row.mark, row.title, row.time, row.message):
                label.deleteLater()
        self._rows.clear()
        for number, step in enumerate(steps):
            self._rows[step] = self._add_row(step, 2 * number)
        self._grid.setRowStretch(2 * len(steps), 1)
        self.reset_from(steps[0] if steps else None)

    def _add_row(self, step: StepId, grid_row: int) -> _StepRow:
        mark = QLabel(self)
        mark.setFixedWidth(self.fontMetrics().horizontalAdvance("✓✓"))
        mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(step_title(step), self)
        elapsed = QLabel(self)
        elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        message = QLabel(self)
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message.setContentsMargins(0, 0, 0, 6)
        self._grid.addWidget(mark, grid_row, 0, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(title, grid_row, 1)
        self._grid.addWidget(elapsed, grid_row, 2)
        self._grid.addWidget(message, grid_row + 1, 1, 1, 2)
        return _StepRow(mark, title, elapsed, message)

    def reset_from(self, step: StepId | None) -> None:
        """Put ``step`` and every later step back to waiting (before a run, or a re-run)."""
        if step is None or step not in self._rows:
            return
        steps = list(self._rows)
        for later in steps[steps.index(step) :]:
            row = self._rows[later]
            row.status = None
            self._draw(row, "", "")

    @property
    def steps(self) -> list[StepId]:
        return list(self._rows)

    # -- reports as they come ---------------------------------------------------------------

    def show_report(self, report: StepReport) -> None:
        """Redraw the report's step: running, or how it ended and what it said."""
        row = self._rows.get(report.step)
        if row is None:
            return
        row.status = report.status
        if report.status is StepStatus.RUNNING:
            row.started = time.monotonic()
            self._draw(row, "", "0 ms")
            self._ticker.start()
            return
        self._draw(row, report.message, f"{report.elapsed_ms} ms")
        if not any(r.status is StepStatus.RUNNING for r in self._rows.values()):
            self._ticker.stop()

    def stop_running(self) -> None:
        """A run ended without reporting its running step's end: show that step as waiting."""
        for step, row in self._rows.items():
            if row.status is StepStatus.RUNNING:
                self.reset_from(step)
        self._ticker.stop()

    def _tick(self) -> None:
        for row in self._rows.values():
            if row.status is StepStatus.RUNNING:
                row.time.setText(f"{round((time.monotonic() - row.started) * 1000)} ms")

    def _draw(self, row: _StepRow, message: str, elapsed: str) -> None:
        colours = accents()
        status = row.status
        row.mark.setText(status.mark if status is not None else "")
        colour = mark_colour(status, colours)
        row.mark.setStyleSheet(f"color: {colour}; font-weight: 700; font-size: 12pt;")
        waiting = status is None
        row.title.setStyleSheet(f"color: {colours.muted};" if waiting else "")
        font = row.title.font()
        font.setWeight(font.Weight.DemiBold if status is StepStatus.RUNNING else font.Weight.Normal)
        row.title.setFont(font)
        row.time.setText(elapsed)
        row.time.setStyleSheet(f"color: {colours.muted};")
        failed = status in (StepStatus.FAILED, StepStatus.BUCKET_MISSING)
        row.message.setText(message)
        row.message.setStyleSheet(f"color: {colours.failed if failed else colours.muted};")
        row.message.setVisible(bool(message))
        row.mark.setAccessibleName(status.value if status is not None else "waiting")

    # -- for the wizard and tests -----------------------------------------------------------

    def status_of(self, step: StepId) -> StepStatus | None:
        """How ``step`` stands on screen; ``None`` while it waits (or is not planned)."""
        row = self._rows.get(step)
        return row.status if row is not None else None

    def mark_of(self, step: StepId) -> str:
        return self._rows[step].mark.text()

    def message_of(self, step: StepId) -> str:
        row = self._rows[step]
        return row.message.text() if not row.message.isHidden() else ""

    def time_of(self, step: StepId) -> str:
        return self._rows[step].time.text()

    def finished_count(self) -> int:
        """Steps that ended (any final status) in the current plan."""
        return sum(1 for r in self._rows.values() if r.status not in (None, StepStatus.RUNNING))
