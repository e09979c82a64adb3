"""Sync › Connection: the Integration API's address and key, kept in the vault, and a test."""

from __future__ import annotations

import asyncio
import logging

from pydantic import SecretStr
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.cli_remote import masked_key
from app.errors import UserFacingError
from app.remote import (
    DEFAULT_HEADER,
    DEFAULT_SCHEME,
    IntegrationApi,
    RemoteConfig,
    check_new_api_key,
)
from app.vault import Vault
from ui.feedback import show_failure
from ui.tasks import run_blocking

log = logging.getLogger(__name__)

SAVED_KEY_PLACEHOLDER = "Saved ({}) — type to replace"
TESTING = "Testing the connection…"
FIELDS = ("url", "api key", "header", "scheme")  # how RemoteConfig names its problems


def test_connection(config: RemoteConfig) -> str:
    """Blocking: prove the URL answers and the key is accepted (nothing is changed)."""
    api = IntegrationApi(config)
    try:
        return api.test()
    finally:
        api.close()


class RemoteDialog(QDialog):
    """Edits the connection to the remote Integration API.

    The key is never shown: a saved key leaves its field empty ("type to replace") and is
    kept unless something is typed. Problems are shown beside their field; the result of
    Test connection is shown under the fields.
    """

    connection_saved = Signal()

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._saved = vault.remote_config()
        self._test_task: asyncio.Task[object] | None = None
        self.setWindowTitle("Integration API connection")
        self.setMinimumWidth(540)

        explain = QLabel(
            "Integrations can be mirrored to the remote Integration API. The address and key "
            "are kept inside the encrypted vault. HTTPS is required, except for 127.0.0.1 and "
            "localhost.",
            self,
        )
        explain.setObjectName("dialogText")
        explain.setWordWrap(True)

        self.url = self._edit("Base URL", "https://api.example.com")
        self.api_key = self._edit("API key", "the key issued for this app")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.header = self._edit("Header name", DEFAULT_HEADER)
        self.scheme = self._edit("Scheme", f"{DEFAULT_SCHEME} (may be empty)")
        self.errors = {name: self._error_label() for name in FIELDS}
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for title, edit, name in (
            ("Base URL", self.url, "url"),
            ("API key", self.api_key, "api key"),
            ("Header", self.header, "header"),
            ("Scheme", self.scheme, "scheme"),
        ):
            form.addRow(title, self._column(edit, self.errors[name]))
        self._fill()

        self.test_button = QPushButton("Test connection", self)
        self.test_button.setToolTip("Ask the server whether it answers and accepts the key")
        self.test_button.clicked.connect(self.test)
        self.result = QLabel(self)
        self.result.setObjectName("checkHeadline")  # styled green or red by its outcome
        self.result.setWordWrap(True)
        self.result.hide()
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(buttons)

    def _edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _text: self._clear_messages())
        return edit

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        return label

    def _column(self, edit: QLineEdit, error: QLabel) -> QWidget:
        column = QWidget(self)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        box.addWidget(edit)
        box.addWidget(error)
        return column

    def _fill(self) -> None:
        saved = self._saved
        self.header.setText(saved.header if saved else DEFAULT_HEADER)
        self.scheme.setText(saved.scheme if saved else DEFAULT_SCHEME)
        if saved is not None:
            self.url.setText(saved.url)
            self.api_key.setPlaceholderText(SAVED_KEY_PLACEHOLDER.format(masked_key(saved)))

    # -- input ----------------------------------------------------------------------------

    def config(self) -> RemoteConfig | None:
        """The connection typed in, or None after showing the problem beside its field."""
        self._clear_messages()
        typed = self.api_key.text().strip()
        key = typed
        if not key and self._saved is not None:
            key = self._saved.api_key.get_secret_value()
        try:
            if typed:
                check_new_api_key(typed)  # "Bearer …" pasted whole would be sent twice
            return RemoteConfig(
                self.url.text().strip(), SecretStr(key), self.header.text(), self.scheme.text()
            )
        except UserFacingError as exc:
            field, _, message = str(exc).partition(": ")
            label = self.errors.get(field)
            if label is None:
                self._show_result(str(exc), ok=False)
            else:
                label.setText(message)
                label.show()
            return None

    def _clear_messages(self) -> None:
        for label in self.errors.values():
            label.hide()
        if self._test_task is None:
            self.result.hide()

    def _show_result(self, text: str, *, ok: bool | None) -> None:
        """The test's outcome under the fields: green when it worked, red when not."""
        marks = {True: "✓ ", False: "✗ ", None: ""}
        self.result.setText(marks[ok] + text)
        self.result.setProperty("outcome", {True: "ok", False: "failed", None: "none"}[ok])
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.show()

    # -- actions --------------------------------------------------------------------------

    @asyncSlot()
    async def test(self) -> bool | None:
        """Test the typed connection on a worker; the outcome appears beside the button."""
        config = self.config()
        if config is None or self._test_task is not None:
            return None
        self._test_task = asyncio.current_task()
        self.test_button.setEnabled(False)
        self._show_result(TESTING, ok=None)
        try:
            said = await run_blocking(test_connection, config)
        except UserFacingError as exc:
            self._show_result(str(exc), ok=False)
            return False
        except Exception as exc:  # a bug: logged with its traceback, told in general terms
            self.result.hide()
            show_failure(self, exc)
            return False
        finally:
            self._test_task = None
            self.test_button.setEnabled(True)
        self._show_result(said, ok=True)
        return True

    def save(self) -> None:
        """Validate, keep the connection in the vault and close."""
        config = self.config()
        if config is None:
            return
        try:
            self._vault.save_remote_config(config)
        except UserFacingError as exc:
            self._show_result(f"Not saved: {exc}", ok=False)
            return
        self.api_key.clear()
        log.info("remote API connection saved")
        self.connection_saved.emit()
        self.accept()

    def done(self, result: int) -> None:
        if self._test_task is not None:
            self._test_task.cancel()  # its late answer is dropped
        super().done(result)
