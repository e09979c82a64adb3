"""The steps of a check as a grid: mark, name, detail (wrapped) and time, one row per step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from providers.base import Step

PASSED, FAILED, SKIPPED, MUTED = "#1e7e34", "#b3261e", "#6b7075", "#5f6368"
STEPS_LEGEND = "✓ passed   ✗ failed   – skipped (the detail says why)"
MARK, NAME, DETAIL, TIME = range(4)


@dataclass(frozen=True)
class StepCells:
    """What one step's row says, and in which colours."""

    mark: str
    mark_colour: str
    name: str
    detail: str
    took: str
    failed: bool = False
    skipped: bool = False


def step_cells(step: Step) -> StepCells:
    """✓ and the time for a passed step, ✗ and the time for the failed one, – for skipped."""
    if step.skipped:
        return StepCells("–", SKIPPED, step.name, step.detail, "skipped", skipped=True)
    took = f"{step.elapsed_ms} ms"
    if step.ok:
        return StepCells("✓", PASSED, step.name, step.detail, took)
    return StepCells("✗", FAILED, step.name, step.detail, took, failed=True)


class StepList(QWidget):
    """One row of labels per step; the detail wraps, so the time column always stays in view.

    A grid of plain labels rather than one rich-text table: a table label is as wide as its
    longest detail and cannot tell its layout how tall it gets when narrower, so a long
    failure detail pushed the time column off the edge and the failed row below the panel.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkSteps")
        self.setToolTip(STEPS_LEGEND)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(DETAIL, 1)
        self._rows: list[StepCells] = []

    def show_steps(self, steps: Iterable[Step]) -> None:
        """Replace the rows with ``steps``, in order."""
        while (item := self._grid.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self._rows = [step_cells(step) for step in steps]
        for row, cells in enumerate(self._rows):
            self._add_row(row, cells)

    def rows(self) -> list[StepCells]:
        """What each row shows, top to bottom."""
        return list(self._rows)

    def _add_row(self, row: int, cells: StepCells) -> None:
        top = Qt.AlignmentFlag.AlignTop
        mark = self._cell(cells.mark, f"color:{cells.mark_colour}; font-weight:bold")
        name_style = f"color:{SKIPPED}" if cells.skipped else ""
        name = self._cell(cells.name, "font-weight:bold" if cells.failed else name_style)
        detail = self._cell(cells.detail, f"color:{FAILED if cells.failed else MUTED}")
        detail.setWordWrap(True)
        took = self._cell(cells.took, f"color:{MUTED}")
        self._grid.addWidget(mark, row, MARK, top)
        self._grid.addWidget(name, row, NAME, top)
        self._grid.addWidget(detail, row, DETAIL)
        self._grid.addWidget(took, row, TIME, top | Qt.AlignmentFlag.AlignRight)

    def _cell(self, text: str, style: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)  # provider text is never markup
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if style:
            label.setStyleSheet(style)
        return label
