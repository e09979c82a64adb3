"""Finding things: side list, search box (Ctrl+F), sortable columns, first-run guide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import providers
from app import timefmt
from app.default_target import set_default_target
from app.vault import Vault
from providers.base import Category, VerificationResult
from tests.ui.conftest import SECRET_KEY, add_s3, add_zendesk, open_window
from tests.ui.test_main_window import fill_s3_form
from ui.integration_model import CHECKED, DEFAULT_TARGET, LABEL, SYNC
from ui.main_window import MainWindow
from ui.new_dialog import NewIntegrationDialog


@pytest.fixture
def stocked(qtbot: QtBot, vault: Vault, qasync_loop: object) -> MainWindow:
    """Two S3 buckets (one passed, one passed 40 days ago) and a help center never checked."""
    now = timefmt.now()
    fresh = add_s3(vault, label="Acme exports", bucket="acme-exports")
    stale = add_s3(vault, label="Initech exports", bucket="initech-bucket")
    add_zendesk(vault, label="Globex help center")
    passed = VerificationResult(True, Category.OK, "reachable", 90)
    vault.record_check(fresh.id, passed, at=now - timedelta(minutes=3))
    vault.record_check(stale.id, passed, at=now - timedelta(days=40))
    window = open_window(qtbot, vault)
    with qtbot.waitSignal(window.search_details_loaded, timeout=5_000):
        pass
    return window


def test_side_list_filters_by_platform_and_attention(qtbot: QtBot, stocked: MainWindow) -> None:
    """Cloud storage shows the buckets; Needs attention shows the stale and the unchecked."""
    window = stocked
    assert window.views.item(3).text() == "Needs attention  (2)"

    window.views.setCurrentRow(1)
    assert window.listing.shown_labels() == ["Acme exports", "Initech exports"]
    window.views.setCurrentRow(2)
    assert window.listing.shown_labels() == ["Globex help center"]
    window.menu_actions.view_actions["attention"].trigger()
    assert window.views.current_view() == "attention"
    assert window.listing.shown_labels() == ["Globex help center", "Initech exports"]


def test_ctrl_f_searches_labels_providers_and_plain_fields(
    qtbot: QtBot, stocked: MainWindow
) -> None:
    """Ctrl+F goes to the search box; a bucket name or 'zendesk' finds its row."""
    window = stocked
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)  # shortcuts need the active window
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.listing.search_box.hasFocus()

    qtbot.keyClicks(window.listing.search_box, "initech-buck")
    assert window.listing.shown_labels() == ["Initech exports"]
    window.listing.search_box.clear()
    qtbot.keyClicks(window.listing.search_box, "Zendesk")
    assert window.listing.shown_labels() == ["Globex help center"]
    qtbot.keyClick(window.listing.search_box, Qt.Key.Key_Escape)
    assert len(window.listing.shown_labels()) == 3


def test_search_never_matches_a_secret(qtbot: QtBot, stocked: MainWindow) -> None:
    """Typing a stored secret key finds nothing and says so."""
    window = stocked

    window.listing.search_box.setText(SECRET_KEY[:12])

    assert window.listing.shown_labels() == []
    assert window.listing.no_matches.isVisible()
    assert "matches" in window.listing.no_matches.text()


def test_columns_sort_when_their_header_is_clicked(qtbot: QtBot, stocked: MainWindow) -> None:
    """Sorting by 'Checked' puts the most recent check first when descending."""
    window = stocked

    window.table.sortByColumn(CHECKED, Qt.SortOrder.DescendingOrder)

    assert window.listing.shown_labels() == [
        "Acme exports",
        "Initech exports",
        "Globex help center",
    ]
    window.table.sortByColumn(LABEL, Qt.SortOrder.AscendingOrder)
    assert window.listing.shown_labels()[0] == "Acme exports"


def test_the_sync_column_appears_once_something_syncs(
    qtbot: QtBot, vault: Vault, stocked: MainWindow
) -> None:
    """With everything local the Sync column is hidden; a synced row brings it back."""
    window = stocked
    assert window.table.isColumnHidden(SYNC)
    first = vault.rows()[0]

    vault.mark_synced(first.id, "remote-1", timefmt.now())
    window.model.put(vault.row(first.id))

    assert not window.table.isColumnHidden(SYNC)
    assert window.proxy.index(0, SYNC).data() == "synced"


def test_an_empty_vault_shows_the_first_run_guide(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty vault shows the guide; its button opens New, and a saved one shows the list."""
    monkeypatch.setattr(
        NewIntegrationDialog, "ask", classmethod(lambda cls, parent: providers.get("s3"))
    )
    assert window.pages.currentWidget() is window.first_run
    assert window.first_run.add_button.isVisible()

    window.first_run.add_button.click()
    assert window.pages.currentWidget() is window.splitter
    fill_s3_form(qtbot, window)
    window.editor.save_button.click()

    assert window.pages.currentWidget() is window.splitter
    assert window.listing.shown_labels() == ["Acme screenshots"]


def test_tab_goes_from_the_side_list_to_search_to_the_list(
    qtbot: QtBot, stocked: MainWindow
) -> None:
    """Tab moves side list → search box → integration list, each with an accessible name."""
    window = stocked
    window.activateWindow()
    window.views.setFocus()

    qtbot.keyClick(window.views, Qt.Key.Key_Tab)
    assert window.listing.search_box.hasFocus()
    qtbot.keyClick(window.listing.search_box, Qt.Key.Key_Tab)
    assert window.table.hasFocus()
    names = [w.accessibleName() for w in (window.views, window.listing.search_box, window.table)]
    assert names == ["Show", "Search integrations", "Integrations"]


def test_the_default_export_target_has_a_star(
    qtbot: QtBot, vault: Vault, stocked: MainWindow
) -> None:
    """Making a bucket the default export target stars its row; the column shows then."""
    window = stocked
    assert window.table.isColumnHidden(DEFAULT_TARGET)
    target = next(row for row in vault.rows() if row.label == "Acme exports")

    set_default_target(vault, target.id)
    window.export_target.refresh()

    assert not window.table.isColumnHidden(DEFAULT_TARGET)
    stars = [window.proxy.index(n, DEFAULT_TARGET).data() for n in range(3)]
    labels = window.listing.shown_labels()
    assert stars[labels.index("Acme exports")] == "★"
    assert stars.count("★") == 1
