"""The Sync menu against the Integration API double: connection, push, pull, conflicts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from pydantic import SecretStr
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import remote
from app.models import MASK
from app.remote import RemoteConfig
from app.vault import Vault
from tests.doubles.integration_api import IntegrationApiDouble
from tests.ui.conftest import SECRET_KEY, add_s3, add_zendesk
from tests.ui.test_lock import ready, unlock
from ui.main_window import MainWindow
from ui.remote_dialog import RemoteDialog
from ui.sync_report import RemoteCheckDialog, SyncReportDialog

API_KEY = "sk-test-8Jd2Lq9Vx4Tz7Wm1"


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


def test_a_key_pasted_with_its_scheme_is_refused_beside_the_key(
    qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop
) -> None:
    """'Bearer KEY' typed as the API key is refused beside it: the scheme is added on send."""
    window = ready(qtbot, vault)
    dialog = open_connection(window)
    qtbot.keyClicks(dialog.url, "http://127.0.0.1:8443")
    qtbot.keyClicks(dialog.api_key, f"Bearer {API_KEY}")

    dialog.save_button.click()

    assert dialog.isVisible()
    assert "give only the key itself" in dialog.errors["api key"].text()
    assert vault.remote_config() is None


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
    assert report.summary.text() == "Push of 2 integrations: 2 created."
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


def test_verifying_a_local_only_integration_on_the_api_asks_before_sending_secrets(
    qtbot: QtBot, opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local-only integration is checked on the API only after the person agrees to send it."""
    integration_id = only_id(opened)
    opened.select(integration_id)
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.assertNotEmitted(opened.session.sync.remote_verification_finished, wait=300):
        opened.session.sync.verify_remote.trigger()

    assert asked and "sends its credentials" in asked[0]
    assert opened.vault.history(integration_id, source="remote") == []


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
