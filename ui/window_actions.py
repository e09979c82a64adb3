"""The main window's actions (New, Save, Verify, Delete, Quit) with shortcuts, menu and toolbar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ui.resources import icon


class WindowActions:
    """Creates the actions once and puts them in the menu bar and the toolbar."""

    def __init__(self, window: QMainWindow) -> None:
        self.new = self._action(
            window,
            "new",
            "&New integration…",
            QKeySequence.StandardKey.New,
            "Add an integration: choose the platform, then the provider",
        )
        self.save = self._action(
            window, "save", "&Save", QKeySequence.StandardKey.Save, "Save the changes to the vault"
        )
        self.verify = self._action(
            window,
            "verify",
            "&Verify",
            QKeySequence("Ctrl+R"),
            "Check the credentials with the provider",
        )
        # No Del shortcut: it would compete with deleting text in the form.
        self.delete = self._action(
            window, "delete", "&Delete…", None, "Delete the integration from the vault"
        )
        self.quit = QAction("&Quit", window)
        self.quit.setShortcut(QKeySequence.StandardKey.Quit)

        file_menu = window.menuBar().addMenu("&File")
        file_menu.addAction(self.quit)
        menu = window.menuBar().addMenu("&Integration")
        for action in (self.new, self.save, self.verify):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete)

        toolbar = window.addToolBar("Integration")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # Save, Verify and Delete sit beside the editor they act on; the toolbar only starts.
        toolbar.addAction(self.new)

    @staticmethod
    def _action(
        window: QMainWindow,
        icon_name: str,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        tip: str,
    ) -> QAction:
        action = QAction(icon(icon_name), text, window)
        action.setToolTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            sequence = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({sequence})")
        action.setStatusTip(tip)
        return action
