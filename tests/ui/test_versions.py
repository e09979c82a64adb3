"""History…: earlier versions listed with what differs, secrets masked, Restore brings one back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

import providers
from app.models import MASK, Integration, build_credentials
from app.vault import Vault
from tests.ui.conftest import add_zendesk
from ui.editor import IntegrationEditor
from ui.versions_dialog import DIFFERS, LABEL, NO_VERSIONS, VersionsDialog


def overwrite_token(vault: Vault, integration: Integration, token: str) -> Integration:
    wire = {**integration.credentials.to_wire(), "token": token}
    return vault.update(integration.id, credentials=build_credentials("zendesk", wire))


def open_history(qtbot: QtBot, vault: Vault, integration: Integration) -> IntegrationEditor:
    editor = IntegrationEditor(vault=vault)
    qtbot.addWidget(editor)
    editor.show()
    editor.show_integration(vault.get(integration.id), None)
    editor.history_button.click()
    assert editor.versions_dialog is not None
    return editor


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def secret_texts(dialog: VersionsDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel, "versionSecret")]


def test_the_history_lists_versions_with_what_differs(qtbot: QtBot, vault: Vault) -> None:
    """After the token was overwritten, History shows one version differing in 'API token'."""
    integration = add_zendesk(vault)
    overwrite_token(vault, integration, "tok-overwritten")

    editor = open_history(qtbot, vault, integration)

    dialog = editor.versions_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.version_list.topLevelItemCount() == 1
    item = dialog.version_list.topLevelItem(0)
    assert item.text(LABEL) == "Globex help center"
    assert item.text(DIFFERS) == "API token"
    assert secret_texts(dialog) == [f"{MASK}   (changed)"]


def test_a_version_secret_shows_only_when_asked(qtbot: QtBot, vault: Vault) -> None:
    """The old token stays masked until its eye button is pressed, and hides again."""
    integration = add_zendesk(vault)
    overwrite_token(vault, integration, "tok-overwritten")
    dialog = open_history(qtbot, vault, integration).versions_dialog
    assert dialog is not None
    assert "tok-123" not in " ".join(secret_texts(dialog))

    (eye,) = dialog.findChildren(QToolButton, "versionReveal")
    assert eye.accessibleName() == "Show API token of this version"
    eye.click()
    assert secret_texts(dialog) == ["tok-123"]
    eye.click()
    assert secret_texts(dialog) == [f"{MASK}   (changed)"]


def test_restore_brings_back_an_overwritten_token(
    qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Restore (confirmed) puts the old token back; the overwritten one becomes a version."""
    integration = add_zendesk(vault)
    overwrite_token(vault, integration, "tok-overwritten")
    editor = open_history(qtbot, vault, integration)
    dialog = editor.versions_dialog
    assert dialog is not None
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)

    with qtbot.waitSignal(editor.integration_restored) as restored:
        dialog.restore_button.click()

    assert restored.args == [integration.id]
    assert len(asked) == 1 and "Restore the version" in asked[0]
    assert vault.get(integration.id).credentials.token.get_secret_value() == "tok-123"
    newest = vault.versions(integration.id)[0]
    assert newest.credentials.token.get_secret_value() == "tok-overwritten"
    assert editor.integration is not None
    assert editor.integration.credentials.token.get_secret_value() == "tok-123"
    assert not editor.has_unsaved_changes()
    qtbot.waitUntil(lambda: editor.versions_dialog is None, timeout=2_000)


def test_cancelling_restore_changes_nothing(
    qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering Cancel leaves the current token and keeps the dialog open."""
    integration = add_zendesk(vault)
    overwrite_token(vault, integration, "tok-overwritten")
    editor = open_history(qtbot, vault, integration)
    dialog = editor.versions_dialog
    assert dialog is not None
    answer(monkeypatch, QMessageBox.StandardButton.Cancel)

    dialog.restore_button.click()

    assert vault.get(integration.id).credentials.token.get_secret_value() == "tok-overwritten"
    assert dialog.isVisible()


def test_restoring_over_unsaved_edits_says_they_are_discarded(
    qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the label edited but not saved, the Restore question names what is dropped."""
    integration = add_zendesk(vault)
    overwrite_token(vault, integration, "tok-overwritten")
    editor = IntegrationEditor(vault=vault)
    qtbot.addWidget(editor)
    editor.show_integration(vault.get(integration.id), None)
    qtbot.keyClicks(editor.label_edit, " (draft)")
    dialog = editor.open_history()
    assert dialog is not None
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)

    dialog.restore_button.click()

    assert "Your unsaved changes (Label) will be discarded." in asked[0]


def test_no_versions_yet_says_how_they_come(qtbot: QtBot, vault: Vault) -> None:
    """A never-edited integration's History explains that versions appear once saved."""
    integration = add_zendesk(vault)

    dialog = open_history(qtbot, vault, integration).versions_dialog

    assert dialog is not None
    assert dialog.versions_shown() == []
    assert not dialog.restore_button.isEnabled()
    assert NO_VERSIONS in [label.text() for label in dialog.findChildren(QLabel)]


def test_history_needs_a_saved_integration_and_a_vault(qtbot: QtBot, vault: Vault) -> None:
    """History… is hidden without a vault and disabled while the integration is new."""
    alone = IntegrationEditor()
    qtbot.addWidget(alone)
    alone.show()
    alone.start_new(providers.get("zendesk"))
    assert not alone.history_button.isVisible()

    alone.set_vault(vault)
    assert alone.history_button.isVisible()
    assert not alone.history_button.isEnabled()
