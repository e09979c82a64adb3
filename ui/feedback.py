"""How failures reach the person: user-facing as written, cancelled silently, bugs logged."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import Cancelled, UserFacingError

log = logging.getLogger(__name__)

TITLE = "Integration Vault"
BUG_MESSAGE = (
    "Something went wrong inside Integration Vault (a bug, not something you did). "
    "Your vault is unchanged unless you saw it saved. Details are in the log file."
)


def show_failure(parent: QWidget | None, error: BaseException) -> None:
    """Tell the person what failed, in the way the error's type asks for."""
    if isinstance(error, Cancelled):
        return
    if isinstance(error, UserFacingError):
        QMessageBox.warning(parent, TITLE, str(error))
        return
    # Only the type goes in the message: exception text could carry input values.
    log.error("unexpected %s", type(error).__name__, exc_info=error)
    QMessageBox.critical(parent, TITLE, BUG_MESSAGE)


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if isinstance(error, UserFacingError | Cancelled):
        show_failure(None, error)
        return
    log.error("unhandled %s", kind.__name__, exc_info=(kind, error, trace))
    QMessageBox.critical(None, TITLE, BUG_MESSAGE)


def install_excepthook() -> None:
    """Errors escaping a slot (async ones included) become a message, not a dead window."""
    sys.excepthook = _excepthook
