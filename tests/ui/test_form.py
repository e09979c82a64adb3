"""The credential form generated from a provider's model: fields, help, secrets, errors."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from app.errors import FieldProblem
from app.models import MASK
from providers.intercom import IntercomCredentials
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
    assert bucket.placeholderText() == "acme-support-screenshots"
    assert "Where to find it: AWS console › S3 › Buckets" in bucket.toolTip()
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
    assert form.error_label_for("bucket").text() == "bucket names use lowercase letters only"
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
