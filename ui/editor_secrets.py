"""The editor's secret fields: revealing a stored secret, copying one, and saying so."""

from __future__ import annotations

from pydantic import SecretStr
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from app.models import Integration
from ui.clipboard import SecretClipboard
from ui.form import CredentialForm

CLEARED_NOTICE = "Clipboard cleared."


def stored_secret(integration: Integration | None, wire: str) -> SecretStr | None:
    """The stored secret named ``wire`` (kept a ``SecretStr``), or None."""
    if integration is None:
        return None
    credentials = integration.credentials
    for name, info in type(credentials).model_fields.items():
        if (info.alias or name) == wire:
            value = getattr(credentials, name)
            return value if isinstance(value, SecretStr) and value.get_secret_value() else None
    return None


class SecretActions(QObject):
    """Answers a form's reveal and copy requests; a short note beside the buttons tells.

    A stored secret leaves the integration only when the person presses its eye (shown in
    the field) or Copy (put on the clipboard, marked sensitive, cleared after
    ``clear_after_s`` if still there).
    """

    def __init__(self, notice: QLabel, clear_after_s: float, parent: QObject) -> None:
        super().__init__(parent)
        self.clipboard = SecretClipboard(clear_after_s, self)
        self.clipboard.secret_copied.connect(self._on_copied)
        self.clipboard.clipboard_cleared.connect(lambda: self._say(CLEARED_NOTICE, 4000))
        self._notice = notice
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(notice.clear)
        self._form: CredentialForm | None = None
        self._integration: Integration | None = None
        self._copied_title = ""

    def attach(self, form: CredentialForm | None, integration: Integration | None) -> None:
        """Serve ``form`` (None: no form) whose stored secrets are ``integration``'s."""
        if form is not None and form is not self._form:
            form.secret_reveal_requested.connect(self.reveal)
            form.secret_copy_requested.connect(self.copy)
        self._form, self._integration = form, integration
        self._notice.clear()
        self._show_copy_hint()

    def reveal(self, wire: str) -> None:
        secret = stored_secret(self._integration, wire)
        if self._form is not None and secret is not None:
            self._form.show_stored_secret(wire, secret)

    def copy(self, wire: str) -> None:
        """Copy what the field holds: the typed secret, else the stored one."""
        if self._form is None:
            return
        secret = self._form.typed_secret(wire) or stored_secret(self._integration, wire)
        if secret is None:
            return
        self._copied_title = self._form.title_for(wire)
        self.clipboard.copy_secret(secret)

    @property
    def clear_after_s(self) -> float:
        return self.clipboard.clear_after_s

    @clear_after_s.setter
    def clear_after_s(self, seconds: float) -> None:
        self.clipboard.clear_after_s = seconds
        self._show_copy_hint()

    def _show_copy_hint(self) -> None:
        if self._form is not None:
            seconds = round(self.clipboard.clear_after_s)
            cleared = f"cleared from the clipboard after {seconds} s"
            self._form.set_copy_hint(cleared if seconds > 0 else "marked secret for the clipboard")

    def _on_copied(self, seconds: int) -> None:
        after = f" (cleared in {seconds} s)" if seconds else ""
        self._say(f"{self._copied_title or 'Secret'} copied{after}.", (seconds or 10) * 1000)

    def _say(self, text: str, for_ms: int) -> None:
        self._notice.setText(text)
        self._notice_timer.start(for_ms)
