"""Feels native: menus with shortcuts and tooltips, light and dark, remembered layout, About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from app.vault import Vault
from tests.ui.conftest import add_s3, add_zendesk
from ui import palette
from ui.about import AboutDialog
from ui.integration_model import LABEL, STATUS
from ui.main_window import MainWindow
from ui.palette import Theme, style_sheet
from ui.status_badge import StatusBadgeDelegate

REQUIRED_SHORTCUTS = {
    "new": "Ctrl+N",
    "save": "Ctrl+S",
    "verify": "Ctrl+R",
    "verify_all": "Ctrl+Shift+R",
    "find": "Ctrl+F",
    "cancel": "Esc",
}


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text().replace("&", "") for action in window.menuBar().actions()]


def test_every_window_action_has_a_shortcut_a_tooltip_and_a_menu(
    qtbot: QtBot, window: MainWindow
) -> None:
    """New, Save, Verify, Verify all, Find, Cancel… each sit in a menu with key and tooltip."""
    actions = window.menu_actions
    for name, keys in REQUIRED_SHORTCUTS.items():
        assert getattr(actions, name).shortcut() == QKeySequence(keys), name
    in_menus = {a for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()}
    own = [a for a in vars(actions).values() if isinstance(a, QAction)]
    own += list(actions.view_actions.values())
    assert len(own) == 14  # ten of its own and four views
    for action in own:
        assert action in in_menus, action.text()
        assert not action.shortcut().isEmpty(), action.text()
        assert action.toolTip() and action.toolTip() != action.text(), action.text()


def test_menus_keep_their_order_when_others_add_one(qtbot: QtBot, window: MainWindow) -> None:
    """A menu added later by name ("Reports") goes before Help; asking again gives the same."""
    reports = window.menu("Reports")

    assert window.menu("Reports") is reports
    titles = menu_titles(window)
    assert titles[0] == "File" and titles[-1] == "Help"
    assert titles.index("Reports") == len(titles) - 2
    assert titles.index("Edit") < titles.index("View") < titles.index("Integration")


def test_dark_palette_is_applied_with_readable_accents(qtbot: QtBot, qapp: QApplication) -> None:
    """Forcing dark gives a dark window colour, dark badges and a style sheet with no tokens."""
    before = (qapp.palette(), qapp.styleSheet(), qapp.style().name())
    try:
        Theme(qapp, "dark")
        assert palette.is_dark()
        assert palette.accents() is palette.DARK
        assert "@" not in qapp.styleSheet()
        Theme(qapp, "light")
        assert not palette.is_dark()
        assert palette.accents() is palette.LIGHT
    finally:
        qapp.setPalette(before[0])
        qapp.setStyleSheet(before[1])
    assert palette.DARK.failed in style_sheet(palette.DARK)


def test_the_status_column_is_drawn_as_a_badge(
    qtbot: QtBot, vault: Vault, window: MainWindow
) -> None:
    """The Status column uses the badge delegate, and the Label column a provider icon."""
    add_s3(vault)
    window.model.set_rows(vault.rows())
    delegate = window.table.itemDelegateForColumn(3)
    assert isinstance(delegate, StatusBadgeDelegate)
    assert not window.proxy.index(0, LABEL).data(1).isNull()  # DecorationRole
    image = window.table.grab().toImage()
    assert image.width() > 0


def narrow_window(qtbot: QtBot, vault: Vault) -> MainWindow:
    """A window that fits the 800-pixel offscreen screen (restoring a geometry clamps to it)."""
    shown = MainWindow(vault)
    shown.editor.setMinimumWidth(200)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_layout_is_remembered_between_windows(
    qtbot: QtBot, vault: Vault, qasync_loop: object
) -> None:
    """Splitter sizes, column widths, sorting and the side-list view come back next time."""
    add_zendesk(vault, label="Globex help center")
    add_zendesk(vault, label="Zeta help center")
    first = narrow_window(qtbot, vault)
    first.resize(780, 560)
    first.splitter.setSizes([170, 390, 210])
    sizes = first.splitter.sizes()
    first.table.horizontalHeader().resizeSection(STATUS, 177)
    first.table.sortByColumn(LABEL, Qt.SortOrder.DescendingOrder)
    first.views.setCurrentRow(2)
    first.close()

    second = narrow_window(qtbot, vault)

    assert second.size() == first.size()
    assert second.splitter.sizes() == sizes
    assert second.table.horizontalHeader().sectionSize(STATUS) == 177
    assert second.views.current_view() == "helpcenter"
    assert second.listing.shown_labels() == ["Zeta help center", "Globex help center"]


def test_about_lists_versions_and_copies_them(qtbot: QtBot, vault: Vault) -> None:
    """About names the app, Python, Qt, PySide6 and SQLCipher versions; Copy copies them."""
    dialog = AboutDialog(vault.path)
    qtbot.addWidget(dialog)

    text = dialog.text()
    for name in ("Integration Vault:", "Python:", "Qt:", "PySide6:", "SQLCipher:", "Vault:"):
        assert name in text
    assert "SQLCipher: unknown" not in text
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text


def test_status_bar_shows_the_vault_and_takes_other_widgets(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The vault path is on the right; a widget added later sits before it."""
    from PySide6.QtWidgets import QLabel

    countdown = QLabel("Locks in 5:00")
    window.status.add_permanent(countdown)

    assert window.status.vault_label.text().startswith("Vault: ")
    assert countdown.isVisible()
    assert countdown.x() < window.status.vault_label.x()
    assert window.palette().color(QPalette.ColorRole.Window).isValid()


def test_fitted_columns_are_fitted_again_next_time(
    qtbot: QtBot, vault: Vault, qasync_loop: object
) -> None:
    """Columns nobody dragged are sized to their content again in the next window."""
    add_zendesk(vault, label="Globex help center")
    first = narrow_window(qtbot, vault)
    first.close()

    second = narrow_window(qtbot, vault)

    assert not second.listing.sized_by_hand
