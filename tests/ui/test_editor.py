"""The editor: offline findings as you type, unsaved-changes guard, tab order, empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

import providers
from app.models import MASK, parse_new
from app.vault import Vault
from tests.ui.conftest import SECRET_KEY, add_s3
from ui.editor import IntegrationChanges, IntegrationEditor


def make_editor(qtbot: QtBot, vault: Vault | None = None) -> IntegrationEditor:
    editor = IntegrationEditor(vault=vault)
    qtbot.addWidget(editor)
    editor.resize(640, 720)
    editor.show()
    return editor


def line(editor: IntegrationEditor, wire: str) -> QLineEdit:
    assert editor.form is not None
    edit = editor.form.editor_for(wire)
    assert isinstance(edit, QLineEdit)
    return edit


def test_a_pasted_bearer_prefix_is_named_beside_the_token(qtbot: QtBot) -> None:
    """Typing 'Bearer abc…' into Zendesk's token shows the fix under the token, as an error."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("zendesk"))
    form = editor.form
    assert form is not None

    qtbot.keyClicks(line(editor, "token"), "Bearer abcdefghijklmnopqrstuvwxyz")

    error = form.error_label_for("token")
    qtbot.waitUntil(error.isVisible, timeout=2_000)
    assert "starts with 'Bearer'" in error.text()
    assert "abcdefghij" not in error.text()
    assert line(editor, "token").property("finding") == "error"
    assert "Bearer" in line(editor, "token").accessibleDescription()
    # Fields nobody has touched yet stay quiet, though they are empty and required.
    assert not form.error_label_for("subdomain").isVisible()
    assert not form.error_label_for("username").isVisible()


def test_warnings_look_different_from_errors(qtbot: QtBot) -> None:
    """A 30-character AWS secret gets an amber ⚠ warning line, not the red error line."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("s3"))
    form = editor.form
    assert form is not None

    qtbot.keyClicks(line(editor, "secretAccessKey"), "x" * 30)

    warning = form.warning_label_for("secretAccessKey")
    qtbot.waitUntil(warning.isVisible, timeout=2_000)
    assert warning.text() == "⚠ AWS secret access keys are 40 characters long"
    assert warning.objectName() == "fieldWarning"
    assert not form.error_label_for("secretAccessKey").isVisible()
    assert line(editor, "secretAccessKey").property("finding") == "warning"


def test_fixing_the_value_removes_the_finding(qtbot: QtBot) -> None:
    """Removing the pasted quotes around a subdomain makes its error go away."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("zendesk"))
    form = editor.form
    assert form is not None
    subdomain = line(editor, "subdomain")
    qtbot.keyClicks(subdomain, '"globex"')
    qtbot.waitUntil(form.error_label_for("subdomain").isVisible, timeout=2_000)

    subdomain.clear()
    qtbot.keyClicks(subdomain, "globex")

    qtbot.waitUntil(lambda: not form.error_label_for("subdomain").isVisible(), timeout=2_000)


def test_a_stored_integration_shows_its_findings_on_opening(qtbot: QtBot, vault: Vault) -> None:
    """Opening a saved S3 whose stored secret is too short warns beside the (empty) secret."""
    editor = make_editor(qtbot)
    credentials = {
        "bucket": "acme-x",
        "region": "us-east-1",
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "secretAccessKey": "short-secret",
    }
    stored = vault.add(parse_new({"label": "Acme", "provider": "s3", "credentials": credentials}))

    editor.show_integration(stored, None)

    form = editor.form
    assert form is not None
    warning = form.warning_label_for("secretAccessKey")
    assert warning.isVisible()
    assert "40 characters" in warning.text()
    assert line(editor, "secretAccessKey").text() == ""
    assert not form.warning_label_for("bucket").isVisible()


def test_only_model_errors_stop_a_save(qtbot: QtBot) -> None:
    """A token starting 'Bearer ' is flagged but saves; a broken e-mail refuses to save."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("zendesk"))
    qtbot.keyClicks(editor.label_edit, "Globex")
    qtbot.keyClicks(line(editor, "subdomain"), "globex")
    qtbot.keyClicks(line(editor, "username"), "agent@globex.com")
    qtbot.keyClicks(line(editor, "token"), "Bearer abcdefghijklmnop")

    assert editor.validated() is not None

    line(editor, "username").clear()
    qtbot.keyClicks(line(editor, "username"), "agent-at-globex")
    assert editor.validated() is None
    assert editor.form is not None
    assert "e-mail address" in editor.form.error_label_for("username").text()
    assert "Bearer" in editor.form.error_label_for("token").text()


def test_a_save_attempt_names_every_missing_field(qtbot: QtBot) -> None:
    """Save on an empty new form marks each required field and the label as required."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("s3"))

    assert editor.validated() is None

    form = editor.form
    assert form is not None
    for wire in form.wire_names():
        assert form.error_label_for(wire).text() == "Required", wire
    assert editor.label_error.isVisible()


def test_a_typed_mask_is_never_saved(qtbot: QtBot, vault: Vault) -> None:
    """Pasting the ●●●● mask into a stored secret is refused with 'type the real value'."""
    editor = make_editor(qtbot)
    editor.show_integration(add_s3(vault), None)

    QGuiApplication.clipboard().setText(MASK)
    line(editor, "secretAccessKey").paste()

    assert editor.validated() is None
    assert editor.form is not None
    assert editor.form.error_label_for("secretAccessKey").text() == "Type the real value"


def test_an_untouched_secret_is_kept_as_stored(qtbot: QtBot, vault: Vault) -> None:
    """Changing only the bucket of a stored S3 keeps the stored secret in the change."""
    editor = make_editor(qtbot)
    integration = add_s3(vault)
    editor.show_integration(integration, None)
    bucket = line(editor, "bucket")
    bucket.clear()
    qtbot.keyClicks(bucket, "acme-other")

    change = editor.validated()

    assert isinstance(change, IntegrationChanges)
    assert change.credentials.bucket == "acme-other"
    assert change.credentials.secret_access_key.get_secret_value() == SECRET_KEY


def test_unsaved_changes_are_reported_and_can_be_discarded(qtbot: QtBot, vault: Vault) -> None:
    """Editing the label and secret counts as unsaved; Discard shows the stored values again."""
    editor = make_editor(qtbot)
    editor.show_integration(add_s3(vault), None)
    assert not editor.has_unsaved_changes()

    qtbot.keyClicks(editor.label_edit, " (new)")
    qtbot.keyClicks(line(editor, "secretAccessKey"), "another-secret")

    assert editor.has_unsaved_changes()
    assert editor.changed_fields() == ["Label", "Secret access key"]
    assert editor.save_button.isEnabled()
    editor.discard_changes()
    assert not editor.has_unsaved_changes()
    assert editor.label_edit.text() == "Acme screenshots"
    assert line(editor, "secretAccessKey").text() == ""
    assert not editor.save_button.isEnabled()


def test_typing_back_the_original_leaves_nothing_unsaved(qtbot: QtBot, vault: Vault) -> None:
    """Changing the region and changing it back does not count as an unsaved change."""
    editor = make_editor(qtbot)
    editor.show_integration(add_s3(vault), None)
    region = line(editor, "region")

    region.clear()
    qtbot.keyClicks(region, "eu-west-1")
    assert editor.has_unsaved_changes()
    region.clear()
    qtbot.keyClicks(region, "us-east-1")

    assert not editor.has_unsaved_changes()


def test_discarding_a_new_draft_empties_the_editor(qtbot: QtBot) -> None:
    """A typed-in new integration is dropped by discard_changes(); the hint shows again."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("helpscout"))
    qtbot.keyClicks(line(editor, "apiKey"), "typed-key")
    assert editor.has_unsaved_changes()

    editor.discard_changes()

    assert editor.is_empty
    assert editor.form is None
    assert not editor.has_unsaved_changes()


def test_nothing_but_the_hint_shows_when_empty(qtbot: QtBot) -> None:
    """With nothing selected the label field is not visible anywhere."""
    editor = make_editor(qtbot)

    assert editor.is_empty
    assert not editor.label_edit.isVisible()


def focus_order(start: QWidget, count: int) -> list[QWidget]:
    """The next ``count`` widgets Tab reaches from ``start`` (visible, enabled, tab-focusable)."""
    order: list[QWidget] = []
    widget = start
    while len(order) < count:
        widget = widget.nextInFocusChain()
        tabbable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        if tabbable and widget.isVisible() and widget.isEnabled():
            order.append(widget)
        assert widget is not start, "focus chain ended early"
    return order


def test_tab_follows_the_fields_as_shown(qtbot: QtBot) -> None:
    """Tab goes Label, Bucket, Region, Access key ID, Secret (eye, Copy), then the buttons."""
    editor = make_editor(qtbot)
    editor.start_new(providers.get("s3"))
    qtbot.keyClicks(line(editor, "secretAccessKey"), "s")  # Copy is enabled once typed
    form = editor.form
    assert form is not None

    order = focus_order(editor.label_edit, 9)

    assert [w.accessibleName() or w.text() for w in order] == [
        "Bucket",
        "Region",
        "Access key ID",
        "Secret access key",
        "Show Secret access key",
        "Copy Secret access key",
        "Discard",
        "Save && verify",
        "Save",
    ]
