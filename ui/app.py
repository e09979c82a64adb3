"""Starting the desktop app: Qt application, qasync loop, unlock dialog, then the window."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QDialog

from ui.feedback import install_excepthook
from ui.main_window import MainWindow
from ui.resources import apply_style, icon
from ui.tasks import shutdown_workers
from ui.unlock_dialog import UnlockDialog

log = logging.getLogger(__name__)

APP_NAME = "Integration Vault"


def main(vault_path: Path, argv: list[str] | None = None) -> int:
    """Run the GUI on ``vault_path``; 0 after a normal quit, 1 when no vault was opened."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(icon("vault"))
    apply_style(app)
    install_excepthook()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    dialog = UnlockDialog(Path(vault_path))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.vault is None:
        loop.close()
        return 1

    vault = dialog.vault
    window = MainWindow(vault)
    window.show()
    try:
        with loop:
            loop.run_forever()
    finally:
        shutdown_workers()
        vault.close()
        log.info("vault %s closed", vault.path)
    return 0
