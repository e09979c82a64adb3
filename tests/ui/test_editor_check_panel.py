"""The editor's last-check panel: headline, when, and each step marked ✓, ✗ or – skipped."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.models import CheckRecord
from providers.base import Step
from ui.check_panel import CheckPanel, steps_html

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
    table = steps_html(FAILED_CHECK)

    rows = table.split("<tr>")[1:]
    assert "✓" in rows[0] and "offline check" in rows[0] and "0&nbsp;ms" in rows[0]
    assert "✗" in rows[1] and "401 Unauthorized" in rows[1] and "640&nbsp;ms" in rows[1]
    assert "–" in rows[2] and "not reached" in rows[2] and "skipped" in rows[2]
    assert "ms" not in rows[2]


def test_the_panel_says_what_failed_and_when(qtbot: QtBot) -> None:
    """A failed check reads 'Failed: auth', the provider's message, and how long it took."""
    panel = CheckPanel()
    qtbot.addWidget(panel)

    panel.show_record(FAILED_CHECK)

    assert panel.headline() == "Failed: auth"
    assert panel.message() == "Zendesk refused the token (401)."
    assert panel.record is FAILED_CHECK
    assert "took 812 ms" in panel.findChild(QLabel, "checkWhen").text()


def test_step_details_are_escaped() -> None:
    """A provider message with markup is shown as text, not interpreted."""
    record = CheckRecord(
        datetime.now(UTC), False, "unknown", "x", 1, (Step("sign in", False, 3, "<b>bad</b>"),)
    )

    assert "&lt;b&gt;bad&lt;/b&gt;" in steps_html(record)
