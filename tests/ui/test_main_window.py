"""The main window: adding through the generated form, saving, field errors, deleting."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

import providers
from app.models import MASK
from app.vault import Vault
from tests.ui.conftest import BUCKET, SECRET_KEY, add_s3, add_zendesk
from ui.integration_model import LABEL, PROVIDER, STATUS
from ui.main_window import MainWindow
from ui.new_dialog import NewIntegrationDialog


def fill_s3_form(qtbot: QtBot, window: MainWindow, bucket: str = BUCKET) -> None:
    form = window.editor.form
    assert form is not None
    qtbot.keyClicks(window.editor.label_edit, "Acme screenshots")
    qtbot.keyClicks(form.editor_for("bucket"), bucket)
    qtbot.keyClicks(form.editor_for("region"), "us-east-1")
    qtbot.keyClicks(form.editor_for("accessKeyId"), "AKIAIOSFODNN7EXAMPLE")
    qtbot.keyClicks(form.editor_for("secretAccessKey"), SECRET_KEY)


def cell(window: MainWindow, row: int, column: int) -> str:
    return window.proxy.index(row, column).data()


def answer_questions(monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> list:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> object:
        asked.append(f"{title}: {text}")
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_new_asks_platform_then_provider(qtbot: QtBot) -> None:
    """The New dialog lists only the chosen platform's providers."""
    dialog = NewIntegrationDialog()
    qtbot.addWidget(dialog)

    dialog.choose_platform("cloud")
    assert dialog.providers_shown() == ["s3", "r2"]
    dialog.choose_platform("helpcenter")
    assert "zendesk" in dialog.providers_shown() and "s3" not in dialog.providers_shown()
    dialog.choose_provider("zendesk")
    assert dialog.chosen() is providers.get("zendesk")


def test_add_an_s3_integration_through_the_form(
    qtbot: QtBot, window: MainWindow, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New → Amazon S3, fill the generated form, Save: the list shows it, the vault has it."""
    monkeypatch.setattr(
        NewIntegrationDialog, "ask", classmethod(lambda cls, parent: providers.get("s3"))
    )
    window.menu_actions.new.trigger()
    assert window.editor.is_new
    fill_s3_form(qtbot, window)

    with qtbot.waitSignal(window.integration_saved) as saved:
        window.editor.save_button.click()

    stored = vault.get(saved.args[0])
    assert stored.label == "Acme screenshots"
    assert stored.credentials.secret_access_key.get_secret_value() == SECRET_KEY
    assert window.model.rowCount() == 1
    assert cell(window, 0, LABEL) == "Acme screenshots"
    assert cell(window, 0, PROVIDER) == "Amazon S3"
    assert cell(window, 0, STATUS) == "Not checked"
    assert window.selected_id() == stored.id
    assert not window.editor.can_save


def test_a_bad_bucket_name_shows_beside_the_bucket_field(
    qtbot: QtBot, window: MainWindow, vault: Vault
) -> None:
    """Bucket 'Bad_Bucket' is refused with the naming rule under the Bucket field."""
    window.start_new(providers.get("s3"))
    fill_s3_form(qtbot, window, bucket="Bad_Bucket")

    window.editor.save_button.click()

    form = window.editor.form
    assert form is not None
    error = form.error_label_for("bucket")
    assert error.isVisible()
    assert "lowercase" in error.text()
    assert not form.error_label_for("region").isVisible()
    assert vault.rows() == []
    assert window.editor.is_new


def test_a_missing_label_shows_beside_the_label(qtbot: QtBot, window: MainWindow) -> None:
    """Saving without a label says 'required' under the Label field."""
    window.start_new(providers.get("s3"))
    fill_s3_form(qtbot, window)
    window.editor.label_edit.clear()

    window.editor.save_button.click()

    assert window.editor.label_error.isVisible()
    assert "required" in window.editor.label_error.text()


def test_editing_the_label_keeps_the_stored_secret(
    qtbot: QtBot, vault: Vault, window: MainWindow
) -> None:
    """Renaming a saved integration leaves its secret key exactly as stored."""
    integration = add_s3(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)
    secret = window.editor.form.editor_for("secretAccessKey")
    assert secret.text() == ""

    window.editor.label_edit.clear()
    qtbot.keyClicks(window.editor.label_edit, "Acme (renamed)")
    with qtbot.waitSignal(window.integration_saved):
        window.save_current()

    reloaded = vault.get(integration.id)
    assert reloaded.label == "Acme (renamed)"
    assert reloaded.credentials.secret_access_key.get_secret_value() == SECRET_KEY
    assert MASK not in str(reloaded.credentials.to_wire())
    assert cell(window, 0, LABEL) == "Acme (renamed)"


def test_reveal_shows_the_stored_secret_without_changing_it(
    qtbot: QtBot, vault: Vault, window: MainWindow
) -> None:
    """The eye button shows the stored secret; hiding it again leaves nothing to save."""
    integration = add_s3(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)
    form = window.editor.form
    secret = form.editor_for("secretAccessKey")
    button = form.reveal_button_for("secretAccessKey")

    button.click()
    assert secret.echoMode() == QLineEdit.EchoMode.Normal
    assert secret.text() == SECRET_KEY
    assert "secretAccessKey" not in form.values()
    assert not window.editor.can_save

    button.click()
    assert secret.text() == ""
    assert secret.echoMode() == QLineEdit.EchoMode.Password


def test_typing_a_new_secret_replaces_the_stored_one(
    qtbot: QtBot, vault: Vault, window: MainWindow
) -> None:
    """Typing into 'Saved — type to replace' stores the new secret on Save."""
    integration = add_zendesk(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)

    qtbot.keyClicks(window.editor.form.editor_for("token"), "new-token-456")
    window.save_current()

    assert vault.get(integration.id).credentials.token.get_secret_value() == "new-token-456"


def test_delete_asks_first_and_no_keeps_it(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delete asks for confirmation; answering No keeps the integration."""
    integration = add_s3(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.No)

    window.editor.delete_button.click()

    assert len(asked) == 1 and "Acme screenshots" in asked[0]
    assert vault.get(integration.id).label == "Acme screenshots"
    assert window.model.rowCount() == 1


def test_delete_confirmed_removes_it(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering Yes removes the integration from the vault and the list."""
    integration = add_s3(vault)
    window.model.put(vault.row(integration.id))
    window.open_integration(integration.id)
    answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)

    with qtbot.waitSignal(window.integration_deleted):
        window.menu_actions.delete.trigger()

    assert vault.rows() == []
    assert window.model.rowCount() == 0
    assert window.editor.is_empty


def test_switching_away_from_unsaved_changes_asks(
    qtbot: QtBot, vault: Vault, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Selecting another row with unsaved edits asks; Cancel keeps the edits on screen."""
    first = add_s3(vault, label="First")
    second = add_zendesk(vault, label="Second")
    for integration in (first, second):
        window.model.put(vault.row(integration.id))
    window.table.setCurrentIndex(window.proxy.index(0, LABEL))
    assert window.editor.integration.id == first.id
    qtbot.keyClicks(window.editor.label_edit, " edited")
    asked = answer_questions(monkeypatch, QMessageBox.StandardButton.Cancel)

    window.table.setCurrentIndex(window.proxy.index(1, LABEL))

    assert len(asked) == 1
    assert window.editor.integration.id == first.id
    assert window.editor.label_edit.text() == "First edited"
    assert window.selected_id() == first.id
