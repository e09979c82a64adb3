"""The Sync menu against the Integration API double: connection, push, pull, conflicts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import qasync
from pydantic import SecretStr
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import remote
from app.models import MASK, merge_credentials
from app.remote import RemoteConfig
from app.vault import Vault
from tests.doubles.integration_api import IntegrationApiDouble
from tests.ui.conftest import SECRET_KEY, add_s3, add_zendesk
from tests.ui.test_lock import ready, unlock
from ui.conflict_dialog import ConflictDialog
from ui.main_window import MainWindow
from ui.remote_dialog import RemoteDialog
from ui.sync_actions import ask_remote_delete
from ui.sync_report import RemoteCheckDialog, SyncReportDialog

API_KEY = "sk-test-8Jd2Lq9Vx4Tz7Wm1"
NEW_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYNEWSECRET"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the retry back-off short so retried calls take milliseconds."""
    monkeypatch.setattr(remote, "RETRY_DELAYS_S", (0.01, 0.02, 0.03))


@pytest.fixture
def double() -> Iterator[IntegrationApiDouble]:
    running = IntegrationApiDouble(api_key=API_KEY, slow_s=1.0).start()
    yield running
    running.stop()


@pytest.fixture
def connected(vault: Vault, double: IntegrationApiDouble) -> Vault:
    """The test vault, set up to talk to the double."""
    vault.save_remote_config(RemoteConfig(double.url, SecretStr(API_KEY)))
    return vault


@pytest.fixture
def opened(qtbot: QtBot, connected: Vault, qasync_loop: qasync.QEventLoop) -> MainWindow:
    add_s3(connected)
    return ready(qtbot, connected)


def only_id(window: MainWindow) -> str:
    (row,) = window.model.rows()
    return row.id


def push_shown(qtbot: QtBot, window: MainWindow, integration_id: str) -> None:
    window.open_integration(integration_id)
    with qtbot.waitSignal(window.session.sync.sync_finished, timeout=10_000):
        window.session.sync.push_selected.trigger()


def remote_id_of(window: MainWindow, integration_id: str) -> str:
    found = window.vault.row(integration_id).remote_id
    assert found is not None
    return found


def open_connection(window: MainWindow) -> RemoteDialog:
    window.session.sync.connection.trigger()
    dialog = window.session.sync.dialogs["connection"]
    assert isinstance(dialog, RemoteDialog) and dialog.isVisible()
    return dialog


def make_conflict(qtbot: QtBot, window: MainWindow, double: IntegrationApiDouble) -> str:
    """Push, then change the label here and on the server, and push again: a conflict."""
    integration_id = only_id(window)
    push_shown(qtbot, window, integration_id)
    rid = remote_id_of(window, integration_id)
    current = window.vault.get(integration_id)
    changed = merge_credentials(current.credentials, {"secretAccessKey": NEW_SECRET})
    window.vault.update(integration_id, label="Acme (local)", credentials=changed)
    double.edit_on_server(rid, label="Acme (server)")
    push_shown(qtbot, window, integration_id)
    assert window.vault.row(integration_id).sync_state == "conflict"
    return integration_id


# -- connection ------------------------------------------------------------------------------


def test_plain_http_is_refused_except_on_loopback(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """http://api.example.com is refused beside the URL; http://127.0.0.1 is accepted."""
    window = ready(qtbot, vault)
    dialog = open_connection(window)
    qtbot.keyClicks(dialog.url, "http://api.example.com")
    qtbot.keyClicks(dialog.api_key, API_KEY)

    dialog.save_button.click()

    assert dialog.isVisible()
    assert dialog.errors["url"].isVisible()
    assert "HTTPS" in dialog.errors["url"].text()
    assert vault.remote_config() is None

    dialog.url.clear()
    qtbot.keyClicks(dialog.url, "http://127.0.0.1:8443")
    dialog.save_button.click()

    assert not dialog.isVisible()
    config = vault.remote_config()
    assert config is not None
    assert config.url == "http://127.0.0.1:8443"
    assert (config.header, config.scheme) == ("Authorization", "Bearer")


def test_a_saved_key_is_never_shown_and_kept_when_not_retyped(
    qtbot: QtBot, connected: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """The key field stays empty ('Saved … type to replace'); saving without typing keeps it."""
    window = ready(qtbot, connected)
    dialog = open_connection(window)
    assert dialog.api_key.text() == ""
    assert dialog.api_key.placeholderText().startswith(f"Saved ({MASK}")
    assert API_KEY not in dialog.api_key.placeholderText()

    dialog.header.clear()
    qtbot.keyClicks(dialog.header, "X-Api-Key")
    dialog.scheme.clear()
    dialog.save_button.click()

    config = connected.remote_config()
    assert config is not None
    assert config.api_key.get_secret_value() == API_KEY
    assert (config.header, config.scheme) == ("X-Api-Key", "")


def test_test_connection_with_the_right_key_says_connected(
    qtbot: QtBot, vault: Vault, double: IntegrationApiDouble, qasync_loop: qasync.QEventLoop
) -> None:
    """Test connection against the API with its key shows '✓ connected' under the fields."""
    window = ready(qtbot, vault)
    dialog = open_connection(window)
    qtbot.keyClicks(dialog.url, double.url)
    qtbot.keyClicks(dialog.api_key, API_KEY)

    task = dialog.test()
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result() is True
    assert dialog.result.text().startswith("✓ connected")
    assert dialog.result.property("outcome") == "ok"
    assert vault.remote_config() is None  # testing saves nothing


def test_test_connection_with_a_wrong_key_says_it_was_refused(
    qtbot: QtBot, vault: Vault, double: IntegrationApiDouble, qasync_loop: qasync.QEventLoop
) -> None:
    """A wrong key shows '✗ the server refused the API key (HTTP 401)…' under the fields."""
    window = ready(qtbot, vault)
    dialog = open_connection(window)
    qtbot.keyClicks(dialog.url, double.url)
    qtbot.keyClicks(dialog.api_key, "sk-not-the-key")

    task = dialog.test()
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result() is False
    assert dialog.result.text().startswith("✗ the server refused the API key (HTTP 401)")
    assert dialog.result.property("outcome") == "failed"


def test_push_without_a_connection_opens_the_connection_dialog(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """Push selected before any connection is set up opens Connection and sends nothing."""
    item = add_s3(vault)
    window = ready(qtbot, vault)
    window.open_integration(item.id)

    task = window.session.sync.push_current()
    qtbot.waitUntil(task.done)

    assert task.result() == []
    assert window.session.sync.dialogs["connection"].isVisible()
    assert "not set up yet" in window.statusBar().currentMessage()


# -- push, pull, remote check ----------------------------------------------------------------


def test_push_selected_creates_it_on_the_server_and_the_row_says_synced(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Push selected sends the integration; the list row turns 'synced' and the bar says so."""
    integration_id = only_id(opened)

    push_shown(qtbot, opened, integration_id)

    rid = remote_id_of(opened, integration_id)
    assert double.records[rid]["label"] == "Acme screenshots"
    assert double.records[rid]["credentials"]["secretAccessKey"] == SECRET_KEY
    assert opened.model.find(integration_id).sync_state == "synced"
    assert "created" in opened.statusBar().currentMessage()


def test_push_all_reports_each_integration(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Push all sends every integration and lists what happened to each one."""
    item = add_zendesk(opened.vault)
    opened.model.put(opened.vault.row(item.id))

    with qtbot.waitSignal(opened.session.sync.sync_finished, timeout=10_000) as finished:
        opened.session.sync.push_all.trigger()

    assert [outcome.action for outcome in finished.args[0]] == ["created", "created"]
    report = opened.session.sync.dialogs["report"]
    assert isinstance(report, SyncReportDialog) and report.isVisible()
    assert report.summary.text() == "Pushed 2 integrations: 2 created."
    labels = {report.row_texts(row)[0] for row in range(2)}
    assert labels == {"Acme screenshots", "Globex help center"}
    assert len(double.records) == 2


def test_a_failed_push_says_why_and_keeps_the_local_copy(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """A server that keeps failing gives a report saying so; the integration stays local."""
    integration_id = only_id(opened)
    double.fail_next("500")

    push_shown(qtbot, opened, integration_id)

    report = opened.session.sync.dialogs["report"]
    assert isinstance(report, SyncReportDialog)
    assert report.row_texts(0)[1] == "error"
    assert "HTTP 500" in report.row_texts(0)[2]
    row = opened.model.find(integration_id)
    assert row.sync_state == "local" and row.remote_id is None
    assert opened.vault.get(integration_id).label == "Acme screenshots"


def test_pull_by_remote_id_brings_the_record_into_the_list(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Pull by remote id copies the server's record into the vault, list and editor."""
    integration_id = only_id(opened)
    push_shown(qtbot, opened, integration_id)
    rid = remote_id_of(opened, integration_id)
    opened.select(None)
    opened.editor.clear()
    opened.vault.delete(integration_id)
    opened.model.remove(integration_id)

    opened.session.sync.pull.trigger()
    dialog = opened.session.sync.dialogs["pull"]
    with qtbot.waitSignal(opened.session.sync.sync_finished, timeout=10_000):
        dialog.setTextValue(rid)
        dialog.accept()

    (row,) = opened.model.rows()
    assert row.label == "Acme screenshots" and row.sync_state == "synced"
    assert opened.editor.integration is not None and opened.editor.integration.id == row.id
    assert "pulled" in opened.statusBar().currentMessage()


def test_verify_on_the_api_shows_its_result_beside_the_local_one(
    qtbot: QtBot, opened: MainWindow
) -> None:
    """The API's check appears beside 'Not checked from here yet' for the local side."""
    integration_id = only_id(opened)
    push_shown(qtbot, opened, integration_id)

    with qtbot.waitSignal(opened.session.sync.remote_verification_finished, timeout=10_000):
        opened.session.sync.verify_remote.trigger()

    dialog = opened.session.sync.dialogs["remote check"]
    assert isinstance(dialog, RemoteCheckDialog) and dialog.isVisible()
    assert dialog.remote_panel.headline.text() == "OK"
    assert dialog.remote_panel.message.text() == "Connection successful"
    assert dialog.local_panel.message.text() == "Not checked from here yet."
    assert opened.vault.history(integration_id, source="remote")[0].ok


# -- conflicts -------------------------------------------------------------------------------


def test_the_conflict_dialog_shows_both_sides_with_secrets_masked(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Both labels show side by side; secrets show only as dots, marked where they differ."""
    integration_id = make_conflict(qtbot, opened, double)
    opened.select(integration_id)

    opened.session.sync.resolve.trigger()
    dialog = opened.session.sync.dialogs["conflict"]
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()

    cells = {
        dialog.cell_text(row, 0): (dialog.cell_text(row, 1), dialog.cell_text(row, 2))
        for row in range(dialog.table.rowCount())
    }
    assert cells["≠ Label"] == ("Acme (local)", "Acme (server)")
    secret = next(value for title, value in cells.items() if "Secret" in title)
    assert secret == (MASK, MASK)
    assert any(title.startswith("≠ ") and "Secret" in title for title in cells)
    shown = " ".join(f"{a} {b}" for a, b in cells.values())
    assert SECRET_KEY not in shown and NEW_SECRET not in shown
    assert cells["Bucket"] == ("acme-support-screenshots", "acme-support-screenshots")


def test_keep_this_computers_version_sends_it_to_the_server(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Keep this computer's version: the server gets the local label and secret; synced."""
    integration_id = make_conflict(qtbot, opened, double)
    rid = remote_id_of(opened, integration_id)
    opened.select(integration_id)
    dialog = opened.session.sync.open_resolve()
    assert dialog is not None

    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        dialog.keep_local_button.click()

    assert not dialog.isVisible()
    assert double.records[rid]["label"] == "Acme (local)"
    assert double.records[rid]["credentials"]["secretAccessKey"] == NEW_SECRET
    assert opened.vault.row(integration_id).sync_state == "synced"
    assert opened.model.find(integration_id).sync_state == "synced"


def test_keep_the_servers_version_replaces_the_local_one(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Keep the server's version: the vault and the open editor show the server's label."""
    integration_id = make_conflict(qtbot, opened, double)
    rid = remote_id_of(opened, integration_id)
    opened.open_integration(integration_id)
    dialog = opened.session.sync.open_resolve()
    assert dialog is not None

    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        dialog.keep_remote_button.click()

    stored = opened.vault.get(integration_id)
    assert stored.label == "Acme (server)"
    assert stored.credentials.secret_access_key.get_secret_value() == SECRET_KEY
    assert double.records[rid]["label"] == "Acme (server)"
    assert opened.model.find(integration_id).label == "Acme (server)"
    assert opened.editor.label_edit.text() == "Acme (server)"


def test_a_server_failure_while_resolving_keeps_the_dialog_and_both_sides(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """If the server refuses Keep local, the dialog says so and nothing changes anywhere."""
    integration_id = make_conflict(qtbot, opened, double)
    rid = remote_id_of(opened, integration_id)
    opened.select(integration_id)
    dialog = opened.session.sync.open_resolve()
    assert dialog is not None
    double.fail_next("401")

    task = dialog.keep_local()
    qtbot.waitUntil(task.done, timeout=10_000)

    assert dialog.isVisible()
    assert "Nothing was changed" in dialog.message.text()
    assert "refused the API key" in dialog.message.text()
    assert double.records[rid]["label"] == "Acme (server)"
    assert opened.vault.row(integration_id).sync_state == "conflict"


# -- delete ----------------------------------------------------------------------------------


def test_deleting_a_synced_integration_asks_about_the_server_too(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """For a synced integration the question offers 'here and on the server' or 'here only'."""
    integration_id = only_id(opened)
    assert ask_remote_delete(opened, opened.vault.row(integration_id)) is False  # never pushed
    push_shown(qtbot, opened, integration_id)
    seen: list[str] = []

    def press(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    for text, expected in (
        ("Delete here only", False),
        ("Cancel", None),
        ("Delete here and on the server", True),
    ):
        QTimer.singleShot(0, lambda text=text: press(text))
        assert ask_remote_delete(opened, opened.vault.row(integration_id)) is expected
    assert seen[0] == "Delete “Acme screenshots”?"


def test_delete_everywhere_removes_it_on_the_server_and_here(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Deleting 'here and on the server' leaves neither copy."""
    integration_id = only_id(opened)
    push_shown(qtbot, opened, integration_id)

    task = asyncio.ensure_future(opened.session.sync.delete_everywhere(integration_id))
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result().message == "deleted here and on the server"
    assert double.records == {}
    assert opened.vault.ids() == []


# -- locking ---------------------------------------------------------------------------------


def test_a_lock_during_a_push_lets_the_step_finish_and_shows_nothing(
    qtbot: QtBot, opened: MainWindow, double: IntegrationApiDouble
) -> None:
    """Locking mid-push waits for the step under way, then closes the vault; no report shows."""
    integration_id = only_id(opened)
    opened.open_integration(integration_id)
    double.fail_next("slow")  # the create takes a second
    task = opened.session.sync.push_current()
    qtbot.wait(200)

    opened.session.lock.lock_now()

    assert opened.vault.is_open  # still finishing the step
    assert not opened.session.lock.screen.unlock_button.isEnabled()
    qtbot.waitUntil(task.done, timeout=10_000)
    qtbot.waitUntil(lambda: not opened.vault.is_open, timeout=5_000)
    assert "report" not in opened.session.sync.dialogs
    unlock(qtbot, opened)
    assert opened.model.find(integration_id).sync_state == "synced"
    assert len(double.records) == 1
