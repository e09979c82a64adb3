"""The credential form generated from a provider's model: fields, help, secrets, errors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

import providers
from app.errors import FieldProblem
from app.models import MASK
from providers.findings import Finding
from providers.intercom import IntercomCredentials
from providers.knowledgeowl import KnowledgeOwlCredentials
from providers.r2 import R2Credentials
from providers.s3 import S3Credentials
from ui.form import SAVED_SECRET_PLACEHOLDER, CredentialForm


def make_form(qtbot: QtBot, model: type) -> CredentialForm:
    form = CredentialForm(model)
    qtbot.addWidget(form)
    form.show()
    return form


def test_fields_come_from_the_provider_model(qtbot: QtBot) -> None:
    """S3 shows Bucket, Region, Access key ID and a masked Secret access key with examples."""
    form = make_form(qtbot, S3Credentials)

    assert form.wire_names() == ["bucket", "region", "accessKeyId", "secretAccessKey"]
    bucket = form.editor_for("bucket")
    assert isinstance(bucket, QLineEdit)
    assert bucket.placeholderText() == "e.g. acme-support-screenshots"
    assert bucket.toolTip().startswith("Name of the S3 bucket")
    secret = form.editor_for("secretAccessKey")
    assert isinstance(secret, QLineEdit)
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    assert form.reveal_button_for("secretAccessKey") is not None
    assert form.reveal_button_for("bucket") is None


def test_choice_fields_are_drop_downs(qtbot: QtBot) -> None:
    """Intercom's region is picked from a list (default, us, eu, au), not typed."""
    form = make_form(qtbot, IntercomCredentials)

    region = form.editor_for("region")
    assert isinstance(region, QComboBox)
    assert [region.itemData(i) for i in range(region.count())] == [None, "us", "eu", "au"]
    region.setCurrentIndex(2)
    assert form.values()["region"] == "eu"


def test_reveal_toggle_shows_a_typed_secret(qtbot: QtBot) -> None:
    """The eye button shows the typed secret in clear text and hides it again."""
    form = make_form(qtbot, S3Credentials)
    secret = form.editor_for("secretAccessKey")
    button = form.reveal_button_for("secretAccessKey")
    assert isinstance(secret, QLineEdit) and button is not None
    qtbot.keyClicks(secret, "typed-secret")

    button.click()
    assert secret.echoMode() == QLineEdit.EchoMode.Normal
    button.click()
    assert secret.echoMode() == QLineEdit.EchoMode.Password
    assert form.values()["secretAccessKey"] == "typed-secret"


def test_problems_appear_under_their_fields(qtbot: QtBot) -> None:
    """A problem named credentials.bucket shows under Bucket; others are handed back."""
    form = make_form(qtbot, S3Credentials)

    elsewhere = form.show_problems(
        [
            FieldProblem("credentials.bucket", "bucket names use lowercase letters only"),
            FieldProblem("provider", "unknown provider"),
        ]
    )

    assert form.error_label_for("bucket").isVisible()
    assert form.error_label_for("bucket").text() == "Bucket names use lowercase letters only"
    assert not form.error_label_for("region").isVisible()
    assert [p.field for p in elsewhere] == ["provider"]
    form.clear_problems()
    assert not form.error_label_for("bucket").isVisible()


def test_a_stored_secret_starts_empty_and_is_left_out(qtbot: QtBot) -> None:
    """For a saved integration the secret field is empty ('Saved — type to replace')."""
    form = make_form(qtbot, S3Credentials)
    stored = {
        "bucket": "acme-x",
        "region": "us-east-1",
        "accessKeyId": "AKIA1",
        "secretAccessKey": MASK,
    }

    form.load(stored, stored_secrets=True)

    secret = form.editor_for("secretAccessKey")
    assert isinstance(secret, QLineEdit)
    assert secret.text() == ""
    assert secret.placeholderText() == SAVED_SECRET_PLACEHOLDER
    assert "secretAccessKey" not in form.values()
    assert form.local_problems() == []
    assert MASK not in form.values().values()


def test_empty_required_fields_are_named(qtbot: QtBot) -> None:
    """A new form with nothing typed lists every required field as 'required'."""
    form = make_form(qtbot, S3Credentials)

    problems = form.local_problems()

    assert {p.field for p in problems} == {
        "credentials.bucket",
        "credentials.region",
        "credentials.accessKeyId",
        "credentials.secretAccessKey",
    }
    assert {p.message for p in problems} == {"required"}


def test_fields_are_grouped_as_a_person_fills_them(qtbot: QtBot) -> None:
    """R2 shows Location (bucket, account), Credentials (key pair), then Optional (region)."""
    form = make_form(qtbot, R2Credentials)

    assert form.wire_names() == [
        "bucket",
        "accountId",
        "accessKeyId",
        "secretAccessKey",
        "region",
    ]
    headings = [label.text() for label in form.findChildren(QLabel, "formSection")]
    assert headings == ["Location", "Credentials", "Optional"]


def test_an_optional_field_comes_after_the_key(qtbot: QtBot) -> None:
    """KnowledgeOwl asks for the API key first and the optional knowledge base ID last."""
    form = make_form(qtbot, KnowledgeOwlCredentials)

    assert form.wire_names() == ["apiKey", "projectId"]
    headings = [label.text() for label in form.findChildren(QLabel, "formSection")]
    assert headings == ["Credentials", "Optional"]


def test_where_do_i_find_this_opens_on_request(qtbot: QtBot) -> None:
    """The help under Secret access key is closed; '?' opens it with where to find the key."""
    form = make_form(qtbot, S3Credentials)
    help_text = form.help_label_for("secretAccessKey")
    assert not help_text.isVisible()

    form.help_button_for("secretAccessKey").click()

    assert help_text.isVisible()
    assert "Where do I find this?" in help_text.text()
    assert "IAM › Users" in help_text.text()
    assert not form.help_label_for("bucket").isVisible()
    form.help_button_for("secretAccessKey").click()
    assert not help_text.isVisible()


def test_f1_in_a_field_opens_its_help(qtbot: QtBot) -> None:
    """Pressing F1 while typing the bucket shows the bucket's help."""
    form = make_form(qtbot, S3Credentials)
    bucket = form.editor_for("bucket")
    form.activateWindow()
    bucket.setFocus()
    qtbot.waitUntil(bucket.hasFocus, timeout=2_000)

    qtbot.keyClick(bucket, Qt.Key.Key_F1)

    assert form.help_label_for("bucket").isVisible()


@pytest.mark.parametrize("name", list(providers.PROVIDERS))
def test_every_input_has_a_name_and_help(qtbot: QtBot, name: str) -> None:
    """Each provider's inputs and buttons carry accessible names; each field has help text."""
    form = make_form(qtbot, providers.PROVIDERS[name].credentials)

    for widget in form.focus_chain():
        assert widget.accessibleName(), widget
    for wire in form.wire_names():
        assert form.help_label_for(wire).text(), wire
        assert form.help_button_for(wire).accessibleName() == f"Help for {form.title_for(wire)}"


def test_errors_and_warnings_show_under_their_field(qtbot: QtBot) -> None:
    """An error goes on the red line, a warning on the ⚠ line; other fields stay quiet."""
    form = make_form(qtbot, S3Credentials)

    elsewhere = form.show_findings(
        [
            Finding("bucket", "bucket names use lowercase letters only"),
            Finding("accessKeyId", "AWS access key IDs start with AKIA", "warning"),
            Finding("provider", "unknown provider"),
        ],
        everywhere=True,
    )

    assert form.error_label_for("bucket").text() == "Bucket names use lowercase letters only"
    assert not form.warning_label_for("bucket").isVisible()
    assert form.warning_label_for("accessKeyId").text() == "⚠ AWS access key IDs start with AKIA"
    assert not form.error_label_for("accessKeyId").isVisible()
    assert [f.field for f in elsewhere] == ["provider"]


def test_a_finding_beside_its_field_reads_as_a_sentence(qtbot: QtBot) -> None:
    """'is wrapped in quotes' under a field becomes '<its title> is wrapped in quotes…'."""
    form = make_form(qtbot, S3Credentials)

    form.show_findings(
        [Finding("secretAccessKey", "is wrapped in quotes; remove them")], everywhere=True
    )

    assert form.error_label_for("secretAccessKey").text() == (
        "Secret access key is wrapped in quotes; remove them"
    )
