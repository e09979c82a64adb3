"""Verifying from the window: off the GUI thread, busy indicator, result in list and editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

import providers
from app.vault import Vault
from app.verification import CheckOptions
from tests.ui.conftest import add_zendesk, open_window
from tests.ui.test_main_window import cell, fill_s3_form
from ui.integration_model import CHECKED, STATUS
from ui.main_window import MainWindow


def test_add_save_and_verify_s3_against_a_local_server(
    qtbot: QtBot, window: MainWindow, vault: Vault, s3_server: str
) -> None:
    """An S3 integration typed into the form saves, verifies OK, and both views say so."""
    window.start_new(providers.get("s3"))
    fill_s3_form(qtbot, window)
    with qtbot.waitSignal(window.integration_saved) as saved:
        window.editor.save_button.click()
    integration_id = saved.args[0]

    with qtbot.waitSignal(window.verification_finished, timeout=30_000) as finished:
        window.editor.verify_button.click()
        qtbot.waitUntil(lambda: window.editor.check_panel.is_busy, timeout=5_000)

    record = finished.args[1]
    assert finished.args[0] == integration_id
    assert record.ok, record.message
    assert cell(window, 0, STATUS) == "OK"
    assert cell(window, 0, CHECKED) == "just now"
    panel = window.editor.check_panel
    assert panel.headline() == "OK"
    assert "reachable" in panel.message()
    assert not panel.is_busy
    assert vault.history(integration_id)[0].ok


def test_verify_saves_a_new_integration_first(
    qtbot: QtBot, window: MainWindow, vault: Vault, s3_server: str
) -> None:
    """An unsaved form's button reads 'Save & verify'; it saves, then records the check."""
    window.start_new(providers.get("s3"))
    fill_s3_form(qtbot, window)
    assert window.editor.verify_button.text() == "Save && verify"

    with qtbot.waitSignal(window.verification_finished, timeout=30_000):
        window.menu_actions.verify.trigger()

    rows = vault.rows()
    assert len(rows) == 1
    assert rows[0].last_check is not None and rows[0].last_check.ok
    assert window.editor.verify_button.text() == "Verify"


def test_an_invalid_form_is_not_verified(qtbot: QtBot, window: MainWindow) -> None:
    """Verify with a bad bucket name shows the field error and sends nothing."""
    window.start_new(providers.get("s3"))
    fill_s3_form(qtbot, window, bucket="Bad_Bucket")
    started: list[str] = []
    window.checks.verification_started.connect(started.append)

    task = window.verify_current()
    qtbot.waitUntil(task.done)

    assert task.result() is None
    assert started == []
    assert window.editor.form.error_label_for("bucket").isVisible()


@pytest.fixture
def slow_window(qtbot: QtBot, vault: Vault, qasync_loop: object, silent_server: str) -> MainWindow:
    """A window whose Zendesk checks go to a server that never answers (1.5 s time-out)."""
    options = CheckOptions(timeout_s=1.5, endpoints={"zendesk": silent_server})
    return open_window(qtbot, vault, check_options=lambda: options)


def test_window_stays_responsive_during_a_slow_check(
    qtbot: QtBot, vault: Vault, slow_window: MainWindow
) -> None:
    """While a check waits on the network, timers keep ticking and a busy bar shows."""
    integration = add_zendesk(vault)
    slow_window.model.put(vault.row(integration.id))
    slow_window.open_integration(integration.id)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)

    with qtbot.waitSignal(slow_window.verification_finished, timeout=15_000) as finished:
        slow_window.editor.verify_button.click()
        qtbot.waitUntil(lambda: slow_window.editor.check_panel.is_busy, timeout=2_000)
        assert slow_window.editor.check_panel.busy_bar.isVisible()
        assert not slow_window.menu_actions.verify.isEnabled()
        ticks_when_started = len(ticks)
    timer.stop()

    assert len(ticks) - ticks_when_started >= 20  # ~75 expected in 1.5 s; a frozen loop gives 0
    assert finished.args[1].category == "timeout"
    assert cell(slow_window, 0, STATUS) == "Failed: timeout"
    assert slow_window.editor.check_panel.headline() == "Failed: timeout"
    assert not slow_window.editor.check_panel.is_busy
    assert slow_window.menu_actions.verify.isEnabled()


def test_stop_drops_the_late_result(qtbot: QtBot, vault: Vault, slow_window: MainWindow) -> None:
    """Stopping a running check hides the busy bar and records nothing, even later."""
    integration = add_zendesk(vault)
    slow_window.model.put(vault.row(integration.id))
    slow_window.open_integration(integration.id)
    finished: list[str] = []
    slow_window.verification_finished.connect(lambda ident, _record: finished.append(ident))

    task = slow_window.verify_current()
    qtbot.waitUntil(lambda: slow_window.editor.check_panel.is_busy, timeout=2_000)
    with qtbot.waitSignal(slow_window.checks.verification_stopped):
        slow_window.editor.check_panel.stop_requested.emit()

    qtbot.waitUntil(task.done)
    assert not slow_window.editor.check_panel.is_busy
    qtbot.wait(2_000)  # past the 1.5 s time-out: the worker's late result must be dropped
    assert finished == []
    assert vault.history(integration.id) == []
    assert cell(slow_window, 0, STATUS) == "Not checked"
