"""The "Set up export target…" wizard, run against a moto S3 server on loopback."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import boto3
import pytest
from PySide6.QtWidgets import QMessageBox, QToolBar
from pytestqt.qtbot import QtBot

from app.default_target import (
    default_target,
    default_target_id,
    set_default_target,
    stored_jurisdiction,
)
from app.export_steps import StepId, StepStatus
from app.vault import Vault
from providers import storage
from providers.storage import PROBE_PREFIX
from tests.conftest import R2_ACCOUNT, R2_KEY_ID, R2_SECRET
from tests.ui.conftest import ACCESS_KEY_ID, BUCKET, SECRET_KEY, add_s3
from ui.export_target_actions import NO_TARGET, SETUP_TEXT
from ui.export_target_form import NEW_R2
from ui.export_wizard import CREATE_TITLE, ExportTargetWizard
from ui.main_window import MainWindow

RUN_TIMEOUT_MS = 30_000
EVERY_STEP = [s for s in StepId if s is not StepId.PUSH]


def s3_admin(url: str, region: str = "us-east-1") -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_KEY,
    )


def probe_objects(url: str, bucket: str) -> list[str]:
    """Whatever a setup may have left under the probe prefix."""
    listing = s3_admin(url).list_objects_v2(Bucket=bucket, Prefix=PROBE_PREFIX)
    return [item["Key"] for item in listing.get("Contents", [])]


def fill(
    qtbot: QtBot, wizard: ExportTargetWizard, bucket: str = BUCKET, region: str = "us-east-1"
) -> None:
    panel = wizard.panel
    qtbot.keyClicks(panel.label_edit, "Acme screenshots")
    qtbot.keyClicks(panel.form.editor_for("bucket"), bucket)
    qtbot.keyClicks(panel.form.editor_for("region"), region)
    qtbot.keyClicks(panel.form.editor_for("accessKeyId"), ACCESS_KEY_ID)
    qtbot.keyClicks(panel.form.editor_for("secretAccessKey"), SECRET_KEY)


def run(qtbot: QtBot, wizard: ExportTargetWizard) -> Any:
    with qtbot.waitSignal(wizard.setup_finished, timeout=RUN_TIMEOUT_MS) as finished:
        wizard.run_button.click()
    return finished.args[0]


def answer_create(monkeypatch: pytest.MonkeyPatch, yes: bool) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_args: object) -> object:
        asked.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def assert_idle(wizard: ExportTargetWizard) -> None:
    assert not wizard.is_running
    assert wizard.run_button.isEnabled()
    assert not wizard.cancel_button.isEnabled()
    assert wizard.close_button.isEnabled()


@pytest.fixture
def wizard(qtbot: QtBot, vault: Vault, qasync_loop: object) -> ExportTargetWizard:
    shown = ExportTargetWizard(vault)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_present_bucket_passes_every_step_and_becomes_the_default(
    qtbot: QtBot, wizard: ExportTargetWizard, vault: Vault, s3_server: str
) -> None:
    """Each step shows a green ✓ with its time; the bucket is saved and is the default."""
    fill(qtbot, wizard)
    progress: list[tuple[int, int]] = []
    wizard.progress_changed.connect(lambda done, total: progress.append((done, total)))

    with qtbot.waitSignal(wizard.target_saved, timeout=RUN_TIMEOUT_MS) as saved:
        result = run(qtbot, wizard)

    assert result.ok, result.message
    steps = wizard.steps
    assert steps.steps == EVERY_STEP
    assert [steps.mark_of(s) for s in EVERY_STEP] == ["✓"] * len(EVERY_STEP)
    assert all(steps.time_of(s).endswith(" ms") for s in EVERY_STEP)
    assert "found" in steps.message_of(StepId.BUCKET)
    assert progress[-1] == (len(EVERY_STEP), len(EVERY_STEP))
    assert "default export target" in wizard.headline.text()
    assert default_target_id(vault) == saved.args[0] == result.integration_id
    assert vault.get(saved.args[0]).label == "Acme screenshots"
    assert probe_objects(s3_server, BUCKET) == []
    assert_idle(wizard)

    again = run(qtbot, wizard)  # pressed a second time: the same integration is updated
    assert again.ok and again.integration_id == saved.args[0]
    assert vault.ids() == [saved.args[0]]


def test_missing_bucket_asks_then_creates_it_in_the_region_and_continues(
    qtbot: QtBot,
    wizard: ExportTargetWizard,
    vault: Vault,
    s3_server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A missing bucket brings a question naming the region; Yes creates it and all pass."""
    asked = answer_create(monkeypatch, yes=True)
    name = f"new-{uuid.uuid4().hex[:12]}"
    fill(qtbot, wizard, bucket=name, region="eu-west-1")

    result = run(qtbot, wizard)

    assert len(asked) == 1
    assert asked[0].startswith(CREATE_TITLE) and name in asked[0] and "eu-west-1" in asked[0]
    assert result.ok, result.message
    assert [wizard.steps.mark_of(s) for s in EVERY_STEP] == ["✓"] * len(EVERY_STEP)
    assert "created" in wizard.steps.message_of(StepId.BUCKET)
    location = s3_admin(s3_server).get_bucket_location(Bucket=name)["LocationConstraint"]
    assert location == "eu-west-1"
    assert default_target_id(vault) == result.integration_id


def test_declining_to_create_the_bucket_stops_at_that_step(
    qtbot: QtBot,
    wizard: ExportTargetWizard,
    vault: Vault,
    s3_server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No to the question leaves a red ✗ at "Bucket exists" with why; nothing is saved."""
    answer_create(monkeypatch, yes=False)
    fill(qtbot, wizard, bucket=f"gone-{uuid.uuid4().hex[:12]}")

    result = run(qtbot, wizard)

    assert result.status is StepStatus.BUCKET_MISSING
    steps = wizard.steps
    assert [steps.mark_of(s) for s in EVERY_STEP[:3]] == ["✓", "✓", "✗"]
    assert "does not exist" in steps.message_of(StepId.BUCKET)
    assert "Not created" in steps.message_of(StepId.BUCKET)
    assert steps.status_of(StepId.REGION) is None  # never ran: still waiting
    assert "Bucket exists" in wizard.headline.text()
    assert vault.ids() == []
    assert_idle(wizard)


def test_wrong_region_stops_at_the_region_step_with_the_fix(
    qtbot: QtBot, wizard: ExportTargetWizard, vault: Vault, s3_server: str
) -> None:
    """A bucket in eu-west-1 entered as us-east-1: ✗ at "Region matches", naming eu-west-1."""
    name = f"eu-{uuid.uuid4().hex[:12]}"
    s3_admin(s3_server, "eu-west-1").create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    fill(qtbot, wizard, bucket=name, region="us-east-1")

    result = run(qtbot, wizard)

    assert result.stopped_at is StepId.REGION
    assert wizard.steps.mark_of(StepId.REGION) == "✗"
    assert "eu-west-1" in wizard.steps.message_of(StepId.REGION)
    assert wizard.steps.status_of(StepId.WRITE) is None
    assert "Region matches" in wizard.headline.text()
    assert "Nothing was saved" in wizard.headline.text()
    assert vault.ids() == []


def test_a_bad_bucket_name_fails_the_offline_step_and_shows_beside_the_field(
    qtbot: QtBot, wizard: ExportTargetWizard, vault: Vault, s3_server: str
) -> None:
    """A bucket name with capitals stops at the offline check; the field says why."""
    fill(qtbot, wizard, bucket="Bad_Bucket")

    result = run(qtbot, wizard)

    assert result.stopped_at is StepId.OFFLINE
    assert wizard.steps.mark_of(StepId.OFFLINE) == "✗"
    assert "bucket" in wizard.steps.message_of(StepId.OFFLINE)
    assert wizard.panel.form.error_label_for("bucket").isVisible()
    assert wizard.steps.status_of(StepId.CREDENTIALS) is None


def test_cancel_during_a_step_returns_to_idle_and_leaves_no_probe(
    qtbot: QtBot,
    wizard: ExportTargetWizard,
    vault: Vault,
    s3_server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cancel while the probe is written: the rest is cancelled, the probe deleted, idle again."""
    written = threading.Event()
    release = threading.Event()
    real_write = storage.write_probe

    def slow_write(*args: Any) -> None:
        real_write(*args)
        written.set()
        release.wait(10)  # the person presses Cancel while this step still runs

    monkeypatch.setattr(storage, "write_probe", slow_write)
    fill(qtbot, wizard)

    with qtbot.waitSignal(wizard.setup_finished, timeout=RUN_TIMEOUT_MS) as finished:
        wizard.run_button.click()
        qtbot.waitUntil(lambda: wizard.steps.status_of(StepId.WRITE) is StepStatus.RUNNING)
        assert wizard.steps.mark_of(StepId.WRITE) == "…"
        assert wizard.cancel_button.isEnabled() and not wizard.close_button.isEnabled()
        assert written.wait(10)
        wizard.cancel_button.click()
        assert wizard.cancel_button.text() == "Cancelling…"
        release.set()

    assert finished.args[0].status is StepStatus.CANCELLED
    assert wizard.steps.status_of(StepId.WRITE) is StepStatus.PASSED
    assert wizard.steps.status_of(StepId.READ) is StepStatus.CANCELLED
    assert wizard.steps.mark_of(StepId.DELETE) == "✓"
    assert wizard.headline.text().startswith("Cancelled")
    assert_idle(wizard)
    assert probe_objects(s3_server, BUCKET) == []
    assert vault.ids() == []


def test_a_stored_integration_is_checked_and_updated_in_place(
    qtbot: QtBot, vault: Vault, qasync_loop: object, s3_server: str
) -> None:
    """Starting from a stored S3 integration keeps its id, secret and all, and makes it default."""
    stored = add_s3(vault)
    wizard = ExportTargetWizard(vault, integration_id=stored.id)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.panel.label_edit.text() == stored.label
    assert wizard.panel.form.editor_for("secretAccessKey").text() == ""  # secret not shown

    result = run(qtbot, wizard)

    assert result.ok, result.message
    assert vault.ids() == [stored.id]
    assert default_target_id(vault) == stored.id


def test_r2_uses_the_chosen_jurisdictions_endpoint_and_keeps_it(
    qtbot: QtBot,
    wizard: ExportTargetWizard,
    vault: Vault,
    s3_server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R2 with EU chosen talks to the EU endpoint; the saved target reads "EU jurisdiction"."""
    monkeypatch.setenv("INTEGRATION_VAULT_ENDPOINTS", json.dumps({"r2:eu": s3_server}))
    panel = wizard.panel
    panel.choose(NEW_R2)
    assert panel.jurisdiction_combo.isVisible()
    panel.jurisdiction_combo.setCurrentIndex(panel.jurisdiction_combo.findData("eu"))
    qtbot.keyClicks(panel.label_edit, "Acme on R2 (EU)")
    for wire, value in (
        ("bucket", BUCKET),
        ("accountId", R2_ACCOUNT),
        ("accessKeyId", R2_KEY_ID),
        ("secretAccessKey", R2_SECRET),
    ):
        qtbot.keyClicks(panel.form.editor_for(wire), value)

    result = run(qtbot, wizard)

    assert result.ok, result.message
    assert wizard.steps.mark_of(StepId.REGION) == "–"  # R2 has no regions
    assert "European Union" in wizard.steps.message_of(StepId.REGION)
    assert stored_jurisdiction(vault, result.integration_id) == "eu"
    target = default_target(vault)
    assert target is not None and "European Union (EU) jurisdiction" in target.display


# -- in the main window ----------------------------------------------------------------


def status_label_text(window: MainWindow) -> str:
    """What the status bar says of the export target (long names end in "…")."""
    return window.export_target.status_label.text()


def test_window_offers_the_wizard_and_shows_the_new_target_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, vault: Vault, s3_server: str
) -> None:
    """The toolbar and File menu open the wizard; after it, the status bar names the target."""
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None
    assert SETUP_TEXT in [a.text() for a in toolbar.actions()]
    assert SETUP_TEXT in [a.text() for a in window.menu("File").actions()]
    assert status_label_text(window) == NO_TARGET

    wizard = window.export_target.open_wizard()
    fill(qtbot, wizard)
    with qtbot.waitSignal(window.export_target.default_target_changed) as changed:
        result = run(qtbot, wizard)

    target = default_target(vault)
    assert target is not None
    assert changed.args == [result.integration_id]
    assert status_label_text(window).startswith(f"Export target: {target.label} (S3 bucket")
    assert f"Export target: {target.display}" in window.export_target.status_label.toolTip()
    assert window.model.row_of(target.id) is not None  # the list shows the new integration
    wizard.close_button.click()


def test_make_default_and_clear_from_the_integration_menu(
    qtbot: QtBot, window: MainWindow, vault: Vault
) -> None:
    """Make default names the selected bucket in the status bar; Clear puts "No export target"."""
    first = add_s3(vault, "First bucket", "first-bucket")
    second = add_s3(vault, "Second bucket", "second-bucket")
    for item in (first, second):
        window.model.put(vault.row(item.id))
    set_default_target(vault, first.id)
    window.export_target.refresh()
    assert "First bucket" in status_label_text(window)

    window.select(second.id)
    actions = window.export_target
    window.menu("Integration").aboutToShow.emit()  # the menu is opened
    assert actions.make_default.isEnabled() and actions.clear.isEnabled()
    with qtbot.waitSignal(actions.default_target_changed) as changed:
        actions.make_default.trigger()
    assert changed.args == [second.id]
    assert "Second bucket" in status_label_text(window)
    assert not actions.make_default.isEnabled()  # already the default

    with qtbot.waitSignal(actions.default_target_changed) as cleared:
        actions.clear.trigger()
    assert cleared.args == [""]
    assert status_label_text(window) == NO_TARGET
    assert default_target_id(vault) is None
    assert sorted(vault.ids()) == sorted([first.id, second.id])
