"""What a sync did, integration by integration; a remote check beside the local one."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.models import CheckRecord
from app.sync import SyncOutcome
from ui.integration_model import check_icon, check_summary
from ui.resources import icon

INTEGRATION, RESULT, DETAILS = range(3)


def outcome_summary(verb: str, outcomes: list[SyncOutcome]) -> str:
    """'Push of 3 integrations: 2 created, 1 conflict.' (not "Pushed": some may not be)."""
    counts = Counter(outcome.action for outcome in outcomes)
    parts = ", ".join(f"{number} {action}" for action, number in counts.items())
    noun = "integration" if len(outcomes) == 1 else "integrations"
    return f"{verb} of {len(outcomes)} {noun}: {parts}."


def outcome_line(outcome: SyncOutcome) -> str:
    """'“Acme”: created — created as 3f2…'."""
    return f"“{outcome.label}”: {outcome.action} — {outcome.message}"


class SyncReportDialog(QDialog):
    """One row per integration: what happened to it and why (failures say what to do)."""

    def __init__(
        self, verb: str, outcomes: list[SyncOutcome], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync report")
        self.setMinimumSize(620, 300)
        self.resize(720, min(640, 220 + 34 * len(outcomes)))  # room for every row
        self.outcomes = list(outcomes)

        self.summary = QLabel(outcome_summary(verb, self.outcomes), self)
        self.summary.setObjectName("dialogHeading")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(self.outcomes), 3, self)
        self.table.setHorizontalHeaderLabels(("Integration", "Result", "Details"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(INTEGRATION, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        for number, outcome in enumerate(self.outcomes):
            result = QTableWidgetItem(outcome.action)
            result.setIcon(icon("check-ok" if outcome.ok else "check-failed"))
            details = QTableWidgetItem(outcome.message)
            details.setToolTip(outcome.message)
            self.table.setItem(number, INTEGRATION, QTableWidgetItem(outcome.label))
            self.table.setItem(number, RESULT, result)
            self.table.setItem(number, DETAILS, details)

        hint = QLabel(self)
        hint.setObjectName("dialogText")
        hint.setWordWrap(True)
        if any(outcome.action == "conflict" for outcome in self.outcomes):
            hint.setText(
                "To settle a conflict, select it in the list, then Sync › Resolve conflict."
            )
        hint.setVisible(bool(hint.text()))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def row_texts(self, row: int) -> tuple[str, str, str]:
        cells = (self.table.item(row, column) for column in (INTEGRATION, RESULT, DETAILS))
        a, b, c = (cell.text() if cell is not None else "" for cell in cells)
        return a, b, c


class RemoteCheckDialog(QDialog):
    """The Integration API's check of an integration beside the last check made here."""

    def __init__(
        self,
        label: str,
        local: CheckRecord | None,
        remote: CheckRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Remote check")
        self.setMinimumWidth(560)
        heading = QLabel(f"“{label}”", self)
        heading.setObjectName("dialogHeading")

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        self.local_panel = _CheckColumn("Checked from this computer", local, self)
        self.remote_panel = _CheckColumn("Checked by the Integration API", remote, self)
        grid.addWidget(self.local_panel, 0, 0)
        grid.addWidget(self.remote_panel, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        layout.addWidget(buttons)


class _CheckColumn(QFrame):
    """One side: where it was checked from, OK or why not, when, and the message."""

    def __init__(self, title: str, record: CheckRecord | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("checkPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        caption = QLabel(title, self)
        caption.setObjectName("fieldLabel")
        mark = QLabel(self)
        mark.setPixmap(check_icon(record).pixmap(QSize(16, 16)))
        self.headline = QLabel(check_summary(record), self)
        self.headline.setObjectName("checkHeadline")
        self.headline.setProperty("outcome", "none" if record is None else _outcome(record))
        top = QGridLayout()
        top.addWidget(mark, 0, 0)
        top.addWidget(self.headline, 0, 1)
        top.setColumnStretch(1, 1)
        when = QLabel(f"checked {timefmt.age_text(record.checked_at)}" if record else "", self)
        when.setObjectName("checkWhen")
        self.message = QLabel(record.message if record else "Not checked from here yet.", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addLayout(top)
        layout.addWidget(when)
        layout.addWidget(self.message)
        layout.addStretch(1)


def _outcome(record: CheckRecord) -> str:
    return "ok" if record.ok else "failed"
