"""The editor's last-check panel: headline, when, and each step marked ✓, ✗ or – skipped."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.models import CheckRecord
from app.vault import Vault
from providers.base import Category, Step, VerificationResult
from tests.ui.conftest import add_s3
from ui.check_panel import CheckPanel
from ui.check_steps import step_cells
from ui.main_window import MainWindow

FAILED_CHECK = CheckRecord(
    datetime.now(UTC),
    False,
    "auth",
    "Zendesk refused the token (401).",
    812,
    (
        Step("offline check", True, 0, ""),
        Step("sign in", False, 640, "401 Unauthorized"),
        Step("read help center", True, 0, "not reached", skipped=True),
    ),
)


def test_each_step_shows_its_mark_detail_and_time() -> None:
    """Passed steps get ✓ and ms, the failed one ✗ with its detail, skipped ones '– skipped'."""
    first, second, third = (step_cells(step) for step in FAILED_CHECK.steps)

    assert (first.mark, first.name, first.took) == ("✓", "offline check", "0 ms")
    assert (second.mark, second.detail, second.took) == ("✗", "401 Unauthorized", "640 ms")
    assert (third.mark, third.detail, third.took) == ("–", "not reached", "skipped")


def test_the_panel_says_what_failed_and_when(qtbot: QtBot) -> None:
    """A failed check reads 'Failed: auth', the provider's message, and how long it took."""
    panel = CheckPanel()
    qtbot.addWidget(panel)

    panel.show_record(FAILED_CHECK)

    assert panel.headline() == "Failed: auth"
    assert panel.message() == "Zendesk refused the token (401)."
    assert panel.record is FAILED_CHECK
    assert "took 812 ms" in panel.findChild(QLabel, "checkWhen").text()


def test_step_details_are_shown_as_text(qtbot: QtBot) -> None:
    """A provider message with markup is shown as text, not interpreted."""
    record = CheckRecord(
        datetime.now(UTC), False, "unknown", "x", 1, (Step("sign in", False, 3, "<b>bad</b>"),)
    )
    panel = CheckPanel()
    qtbot.addWidget(panel)

    panel.show_record(record)

    assert "<b>bad</b>" in [label.text() for label in panel.steps.findChildren(QLabel)]


REGION_MESSAGE = (
    "The bucket 'acme-eu-screenshots' lives in region eu-west-1, but this integration says "
    "us-east-1. Change Region to eu-west-1."
)
REGION_MISMATCH = VerificationResult(
    False,
    Category.MISCONFIGURED,
    REGION_MESSAGE,
    300,
    (
        Step("offline check", True, 0, "no pasting mistakes found"),
        Step("credentials accepted", True, 77, "key belongs to account 123456789012"),
        Step("bucket exists", True, 8, "bucket found (region eu-west-1)"),
        Step("region matches", False, 12, REGION_MESSAGE),
    ),
)


def open_failed_check(qtbot: QtBot, window: MainWindow, vault: Vault) -> CheckPanel:
    """The window at the docs' size showing an S3 integration whose region did not match."""
    integration = add_s3(vault, label="Acme EU – wrong region")
    vault.record_check(integration.id, REGION_MISMATCH)
    window.resize(1240, 720)
    window.model.set_rows(vault.rows())
    window.open_integration(integration.id)
    qtbot.wait(50)  # the layouts settle on the next turns of the event loop
    return window.editor.check_panel


def shown_in(panel: QWidget, label: QLabel) -> QRect:
    return QRect(label.mapTo(panel, QPoint(0, 0)), label.size())


def cut_off(panel: CheckPanel) -> list[str]:
    """The texts of the panel's labels that are not shown whole inside its frame."""
    inside = panel.contentsRect()
    cut = []
    for label in panel.findChildren(QLabel):
        if not label.isVisibleTo(panel) or not label.text():
            continue
        area = shown_in(panel, label)
        needed = label.heightForWidth(label.width()) if label.wordWrap() else 0
        too_narrow = not label.wordWrap() and label.width() < label.sizeHint().width()
        if not inside.contains(area) or area.height() < needed or too_narrow:
            cut.append(label.text())
    return cut


def test_the_whole_message_and_every_step_can_be_read(
    qtbot: QtBot, window: MainWindow, vault: Vault
) -> None:
    """A two-line message and four steps all show in full: the box is as tall as they need."""
    panel = open_failed_check(qtbot, window, vault)

    assert panel.message() == REGION_MESSAGE
    assert cut_off(panel) == []


def test_the_failed_step_shows_with_a_cross(qtbot: QtBot, window: MainWindow, vault: Vault) -> None:
    """Below the passed steps, 'region matches' shows ✗ in full, as the export wizard does."""
    panel = open_failed_check(qtbot, window, vault)

    marks = [(row.mark, row.name) for row in panel.steps.rows()]
    assert marks[-1] == ("✗", "region matches")
    failed = [
        label
        for label in panel.steps.findChildren(QLabel)
        if label.text() in ("✗", "region matches") and label.isVisible()
    ]
    assert len(failed) == 2
    assert all(panel.contentsRect().contains(shown_in(panel, label)) for label in failed)


def test_each_step_time_is_fully_visible(qtbot: QtBot, window: MainWindow, vault: Vault) -> None:
    """'0 ms', '77 ms', '8 ms' and '12 ms' show whole at the right edge, not as a sliver."""
    panel = open_failed_check(qtbot, window, vault)

    times = [label for label in panel.steps.findChildren(QLabel) if label.text().endswith(" ms")]
    assert [label.text() for label in times] == ["0 ms", "77 ms", "8 ms", "12 ms"]
    for label in times:
        area = shown_in(panel, label)
        assert panel.contentsRect().contains(area)
        assert label.width() >= label.sizeHint().width()
