"""Copying a secret: marked sensitive for clipboard managers, and cleared again after a while."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os

from pydantic import SecretStr
from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

log = logging.getLogger(__name__)

DEFAULT_CLEAR_AFTER_S = 30

# Formats that ask clipboard managers and clipboard history not to record the content.
# Each platform reads its own and ignores the others, so all of them are always offered.
KDE_HINT = "x-kde-passwordManagerHint"  # Klipper and most Linux clipboard managers
WINDOWS_EXCLUDE = (
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"'
)
WINDOWS_NO_HISTORY = 'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"'
MACOS_CONCEALED = "org.nspasteboard.ConcealedType"
SENSITIVE_HINTS: dict[str, bytes] = {
    KDE_HINT: b"secret",
    WINDOWS_EXCLUDE: b"1",
    WINDOWS_NO_HISTORY: (0).to_bytes(4, "little"),  # a DWORD 0: "keep out of history"
    MACOS_CONCEALED: b"1",
}


def sensitive_mime_data(text: str) -> QMimeData:
    """``text`` as clipboard content, with every platform's "do not record this" hint."""
    data = QMimeData()
    data.setText(text)
    for mime_type, value in SENSITIVE_HINTS.items():
        data.setData(mime_type, QByteArray(value))
    return data


class SecretClipboard(QObject):
    """Puts one secret at a time on the clipboard and takes it off after ``clear_after_s``.

    The clipboard is cleared only while it still holds exactly the copied secret: anything
    the person copied since is left alone. Only a salted digest of the secret is kept here,
    never the secret itself. ``clear_after_s`` of 0 (or less) keeps the secret until
    ``clear_now()`` or the application quits.
    """

    secret_copied = Signal(int)  # seconds until it is cleared (0: not automatically)
    clipboard_cleared = Signal()

    def __init__(
        self, clear_after_s: float = DEFAULT_CLEAR_AFTER_S, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.clear_after_s = clear_after_s
        self._salt = os.urandom(16)
        self._digest: bytes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_now)
        app = QGuiApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clear_now)

    def copy_secret(self, secret: SecretStr) -> None:
        """Put ``secret`` on the clipboard, marked sensitive; start the clearing countdown."""
        text = secret.get_secret_value()
        QGuiApplication.clipboard().setMimeData(
            sensitive_mime_data(text), QClipboard.Mode.Clipboard
        )
        self._digest = self._digest_of(text)
        seconds = math.ceil(self.clear_after_s) if self.clear_after_s > 0 else 0
        if self.clear_after_s > 0:
            self._timer.start(int(self.clear_after_s * 1000))
        else:
            self._timer.stop()
        log.debug("a secret was copied; clearing in %d s", seconds)
        self.secret_copied.emit(seconds)

    def holds_secret(self) -> bool:
        """Whether the clipboard still holds exactly the secret copied last."""
        if self._digest is None:
            return False
        current = QGuiApplication.clipboard().text(QClipboard.Mode.Clipboard)
        return hmac.compare_digest(self._digest_of(current), self._digest)

    def clear_now(self) -> bool:
        """Clear the clipboard if it still holds the copied secret; True when it did."""
        self._timer.stop()
        ours = self.holds_secret()
        self._digest = None
        if not ours:
            return False
        QGuiApplication.clipboard().clear(QClipboard.Mode.Clipboard)
        log.debug("the copied secret was cleared from the clipboard")
        self.clipboard_cleared.emit()
        return True

    @property
    def is_counting_down(self) -> bool:
        return self._timer.isActive()

    def _digest_of(self, text: str) -> bytes:
        return hashlib.sha256(self._salt + text.encode("utf-8")).digest()
