"""Copying secrets: the "sensitive" hints, clearing after the interval, and only our own copy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import providers
from app.vault import Vault
from tests.ui.conftest import SECRET_KEY, add_s3
from ui.clipboard import KDE_HINT, MACOS_CONCEALED, WINDOWS_EXCLUDE, SecretClipboard
from ui.editor import IntegrationEditor

SHORT_S = 0.2


@pytest.fixture
def clipboard(qapp: QApplication) -> Iterator[QClipboard]:
    board = QGuiApplication.clipboard()
    board.clear()
    yield board
    board.clear()


def test_a_copied_secret_carries_the_do_not_record_hints(
    qtbot: QtBot, clipboard: QClipboard
) -> None:
    """The clipboard holds the secret plus KDE's, Windows' and macOS's sensitive markers."""
    secrets = SecretClipboard(30)

    secrets.copy_secret(SecretStr("tok-123456"))

    data = clipboard.mimeData()
    assert data.text() == "tok-123456"
    assert bytes(data.data(KDE_HINT).data()) == b"secret"
    assert data.hasFormat(WINDOWS_EXCLUDE)
    assert data.hasFormat(MACOS_CONCEALED)
    assert secrets.is_counting_down


def test_the_secret_is_cleared_after_the_interval(qtbot: QtBot, clipboard: QClipboard) -> None:
    """With nothing copied since, the secret is gone from the clipboard once the time is up."""
    secrets = SecretClipboard(SHORT_S)

    with qtbot.waitSignal(secrets.clipboard_cleared, timeout=2_000):
        secrets.copy_secret(SecretStr("tok-123456"))

    assert clipboard.text() == ""
    assert not secrets.holds_secret()


def test_something_copied_since_is_left_alone(qtbot: QtBot, clipboard: QClipboard) -> None:
    """Copying other text after the secret keeps that text when the interval ends."""
    secrets = SecretClipboard(SHORT_S)
    cleared: list[bool] = []
    secrets.clipboard_cleared.connect(lambda: cleared.append(True))
    secrets.copy_secret(SecretStr("tok-123456"))

    clipboard.setText("meeting notes")
    qtbot.waitUntil(lambda: not secrets.is_counting_down, timeout=2_000)

    assert clipboard.text() == "meeting notes"
    assert cleared == []


def test_clear_now_takes_the_secret_off_at_once(qtbot: QtBot, clipboard: QClipboard) -> None:
    """clear_now() (used when the vault locks) empties the clipboard while it holds ours."""
    secrets = SecretClipboard(30)
    secrets.copy_secret(SecretStr("tok-123456"))

    assert secrets.clear_now()

    assert clipboard.text() == ""
    assert not secrets.clear_now()


def test_copy_in_the_editor_copies_the_stored_secret_and_clears_it(
    qtbot: QtBot, vault: Vault, clipboard: QClipboard
) -> None:
    """Copy beside a saved secret puts the stored value on the clipboard, then clears it."""
    editor = IntegrationEditor(clipboard_clear_s=SHORT_S)
    qtbot.addWidget(editor)
    editor.show_integration(add_s3(vault), None)
    assert editor.form is not None
    copy = editor.form.copy_button_for("secretAccessKey")
    assert copy is not None and copy.isEnabled()

    with qtbot.waitSignal(editor.clipboard.secret_copied):
        copy.click()

    assert clipboard.text() == SECRET_KEY
    assert editor.notice() == "Secret access key copied (cleared in 1 s)."
    assert editor.form.editor_for("secretAccessKey").text() == ""  # still not on screen
    with qtbot.waitSignal(editor.clipboard.clipboard_cleared, timeout=2_000):
        pass
    assert clipboard.text() == ""
    assert editor.notice() == "Clipboard cleared."


def test_copy_is_off_until_there_is_a_secret(qtbot: QtBot, clipboard: QClipboard) -> None:
    """A new form's Copy button is disabled until a secret is typed, then copies that."""
    editor = IntegrationEditor()
    qtbot.addWidget(editor)
    editor.start_new(providers.get("helpscout"))
    assert editor.form is not None
    copy = editor.form.copy_button_for("apiKey")
    assert copy is not None
    assert not copy.isEnabled()

    qtbot.keyClicks(editor.form.editor_for("apiKey"), "typed-key")
    copy.click()

    assert clipboard.text() == "typed-key"
    assert "30 s" in copy.toolTip()
