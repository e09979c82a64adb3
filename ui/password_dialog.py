"""Changing the master password: current, new and repeated, errors beside the fields."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.errors import Cancelled, UserFacingError, WrongPassword
from app.vault import Vault
from app.vault_file import short_password_warning
from ui.feedback import as_sentence, show_failure
from ui.tasks import run_blocking

log = logging.getLogger(__name__)

Runner = Callable[..., Awaitable[Any]]

CURRENT_EMPTY = "Enter the current master password."
NEW_EMPTY = "Choose a new master password."
REPEAT_DIFFERS = "The two new passwords do not match."
SAME_AS_CURRENT = "The new password is the same as the current one."


class ChangePasswordDialog(QDialog):
    """Re-encrypts the vault under a new master password, proven before success is shown.

    ``run`` runs the blocking re-encryption off the GUI thread (the lock controller's
    ``vault_job``, so a lock waits for it). On failure the old password keeps working and
    the reason is shown here; the dialog stays open to try again.
    """

    password_changed = Signal()

    def __init__(
        self, vault: Vault, run: Runner = run_blocking, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._run = run
        self.setWindowTitle("Change master password")
        self.setMinimumWidth(460)

        explain = QLabel(
            "The vault is re-encrypted with the new password and opened with it once to prove "
            "it works. If anything fails, the current password keeps working. The new password "
            "cannot be recovered: keep it somewhere safe.",
            self,
        )
        explain.setObjectName("dialogText")
        explain.setWordWrap(True)

        self.current, self.current_error = self._password_row("Current master password")
        self.new, self.new_error = self._password_row("New master password")
        self._warned_short: str | None = None  # a short password the person was warned about
        self.repeat, self.repeat_error = self._password_row("Repeat the new password")
        fields = QFormLayout()
        fields.addRow("Current password", self._column(self.current, self.current_error))
        fields.addRow("New password", self._column(self.new, self.new_error))
        fields.addRow("Repeat new password", self._column(self.repeat, self.repeat_error))

        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change password")
        self.ok_button.setDefault(True)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)  # Enter after a refusal must not cancel unnoticed
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(explain)
        layout.addLayout(fields)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(buttons)
        self.current.setFocus()

    def _password_row(self, name: str) -> tuple[QLineEdit, QLabel]:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        error = QLabel(self)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        edit.textEdited.connect(lambda _text: error.hide())
        return edit, error

    def _column(self, edit: QLineEdit, error: QLabel) -> QWidget:
        column = QWidget(self)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        box.addWidget(edit)
        box.addWidget(error)
        return column

    def _refuse(self, edit: QLineEdit, error: QLabel, message: str) -> None:
        error.setText(as_sentence(message))
        error.show()
        edit.selectAll()
        edit.setFocus()

    def _problem(self) -> bool:
        """Show the first problem with the input beside its field; True when there is one."""
        current, new = self.current.text(), self.new.text()
        if not current:
            self._refuse(self.current, self.current_error, CURRENT_EMPTY)
        elif not new:
            self._refuse(self.new, self.new_error, NEW_EMPTY)
        elif new == current:
            self._refuse(self.new, self.new_error, SAME_AS_CURRENT)
        elif new != self.repeat.text():
            self._refuse(self.repeat, self.repeat_error, REPEAT_DIFFERS)
        elif short_password_warning(new) and self._warned_short != new:
            # Said once; pressing Change again with the same password goes ahead.
            self._warned_short = new
            advice = short_password_warning(new)
            self._refuse(
                self.new, self.new_error, f"{advice}; press Change password again to use it"
            )
        else:
            return False
        return True

    @asyncSlot()
    async def change(self) -> bool:
        """Check the input, re-encrypt on a worker, then close with success or show why not."""
        for label in (self.current_error, self.new_error, self.repeat_error, self.error):
            label.hide()
        if self._problem():
            return False

        self._set_busy(True)
        try:
            await self._run(self._vault.change_password, self.current.text(), self.new.text())
        except WrongPassword as exc:
            self._refuse(self.current, self.current_error, str(exc))
            return False
        except Cancelled:
            return False
        except UserFacingError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        except Exception as exc:  # a bug: logged with its traceback, told in general terms
            show_failure(self, exc)
            return False
        finally:
            self._set_busy(False)

        for edit in (self.current, self.new, self.repeat):
            edit.clear()  # no password lingers in a widget
        self.password_changed.emit()
        self.accept()
        return True

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.ok_button.setEnabled(not busy)
        if not busy:
            self.ok_button.setDefault(True)  # disabling it let Cancel take over Enter
        for edit in (self.current, self.new, self.repeat):
            edit.setEnabled(not busy)
