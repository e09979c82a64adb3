"""Starting the desktop app: logging, Qt application and theme, unlock dialog, the window."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QDialog

from app import logsetup, paths
from ui.feedback import install_error_hooks
from ui.main_window import MainWindow
from ui.palette import install_theme
from ui.resources import icon
from ui.tasks import shutdown_workers
from ui.unlock_dialog import UnlockDialog
from ui.window_state import APPLICATION, ORGANIZATION

log = logging.getLogger(__name__)

APP_NAME = "Integration Vault"
LOG_FILE = "integration-vault.log"  # the name app.logsetup gives its file


def main(vault_path: Path, argv: list[str] | None = None) -> int:
    """Run the GUI on ``vault_path``; 0 after a normal quit, 1 when no vault was opened."""
    # The command line may have configured logging already; then the default file is used.
    log_file = logsetup.configure() or paths.log_dir() / LOG_FILE
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("integration-vault")
    theme = install_theme(app)
    app.setWindowIcon(icon("vault"))

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    install_error_hooks(loop, log_file)
    dialog = UnlockDialog(Path(vault_path))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.vault is None:
        loop.close()
        return 1

    window = MainWindow(dialog.vault)
    theme.theme_changed.connect(lambda _dark: window.menu_actions.refresh_icons())
    window.show()
    try:
        with loop:
            loop.run_forever()
    finally:
        shutdown_workers()
        window.vault.close()  # the window's vault: a lock may have reopened it
        log.info("vault %s closed", window.vault.path)
    return 0
