"""The first window: unlock an existing vault, or create one (the password asked twice)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError, WrongPassword
from app.vault import Vault
from app.vault_file import short_password_warning
from ui.feedback import as_sentence
from ui.resources import icon

log = logging.getLogger(__name__)

PASSWORDS_DIFFER = "The two passwords do not match."
PASSWORD_EMPTY = "Enter a master password."


class UnlockDialog(QDialog):
    """Opens ``path`` with the master password, or creates a vault there when it is absent.

    On success ``vault`` holds the open vault. A refused password keeps the dialog open with
    the reason under the field, so the person can try again.
    """

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path).expanduser()
        self.creating = not self.path.exists()
        self.vault: Vault | None = None
        self._warned_short: str | None = None  # a short password the person was warned about
        self.setWindowTitle("Create vault" if self.creating else "Unlock vault")
        self.setWindowIcon(icon("vault"))
        self.setMinimumWidth(460)

        heading = QLabel("Create a new vault" if self.creating else "Unlock your vault", self)
        heading.setObjectName("dialogHeading")
        explain = QLabel(self._explanation(), self)
        explain.setWordWrap(True)
        explain.setObjectName("dialogText")
        explain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.password = self._password_edit("Master password")
        self.confirm = self._password_edit("Repeat the master password")
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()

        fields = QFormLayout()
        fields.addRow("Master password", self.password)
        if self.creating:
            fields.addRow("Repeat password", self.confirm)
        else:
            self.confirm.hide()
        fields.addRow("", self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create vault" if self.creating else "Unlock")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(fields)
        layout.addWidget(buttons)
        self.password.setFocus()

    def _explanation(self) -> str:
        if self.creating:
            return (
                f"A new encrypted vault will be created at {self.path}. Choose a master "
                "password: it cannot be recovered, and without it the vault cannot be opened."
            )
        return f"Enter the master password of {self.path}."

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        edit.textEdited.connect(lambda _text: self.error.hide())
        return edit

    def show_error(self, message: str) -> None:
        """Show ``message`` under the fields, as a sentence."""
        self.error.setText(as_sentence(message))
        self.error.show()
        # A wrapped line's height depends on the width: grow to what this width needs.
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        """Check the input, then open or create; stay open with the reason on failure."""
        password = self.password.text()
        if not password:
            self.show_error(PASSWORD_EMPTY)
            self.password.setFocus()
            return
        if self.creating and password != self.confirm.text():
            self.show_error(PASSWORDS_DIFFER)
            self.confirm.selectAll()
            self.confirm.setFocus()
            return
        advice = short_password_warning(password) if self.creating else None
        if advice and self._warned_short != password:
            # Said once; pressing Create again with the same password goes ahead.
            self._warned_short = password
            self.show_error(f"{advice}. Press Create vault again to use it anyway")
            self.password.setFocus()
            return

        # Deriving the key takes a moment; the connection must be made on this thread.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self.creating:
                self.vault = Vault.create(self.path, password)
            else:
                self.vault = Vault.open(self.path, password)
        except WrongPassword as exc:
            self.show_error(str(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        except UserFacingError as exc:
            self.show_error(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        log.info("vault %s %s", self.path, "created" if self.creating else "unlocked")
        super().accept()
