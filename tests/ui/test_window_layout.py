"""What fits where: status badges in their pills, the list's columns, the status bar's texts."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.default_target import set_default_target
from app.vault import Vault
from providers.base import Category, VerificationResult
from tests.ui.conftest import add_s3, add_zendesk, open_window
from ui.integration_model import CHECKED, DEFAULT_TARGET, LABEL, PROVIDER, STATUS
from ui.main_window import MainWindow
from ui.status_badge import StatusBadgeDelegate, badge_font

LONG_BADGES = ("Failed: misconfigured", "Failed: rate limited", "Failed: not found", "OK")


def failed(category: Category) -> VerificationResult:
    return VerificationResult(False, category, "The provider said no.", 20)


def docs_sized(qtbot: QtBot, window: MainWindow, vault: Vault) -> MainWindow:
    """The window at the docs' size with rows whose badges are the longest there are."""
    for number, category in enumerate(
        (Category.MISCONFIGURED, Category.RATE_LIMITED, Category.NOT_FOUND)
    ):
        item = add_s3(vault, label=f"Bucket {number}", bucket=f"bucket-{number}")
        vault.record_check(item.id, failed(category))
    add_zendesk(vault)
    window.model.set_rows(vault.rows())
    window.resize(1240, 720)
    qtbot.wait(100)  # the columns are fitted a moment after the rows and sizes change
    return window


def test_every_badge_has_room_on_both_sides_of_its_text(qtbot: QtBot, window: MainWindow) -> None:
    """'Failed: misconfigured' and the like sit inside their pill with padding left and right."""
    delegate = StatusBadgeDelegate(0)
    option = QStyleOptionViewItem()
    option.font = window.table.font()
    option.rect = QRect(0, 0, 300, 30)
    for text in LONG_BADGES:
        badge, shown = delegate.badge_geometry(option, text)
        drawn = QFontMetrics(badge_font(option)).horizontalAdvance(shown)

        assert shown == text
        assert badge.width() - drawn >= 2 * StatusBadgeDelegate.PADDING_X
        assert badge.left() > option.rect.left()


def test_the_status_column_fits_its_widest_badge(
    qtbot: QtBot, window: MainWindow, vault: Vault
) -> None:
    """In the docs-sized window every badge shows whole, none shortened with '…'."""
    docs_sized(qtbot, window, vault)
    table = window.table
    delegate = table.itemDelegateForColumn(STATUS)
    assert isinstance(delegate, StatusBadgeDelegate)

    for row in range(table.model().rowCount()):
        index = table.model().index(row, STATUS)
        option = QStyleOptionViewItem()
        option.font = table.font()
        option.rect = table.visualRect(index)
        badge, shown = delegate.badge_geometry(option, index.data())
        assert shown == index.data()
        assert option.rect.contains(badge.toAlignedRect())


def test_the_star_column_brings_no_horizontal_scroll_bar(
    qtbot: QtBot, window: MainWindow, vault: Vault
) -> None:
    """With a default export target the ★ column shows and 'Checked' still fits the panel."""
    docs_sized(qtbot, window, vault)
    target = add_s3(vault, label="Export bucket", bucket="export-bucket")
    window.model.put(vault.row(target.id))
    set_default_target(vault, target.id)
    window.export_target.refresh()
    qtbot.wait(100)

    table = window.table
    header = table.horizontalHeader()
    assert not table.isColumnHidden(DEFAULT_TARGET)
    assert not table.horizontalScrollBar().isVisible()
    checked = header.sectionViewportPosition(CHECKED) + header.sectionSize(CHECKED)
    assert checked <= table.viewport().width()
    assert header.sectionSize(CHECKED) >= header.sectionSizeHint(CHECKED)
    assert header.sectionSize(LABEL) >= 150


def test_a_status_tip_is_shown_whole(qtbot: QtBot, window: MainWindow, vault: Vault) -> None:
    """Hovering 'Verify all' reads its whole hint, even beside a long export-target name."""
    docs_sized(qtbot, window, vault)
    target = add_s3(vault, label="Acme – screenshot export", bucket="acme-eu-screenshots-2026")
    set_default_target(vault, target.id)
    window.export_target.refresh()
    tip = "Check every integration; results appear row by row"
    window.resize(1000, 640)  # a laptop-sized window, where the hint was cut at "row by r"
    qtbot.wait(50)

    window.statusBar().showMessage(tip)
    qtbot.wait(50)

    bar = window.statusBar()
    room = min(
        widget.mapTo(bar, widget.rect().topLeft()).x()
        for widget in (window.export_target.status_label, window.status.vault_label)
    )
    assert bar.fontMetrics().horizontalAdvance(tip) < room


def test_the_export_target_is_shortened_with_its_full_name_in_the_tooltip(
    qtbot: QtBot, window: MainWindow, vault: Vault
) -> None:
    """A long target name ends in '…' in the status bar; the tooltip names it in full."""
    target = add_s3(vault, label="Acme EU – screenshots", bucket="acme-eu-screenshots-archive")
    set_default_target(vault, target.id)
    window.resize(1240, 720)
    window.export_target.refresh()
    qtbot.wait(50)

    label = window.export_target.status_label
    assert label.text().endswith("…")
    assert label.width() <= label.widest
    assert "bucket acme-eu-screenshots-archive, region us-east-1" in label.toolTip()


def test_a_column_sized_by_hand_keeps_its_width_as_results_arrive(
    qtbot: QtBot, vault: Vault, qasync_loop: object
) -> None:
    """After a person drags the Provider column wider, refitting the columns leaves it be."""
    add_zendesk(vault, label="Acme help center")
    window = open_window(qtbot, vault)
    header = window.table.horizontalHeader()
    header.resizeSection(PROVIDER, 260)

    window.listing.fit_columns()

    assert header.sectionSize(PROVIDER) == 260


def test_a_lone_badge_is_shown_whole(qtbot: QtBot, vault: Vault, qasync_loop: object) -> None:
    """With one never-checked row, its column is sized so 'Not checked' is not elided."""
    add_zendesk(vault, label="Acme help center")
    window = open_window(qtbot, vault)
    window.resize(1400, 860)
    table = window.table
    delegate = table.itemDelegateForColumn(STATUS)
    assert isinstance(delegate, StatusBadgeDelegate)
    index = table.model().index(0, STATUS)
    qtbot.waitUntil(
        lambda: (
            table.horizontalHeader().sectionSize(STATUS)
            >= delegate.width_for("Not checked", QFontMetrics(badge_font(_option(table, index))))
        ),
        timeout=2_000,
    )

    _badge, shown = delegate.badge_geometry(_option(table, index), index.data())

    assert shown == "Not checked"


def _option(table: object, index: object) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.font = table.font()  # type: ignore[attr-defined]
    option.rect = table.visualRect(index)  # type: ignore[attr-defined]
    return option
