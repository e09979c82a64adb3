"""Errors have one path: expected ones as their message, bugs in one dialog with details."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import Cancelled, UserFacingError
from app.logsetup import REDACTED, RedactingFilter
from app.vault import Vault
from tests.ui.conftest import SECRET_KEY, add_s3
from ui import feedback
from ui.error_dialog import ErrorDialog


@pytest.fixture
def hooks(
    monkeypatch: pytest.MonkeyPatch, qasync_loop: qasync.QEventLoop
) -> Iterator[feedback.ErrorReporter]:
    """The app's error hooks installed for one test, then the previous ones put back."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reporter = feedback.install_error_hooks(qasync_loop)
    yield reporter
    qasync_loop.set_exception_handler(None)
    if reporter.dialog is not None:
        reporter.dialog.close()


def dialog_of(reporter: feedback.ErrorReporter) -> ErrorDialog:
    assert reporter.dialog is not None
    return reporter.dialog


def test_a_crash_in_a_thread_shows_redacted_details(
    qtbot: QtBot,
    vault: Vault,
    hooks: feedback.ErrorReporter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A thread failing with a secret in its message opens the dialog with the secret masked."""
    add_s3(vault)  # the secret key is now one the redaction knows

    def fail() -> None:
        raise RuntimeError(f"could not use {SECRET_KEY}")

    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.ERROR):
        worker = threading.Thread(target=fail, name="export-worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: hooks.dialog is not None and hooks.dialog.isVisible())

    details = dialog_of(hooks).details.toPlainText()
    assert "RuntimeError" in details and "export-worker" in details
    assert SECRET_KEY not in details and REDACTED in details
    assert "Python:" in details and "PySide6:" in details
    assert SECRET_KEY not in caplog.text and "Traceback" in caplog.text
    dialog_of(hooks).copy_button.click()
    assert QGuiApplication.clipboard().text() == details


def test_errors_from_tasks_and_slots_gather_in_one_dialog(
    qtbot: QtBot, hooks: feedback.ErrorReporter
) -> None:
    """A failing asyncio task and a failing slot both land in the same dialog."""

    async def broken() -> None:
        raise KeyError("no-such-key")

    task = asyncio.ensure_future(broken())
    qtbot.waitUntil(task.done)
    task.get_loop().call_exception_handler(
        {"message": "task failed", "exception": task.exception()}
    )
    try:
        raise ZeroDivisionError("bad sum")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: hooks.dialog is not None and hooks.dialog.error_count == 2)

    details = dialog_of(hooks).details.toPlainText()
    assert "KeyError" in details and "ZeroDivisionError" in details
    assert "2 unexpected errors" in dialog_of(hooks).windowTitle()


def test_expected_problems_show_their_message_and_cancel_is_silent(
    qtbot: QtBot, hooks: feedback.ErrorReporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user-facing error reads as written (no bug dialog); Cancelled shows nothing."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))

    sys.excepthook(UserFacingError, UserFacingError("the vault is busy"), None)
    sys.excepthook(Cancelled, Cancelled(), None)
    feedback.show_failure(None, UserFacingError("wrong master password"))
    qtbot.wait(50)

    assert shown == ["the vault is busy", "wrong master password"]
    assert hooks.dialog is None
