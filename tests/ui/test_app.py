"""Starting the app: the unlock-or-create dialog first, then the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.vault import Vault
from tests.ui.conftest import PASSWORD
from ui import app as ui_app
from ui.main_window import MainWindow
from ui.palette import Theme
from ui.unlock_dialog import UnlockDialog


@pytest.fixture
def quiet_start(monkeypatch: pytest.MonkeyPatch, qapp: QApplication, tmp_path: Path) -> None:
    """Keep pytest's hooks, logging and the session's plain look while main() runs."""
    monkeypatch.setattr(ui_app, "install_error_hooks", lambda *args: None)
    monkeypatch.setattr(ui_app, "install_theme", lambda app: Theme(app, "light"))
    monkeypatch.setattr(ui_app.logsetup, "configure", lambda: tmp_path / "test.log")


def when_shown(kind: type, act: object) -> None:
    """Run ``act(widget)`` as soon as a top-level widget of ``kind`` is on screen."""

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                act(widget)  # type: ignore[operator]
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def test_main_creates_a_vault_then_shows_the_window(
    qtbot: QtBot, tmp_path: Path, quiet_start: None
) -> None:
    """On a new path, main() asks for the password twice, creates the vault, opens the window."""
    path = tmp_path / "fresh.vault"
    seen: list[object] = []

    def unlock(dialog: UnlockDialog) -> None:
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClicks(dialog.confirm, PASSWORD)
        dialog.ok_button.click()

    def close(window: MainWindow) -> None:
        seen.extend([window.windowTitle(), window.vault.path])
        window.close()

    when_shown(UnlockDialog, unlock)
    when_shown(MainWindow, close)
    assert ui_app.main(path, []) == 0

    assert seen == ["fresh.vault", path]  # Qt adds " — Integration Vault" after it
    Vault.open(path, PASSWORD).close()


def test_cancelling_the_dialog_opens_nothing(
    qtbot: QtBot, tmp_path: Path, quiet_start: None
) -> None:
    """Cancelling the unlock dialog ends main() with 1 and creates no file."""
    path = tmp_path / "never.vault"
    when_shown(UnlockDialog, lambda dialog: dialog.reject())

    assert ui_app.main(path, []) == 1
    assert not path.exists()
