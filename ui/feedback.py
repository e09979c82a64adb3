"""How failures reach the person: the one path for every error, from any thread.

Expected problems (``UserFacingError``: a wrong password, invalid input, an unreachable
service) are shown as their message. ``Cancelled`` is silent. Anything else is a bug: it is
logged with its traceback (the log filter redacts secrets) and shown in one dialog with the
redacted details and 'Copy details'. ``install_error_hooks`` routes ``sys.excepthook``,
``threading.excepthook`` and the asyncio loop's exception handler here.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import Cancelled, UserFacingError
from app.logsetup import SECRETS
from ui.about import versions_text
from ui.error_dialog import ErrorDialog

log = logging.getLogger(__name__)

TITLE = "Integration Vault"


def error_details(error: BaseException, trace: TracebackType | None, where: str = "") -> str:
    """Versions, where it happened and the traceback, with every known secret masked."""
    lines = traceback.format_exception(type(error), error, trace or error.__traceback__)
    text = f"{versions_text()}\nWhere: {where or 'the window'}\n\n{''.join(lines)}"
    return SECRETS.redact(text)


class ErrorReporter(QObject):
    """Logs a bug and shows it; callable from any thread, the dialog opens on the GUI thread."""

    bug_reported = Signal(str)  # redacted details

    def __init__(self, log_file: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: ErrorDialog | None = None
        self.bug_reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(
        self, error: BaseException, trace: TracebackType | None = None, where: str = ""
    ) -> None:
        trace = trace or error.__traceback__
        # Only the type goes in the message: exception text could carry input values.
        log.error(
            "unexpected %s in %s",
            type(error).__name__,
            where or "the window",
            exc_info=(type(error), error, trace),
        )
        self.bug_reported.emit(error_details(error, trace, where))

    def _show(self, details: str) -> None:
        if self.dialog is None:
            parent = QApplication.activeWindow()
            self.dialog = ErrorDialog(str(self.log_file or ""), parent)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.add_error(details)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _forget_dialog(self) -> None:
        self.dialog = None


_reporter: ErrorReporter | None = None


def reporter() -> ErrorReporter:
    """The one reporter; made on the GUI thread by ``install_error_hooks`` or first use."""
    global _reporter  # one per process, like the hooks it serves
    if _reporter is None:
        _reporter = ErrorReporter()
    return _reporter


def as_sentence(message: str) -> str:
    """A message from the core ("wrong master password") as a sentence for a dialog."""
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask Yes or No, No being the default; True only for Yes."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_failure(parent: QWidget | None, error: BaseException) -> None:
    """Tell the person what failed, in the way the error's type asks for."""
    if isinstance(error, Cancelled):
        return
    if isinstance(error, UserFacingError):
        QMessageBox.warning(parent, TITLE, str(error))
        return
    reporter().report(error)


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    if isinstance(error, UserFacingError | Cancelled):
        show_failure(None, error)
        return
    reporter().report(error, trace, "the window")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    error = args.exc_value
    if error is None or isinstance(error, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "a thread"
    reporter().report(error, args.exc_traceback, f"background thread {name}")


def _loop_hook(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if error is None:
        log.warning("asyncio: %s", context.get("message", "unknown problem"))
        return
    if isinstance(error, UserFacingError | Cancelled):
        show_failure(None, error)
        return
    reporter().report(error, error.__traceback__, "a background task")


def install_error_hooks(
    loop: asyncio.AbstractEventLoop | None = None, log_file: Path | None = None
) -> ErrorReporter:
    """Send errors from slots, threads and asyncio tasks to the one dialog."""
    found = reporter()
    found.log_file = log_file
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook
    if loop is not None:
        loop.set_exception_handler(_loop_hook)
    return found
