"""Sync › Resolve conflict: both versions field by field (secrets masked), keep one of them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

import providers
from app.errors import Cancelled, UserFacingError
from app.sync import FieldComparison, SyncOutcome, SyncService, compare_sides
from app.vault import Vault
from ui.feedback import show_failure
from ui.integration_model import platform_title, provider_title
from ui.tasks import run_blocking

log = logging.getLogger(__name__)

Runner = Callable[..., Awaitable[Any]]

FIELD, LOCAL, REMOTE = range(3)
HEADERS = ("Field", "This computer", "Integration API")
DIFFERS_MARK = "≠ "
TOP_TITLES = {"label": "Label", "platform": "Platform", "provider": "Provider"}


def field_titles(provider: str) -> dict[str, str]:
    """Wire name -> the title the form shows, for ``provider``'s credential fields."""
    spec = providers.get(provider)
    if spec is None:
        return {}
    return {
        (info.alias or name): (info.title or name.replace("_", " ").capitalize())
        for name, info in spec.credentials.model_fields.items()
    }


class ConflictDialog(QDialog):
    """Shows an integration changed on both sides; Keep local / Keep remote settles it.

    The choice runs ``SyncService.resolve`` off the GUI thread. When the server changed
    once more in the meantime, the new comparison is shown and the dialog stays open. The
    dialog closes the service's API connection when it is done with it.
    """

    resolved = Signal(object)  # SyncOutcome

    def __init__(
        self,
        vault: Vault,
        integration_id: str,
        service: SyncService,
        run: Runner = run_blocking,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._service = service
        self._run = run
        self.integration_id = integration_id
        self._label = vault.row(integration_id).label
        self.setWindowTitle("Resolve conflict")
        self.setMinimumSize(640, 380)

        heading = QLabel(f"“{self._label}” was changed on both sides", self)
        heading.setObjectName("dialogHeading")
        explain = QLabel(
            "It was edited on this computer and on the server since the last sync. Choose "
            "the version to keep; the other one is replaced by it. Secrets show as dots; "
            f"rows marked {DIFFERS_MARK.strip()} differ.",
            self,
        )
        explain.setObjectName("dialogText")
        explain.setWordWrap(True)

        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Both versions")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LOCAL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REMOTE, QHeaderView.ResizeMode.Stretch)

        self.message = QLabel(self)
        self.message.setObjectName("formError")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.keep_local_button = QPushButton("Keep this computer's version", self)
        self.keep_local_button.setToolTip("Send the local version to the server, replacing its")
        self.keep_remote_button = QPushButton("Keep the server's version", self)
        self.keep_remote_button.setToolTip("Replace the local version with the server's")
        buttons.addButton(self.keep_local_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.keep_remote_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_local_button.clicked.connect(self.keep_local)
        self.keep_remote_button.clicked.connect(self.keep_remote)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.show_comparison()

    def show_comparison(self) -> list[FieldComparison]:
        """Fill the table with both sides as the vault holds them now."""
        item = self._vault.get(self.integration_id)
        titles = {**TOP_TITLES, **field_titles(item.provider)}
        rows = compare_sides(self._vault, self.integration_id)
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            name = row.field.removeprefix("credentials.")
            title = titles.get(name, name)
            local, remote = _shown(name, row.local), _shown(name, row.remote)
            cells = (DIFFERS_MARK + title if row.differs else title, local, remote)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if row.differs:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(number, column, cell)
        self.table.setWordWrap(True)  # a long label wraps rather than ends in "…"
        self.table.resizeRowsToContents()
        return rows

    def cell_text(self, row: int, column: int) -> str:
        found = self.table.item(row, column)
        return found.text() if found is not None else ""

    # -- choosing -------------------------------------------------------------------------

    @asyncSlot()
    async def keep_local(self) -> SyncOutcome | None:
        return await self._resolve("local")

    @asyncSlot()
    async def keep_remote(self) -> SyncOutcome | None:
        return await self._resolve("remote")

    async def _resolve(self, keep: str) -> SyncOutcome | None:
        self.message.hide()
        self._set_busy(True)
        try:
            outcome: SyncOutcome = await self._run(self._service.resolve, self.integration_id, keep)
        except Cancelled:
            return None
        except UserFacingError as exc:  # the server refused or could not be reached
            self._say(f"Nothing was changed: {exc}")
            return None
        except Exception as exc:  # a bug: logged with its traceback, told in general terms
            show_failure(self, exc)
            return None
        finally:
            self._set_busy(False)
            if not self.isVisible():
                self._service.api.close()  # closed meanwhile; done() left it open

        if not self.isVisible():
            return outcome  # closed meanwhile (the vault locked): nothing to show
        if outcome.action == "conflict":
            self.show_comparison()
            self._say(f"Nothing was changed: {outcome.message}.")
            return outcome
        log.info("conflict of %s resolved: %s", self.integration_id, outcome.action)
        self.resolved.emit(outcome)
        self.accept()
        return outcome

    def done(self, result: int) -> None:
        super().done(result)
        if self.keep_local_button.isEnabled():  # not waiting on the server
            self._service.api.close()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _set_busy(self, busy: bool) -> None:
        self.keep_local_button.setEnabled(not busy)
        self.keep_remote_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)


def _shown(field: str, value: str) -> str:
    """Platform and provider as the window names them ("Amazon S3"), not their wire names."""
    if field == "provider":
        return provider_title(value)
    if field == "platform":
        return platform_title(value)
    return value
