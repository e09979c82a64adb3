"""The main window's actions with shortcuts and tooltips, its menus and its toolbar.

Other parts of the window add their own menus through ``menu(name)``, which keeps the
menu bar in a fixed order (File, Edit, View, Integration, Vault, Sync, Help).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.integration_model import SHOW_ALL, SHOW_ATTENTION, SHOW_CLOUD, SHOW_HELPCENTER
from ui.resources import icon
from ui.sidebar import VIEW_TITLES

MENU_ORDER = ("File", "Edit", "View", "Integration", "Vault", "Sync", "Help")
MENU_TITLES = {
    "File": "&File",
    "Edit": "&Edit",
    "View": "&View",
    "Integration": "&Integration",
    "Vault": "V&ault",
    "Sync": "S&ync",
    "Help": "&Help",
}
Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


class WindowActions:
    """Creates the actions once and puts them in the menu bar and the toolbar."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self._menus: dict[str, QMenu] = {}
        self._icon_names: dict[QAction, str] = {}
        make = self._action

        self.new = make(
            "new",
            "&New integration…",
            QKeySequence.StandardKey.New,
            "Add an integration: choose the platform, then the provider",
        )
        self.save = make(
            "save", "&Save", QKeySequence.StandardKey.Save, "Save the changes to the vault"
        )
        self.verify = make(
            "verify",
            "&Verify",
            "Ctrl+R",
            "Check the selected integration's credentials with its provider",
        )
        self.verify_all = make(
            "verify-all",
            "Verify &all",
            "Ctrl+Shift+R",
            "Check every integration; results appear row by row",
        )
        self.cancel = make(
            "stop",
            "&Cancel checks",
            "Esc",
            "Stop waiting for running checks; late results are dropped",
        )
        self.delete = make(
            "delete",
            "&Delete…",
            QKeySequence.StandardKey.Delete,
            "Delete the selected integration (you can undo until you close)",
        )
        # Delete acts on the list only: in a text field the key deletes text.
        self.delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.undo_delete = make(
            "undo",
            "&Undo delete",
            QKeySequence.StandardKey.Undo,
            "Bring back the integration deleted last",
        )
        self.find = make(
            "search",
            "&Find…",
            QKeySequence.StandardKey.Find,
            "Search labels, providers and non-secret fields",
        )
        self.about = make(
            "info",
            "&About Integration Vault",
            "F1",
            "Versions, and where the vault and the log file are",
        )
        self.quit = make("", "&Quit", "Ctrl+Q", "Close the window")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        self.views = QActionGroup(window)
        self.view_actions: dict[str, QAction] = {}
        for number, view in enumerate((SHOW_ALL, SHOW_CLOUD, SHOW_HELPCENTER, SHOW_ATTENTION), 1):
            action = make("", VIEW_TITLES[view], f"Ctrl+{number}", f"Show {VIEW_TITLES[view]}")
            action.setCheckable(True)
            action.setData(view)
            self.views.addAction(action)
            self.view_actions[view] = action
        self.view_actions[SHOW_ALL].setChecked(True)

        self.menu("File").addAction(self.quit)
        edit = self.menu("Edit")
        edit.addAction(self.undo_delete)
        edit.addSeparator()
        edit.addAction(self.find)
        self.menu("View").addActions(list(self.view_actions.values()))
        integration = self.menu("Integration")
        integration.addActions([self.new, self.save, self.verify, self.verify_all, self.cancel])
        integration.addSeparator()
        integration.addAction(self.delete)
        self.menu("Help").addAction(self.about)

        toolbar = window.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # Save, Verify and Delete sit beside the editor they act on; the toolbar starts things.
        toolbar.addActions([self.new, self.verify_all])
        self.toolbar = toolbar

    def menu(self, name: str) -> QMenu:
        """The menu called ``name`` (without '&'), made in its place in the bar when new."""
        found = self._menus.get(name)
        if found is not None:
            return found
        bar = self._window.menuBar()
        created = QMenu(MENU_TITLES.get(name, name), bar)
        created.setObjectName(f"menu{name}")
        created.setToolTipsVisible(True)
        rank = _rank(name)
        later = [m for n, m in self._menus.items() if _rank(n) > rank]
        before = min(later, key=lambda m: _rank(_name_of(self._menus, m)), default=None)
        if before is None:
            bar.addMenu(created)
        else:
            bar.insertMenu(before.menuAction(), created)
        self._menus[name] = created
        return created

    def refresh_icons(self) -> None:
        """Icons again after a palette change (line icons follow the text colour)."""
        for action, name in self._icon_names.items():
            action.setIcon(icon(name))

    def _action(self, icon_name: str, text: str, shortcut: Shortcut, tip: str) -> QAction:
        action = QAction(text, self._window)
        if icon_name:
            action.setIcon(icon(icon_name))
            self._icon_names[action] = icon_name
        action.setToolTip(tip)
        if shortcut is not None:
            sequence = QKeySequence(shortcut)
            action.setShortcut(sequence)
            shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if shown:
                action.setToolTip(f"{tip} ({shown})")
        action.setStatusTip(tip)
        self._window.addAction(action)  # shortcuts work while the menu bar is hidden too
        return action


def _rank(name: str) -> float:
    """Where a menu goes: its place in MENU_ORDER; unknown menus just before Help."""
    return MENU_ORDER.index(name) if name in MENU_ORDER else MENU_ORDER.index("Help") - 0.5


def _name_of(menus: dict[str, QMenu], menu: QMenu) -> str:
    return next(name for name, found in menus.items() if found is menu)
