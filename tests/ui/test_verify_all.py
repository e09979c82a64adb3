"""'Verify all': progress, rows updated one by one, Cancel back to idle, late results dropped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import parse_new
from app.vault import Vault
from app.verification import CheckOptions
from tests.doubles.zendesk import ZendeskDouble
from tests.ui.conftest import add_zendesk, open_window
from ui.integration_model import STATUS
from ui.main_window import MainWindow

COUNT = 6


def add_tenants(vault: Vault, double: ZendeskDouble, count: int) -> list[str]:
    ids = []
    for n in range(count):
        token = f"token-{n:04d}-abcdef"
        double.add_agent(f"tenant{n}", f"agent{n}@example.com", token)
        credentials = {
            "subdomain": f"tenant{n}",
            "username": f"agent{n}@example.com",
            "token": token,
        }
        data = {"label": f"Help center {n}", "provider": "zendesk", "credentials": credentials}
        ids.append(vault.add(parse_new(data)).id)
    return ids


@pytest.fixture
def double() -> Iterator[ZendeskDouble]:
    served = ZendeskDouble(latency_s=0.3)
    served.start()
    yield served
    served.stop()


@pytest.fixture
def busy_window(
    qtbot: QtBot, vault: Vault, qasync_loop: object, double: ZendeskDouble
) -> MainWindow:
    """A window whose Zendesk checks go to a double answering in 0.3 s, two at a time."""
    add_tenants(vault, double, COUNT)
    options = CheckOptions(timeout_s=5, endpoints={"zendesk": double.url + "/{subdomain}"})
    shown = open_window(qtbot, vault, check_options=lambda: options)
    shown.checks.bulk.concurrency = 2
    return shown


def statuses(window: MainWindow) -> list[str]:
    return [window.proxy.index(n, STATUS).data() for n in range(window.proxy.rowCount())]


def test_verify_all_shows_progress_and_updates_rows_one_by_one(
    qtbot: QtBot, vault: Vault, busy_window: MainWindow
) -> None:
    """Every row reads 'Checking…', then turns OK as its own result arrives; a bar counts."""
    window = busy_window
    arrived: list[str] = []
    progress: list[tuple[int, int]] = []
    window.verification_finished.connect(lambda ident, _record: arrived.append(ident))
    window.checks.bulk.progress_changed.connect(lambda done, total: progress.append((done, total)))

    with qtbot.waitSignal(window.checks.bulk.run_finished, timeout=20_000) as finished:
        window.menu_actions.verify_all.trigger()
        qtbot.waitUntil(lambda: len(arrived) >= 1, timeout=5_000)
        middle = statuses(window)
        assert middle.count("OK") >= 1 and middle.count("Checking…") >= 2
        assert window.status.working
        assert "of 6" in window.status.work_label.text()
        assert not window.menu_actions.verify_all.isEnabled()
        assert window.menu_actions.cancel.isEnabled()

    assert finished.args == [COUNT, False]
    assert sorted(arrived) == sorted(row.id for row in vault.rows())
    assert progress[0] == (0, COUNT) and progress[-1] == (COUNT, COUNT)
    assert statuses(window) == ["OK"] * COUNT
    assert not window.status.working
    assert "6 OK, 0 failed" in window.statusBar().currentMessage()
    assert all(row.last_check is not None and row.last_check.ok for row in vault.rows())


@pytest.fixture
def stuck_window(qtbot: QtBot, vault: Vault, qasync_loop: object, silent_server: str) -> MainWindow:
    """A window whose checks go to a server that never answers (1.5 s time-out)."""
    for n in range(3):
        add_zendesk(vault, label=f"Stuck {n}")
    options = CheckOptions(timeout_s=1.5, endpoints={"zendesk": silent_server})
    return open_window(qtbot, vault, check_options=lambda: options)


def test_cancel_returns_to_idle_at_once_and_drops_late_results(
    qtbot: QtBot, vault: Vault, stuck_window: MainWindow
) -> None:
    """Esc during 'Verify all' stops at once; results arriving after are never shown or kept."""
    window = stuck_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)  # shortcuts need the active window
    window.table.setFocus()
    task = window.verify_all()
    qtbot.waitUntil(lambda: window.status.working, timeout=2_000)
    assert statuses(window) == ["Checking…"] * 3

    qtbot.keyClick(window.table, Qt.Key.Key_Escape)

    assert not window.status.working
    assert statuses(window) == ["Not checked"] * 3
    assert window.menu_actions.verify_all.isEnabled()
    assert not window.menu_actions.cancel.isEnabled()
    assert "cancelled" in window.statusBar().currentMessage()
    qtbot.waitUntil(task.done, timeout=1_000)
    qtbot.wait(2_500)  # past the 1.5 s time-out: the checks end, their results are dropped
    assert statuses(window) == ["Not checked"] * 3
    assert all(vault.history(row.id) == [] for row in vault.rows())


def test_stop_in_the_editor_drops_one_row_of_the_run(
    qtbot: QtBot, vault: Vault, stuck_window: MainWindow
) -> None:
    """The editor's Stop during 'Verify all' stops waiting for that row; the others go on."""
    window = stuck_window
    first = vault.rows()[0]
    window.open_integration(first.id)
    window.verify_all()
    qtbot.waitUntil(lambda: window.editor.check_panel.is_busy, timeout=2_000)

    window.editor.check_panel.stop_requested.emit()

    assert not window.editor.check_panel.is_busy
    assert window.model.find(first.id) is not None
    assert not window.model.is_busy(first.id)
    assert window.status.working  # the other two are still being checked
    with qtbot.waitSignal(window.checks.bulk.run_finished, timeout=10_000):
        pass
    assert vault.history(first.id) == []
    assert [len(vault.history(row.id)) for row in vault.rows()[1:]] == [1, 1]


def test_a_rate_limited_check_says_it_is_waiting_instead_of_looking_stuck(
    qtbot: QtBot, vault: Vault, qasync_loop: object
) -> None:
    """While a provider's 429 holds a row back, the status bar says how long it waits, and why."""
    double = ZendeskDouble(retry_after=1)
    double.start()
    try:
        data = {
            "label": "Busy help center",
            "provider": "zendesk",
            "credentials": {
                "subdomain": "ratelimited",
                "username": "agent@example.com",
                "token": "token-0000-abcdef",
            },
        }
        vault.add(parse_new(data))
        options = CheckOptions(timeout_s=5, endpoints={"zendesk": double.url + "/{subdomain}"})
        window = open_window(qtbot, vault, check_options=lambda: options)
        said: list[str] = []
        window.statusBar().messageChanged.connect(said.append)

        with qtbot.waitSignal(window.checks.bulk.run_finished, timeout=20_000):
            with qtbot.waitSignal(window.checks.bulk.check_waiting, timeout=10_000) as waiting:
                window.menu_actions.verify_all.trigger()
            assert waiting.args[1] == pytest.approx(1, abs=0.5)
            assert any(
                "Busy help center" in text and "rate limiting" in text and "again in 1 s" in text
                for text in said
            ), said
        assert statuses(window) == ["Failed: rate limited"]
    finally:
        double.stop()


def test_a_lock_during_verify_all_says_it_was_stopped(
    qtbot: QtBot, busy_window: MainWindow
) -> None:
    """Locking in the middle of Verify all tells, on the lock screen, that it was stopped."""
    window = busy_window
    lock = window.session.lock
    window.menu_actions.verify_all.trigger()
    qtbot.waitUntil(lambda: window.checks.bulk.is_running, timeout=5_000)

    with qtbot.waitSignal(lock.vault_locked):
        window.session.lock_action.trigger()

    assert not window.checks.bulk.is_running
    assert "Verify all was stopped by the lock" in lock.screen.reason.text()
