"""The "Set up export target…" wizard: fill in a bucket's form, watch each check run, save it."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from app.errors import UserFacingError
from app.export_steps import SetupResult, StepId, StepReport, StepStatus
from app.export_target import ExportTargetSetup
from app.vault import Vault
from providers.storage import PROBE_PREFIX
from ui.export_steps_view import ExportStepsView, step_title
from ui.export_target_form import STORED, TargetFormPanel
from ui.feedback import show_failure
from ui.palette import accents
from ui.tasks import run_blocking

log = logging.getLogger(__name__)

INTRO = (
    "Checks a bucket step by step, then saves it and makes it the default export target. "
    f"A small probe object is written under “{PROBE_PREFIX}” and always deleted again."
)
READY = "Fill in the form, then press Run checks."
CREATE_TITLE = "Create the bucket?"


def planned_steps(push: bool) -> list[StepId]:
    """The steps a setup runs, in order; the push step only when asked for."""
    return [step for step in StepId if step is not StepId.PUSH or push]


def saved_in(result: SetupResult) -> bool:
    """Whether the run got as far as saving (a failed push still leaves it saved)."""
    return any(r.step is StepId.SAVE and r.ok for r in result.reports)


class ExportTargetWizard(QDialog):
    """Runs ``ExportTargetSetup`` on the worker and shows each step as it starts and ends.

    The whole run, saving included, happens on one worker call (the vault is thread-safe);
    step reports are posted back to the GUI thread as they come. Cancel stops between
    steps; the run still deletes its probe object before it returns, so the dialog only
    goes back to idle once the bucket is clean.
    """

    progress_changed = Signal(int, int)  # steps finished, steps planned
    setup_finished = Signal(object)  # SetupResult, once a run ends (after any bucket question)
    target_saved = Signal(str)  # integration id: saved and now the default export target

    def __init__(
        self, vault: Vault, parent: QWidget | None = None, integration_id: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up export target")
        self.setObjectName("exportWizard")
        self.resize(980, 660)
        self._vault = vault
        self._setup: ExportTargetSetup | None = None
        self._cancel: threading.Event | None = None
        self._running = False
        self._close_when_idle = False

        self.panel = TargetFormPanel(vault, self)
        if integration_id is not None:
            self.panel.choose(STORED, integration_id)
        self.steps = ExportStepsView(self)
        self.headline = QLabel(self)
        self.headline.setObjectName("exportHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.panel.source_changed.connect(self._on_source_changed)
        self.push_box = self._build_push_box()
        self._build_buttons()
        self._build_layout()
        self.steps.set_plan(planned_steps(self.push_box.isChecked()))
        self._set_headline(READY, "plain")
        self._show_state()

    # -- building ---------------------------------------------------------------------------

    def _build_push_box(self) -> QCheckBox:
        box = QCheckBox("Also push it to the remote API", self)
        self._can_push = self._vault.remote_config() is not None
        if not self._can_push:
            box.setEnabled(False)
            box.setText("Also push it to the remote API (sync is not configured)")
            box.setToolTip("Configure the remote API first (Sync settings), then run again.")
        box.toggled.connect(lambda push: self.steps.set_plan(planned_steps(push)))
        return box

    def _build_buttons(self) -> None:
        self.run_button = QPushButton("Run checks", self)
        self.run_button.setToolTip("Check each step in turn; save only when all of them pass")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop after the current step; the probe is still deleted")
        self.close_button = QPushButton("Close", self)
        self.run_button.clicked.connect(self.run_checks)
        self.cancel_button.clicked.connect(self.request_cancel)
        self.close_button.clicked.connect(self.reject)

    def _build_layout(self) -> None:
        intro = QLabel(INTRO, self)
        intro.setObjectName("dialogText")
        intro.setWordWrap(True)
        steps_box = QScrollArea(self)
        steps_box.setWidget(self.steps)
        steps_box.setWidgetResizable(True)
        steps_box.setFrameShape(QFrame.Shape.StyledPanel)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.headline)
        right.addWidget(steps_box, 1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self.panel, 11)
        columns.addLayout(right, 10)
        buttons = QHBoxLayout()
        buttons.addWidget(self.push_box)
        buttons.addStretch(1)
        for button in (self.run_button, self.cancel_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    # -- running ----------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self._running

    @asyncSlot()
    async def run_checks(self) -> SetupResult | None:
        """Run every step from the offline check on; None when nothing could start."""
        if self._running:
            return None
        try:
            setup = ExportTargetSetup(self.panel.target_form(), push=self.push_box.isChecked())
        except UserFacingError as exc:  # e.g. INTEGRATION_VAULT_ENDPOINTS is unusable
            show_failure(self, exc)
            return None
        self._setup = setup
        self.steps.set_plan(setup.plan)
        return await self._run(setup, None)

    @asyncSlot()
    async def _continue_from_bucket(self) -> SetupResult | None:
        setup = self._setup
        if setup is None or self._running:
            return None
        setup.create_bucket = True
        self.steps.reset_from(StepId.BUCKET)
        return await self._run(setup, StepId.BUCKET)

    async def _run(self, setup: ExportTargetSetup, start_at: StepId | None) -> SetupResult | None:
        cancel = self._cancel = threading.Event()
        loop = asyncio.get_running_loop()

        def post(report: StepReport) -> None:  # called on the worker thread
            loop.call_soon_threadsafe(self._on_report, setup, report)

        self._running = True
        self._show_state()
        job = partial(setup.run, self._vault, on_step=post, cancel=cancel, start_at=start_at)
        try:
            result = await run_blocking(job)
        except asyncio.CancelledError:
            cancel.set()  # the worker stops after its step and still deletes the probe
            raise
        except Exception as exc:  # run() reports expected problems; this is a bug
            result = None
            if isValid(self):
                show_failure(self, exc)
        finally:
            self._running = False
        if not isValid(self) or setup is not self._setup:
            return result
        if result is not None and saved_in(result) and result.integration_id is not None:
            self.panel.adopt(result.integration_id)  # a second run updates, never duplicates
            self.target_saved.emit(result.integration_id)
        if self._close_when_idle:
            super().reject()
            return result
        self.steps.stop_running()
        self._show_state()
        if result is not None:
            self._finish(setup, result)
        return result

    def _on_report(self, setup: ExportTargetSetup, report: StepReport) -> None:
        if not isValid(self) or setup is not self._setup:
            return  # a late report from a run this dialog no longer shows
        self.steps.show_report(report)
        if report.status is StepStatus.RUNNING:
            self._set_headline(f"Checking: {step_title(report.step).lower()}…", "busy")
        self.progress_changed.emit(self.steps.finished_count(), len(self.steps.steps))

    def _finish(self, setup: ExportTargetSetup, result: SetupResult) -> None:
        if result.status is StepStatus.BUCKET_MISSING:
            # Asked once this run's task has ended: a dialog inside it would nest the loop.
            QTimer.singleShot(0, partial(self._ask_create_bucket, setup, result))
            return
        self._set_headline(*self._outcome(result))
        if result.ok:  # done: Enter now closes rather than running it all again
            self.run_button.setDefault(False)
            self.close_button.setDefault(True)
            self.close_button.setFocus()
        self.setup_finished.emit(result)

    def _outcome(self, result: SetupResult) -> tuple[str, str]:
        """The headline after a run, and its tone."""
        label = self.panel.label_edit.text().strip()
        if result.ok:
            return f"✓ Ready: “{label}” is saved and is the default export target.", "ok"
        where = step_title(result.stopped_at) if result.stopped_at else "a step"
        saved = "It was saved before that." if saved_in(result) else "Nothing was saved."
        if any(r.step is StepId.DELETE and r.status is StepStatus.PASSED for r in result.reports):
            saved = f"The probe object was deleted. {saved}"
        if result.status is StepStatus.CANCELLED:
            return f"Cancelled before “{where}”. {saved}", "muted"
        return f"✗ Stopped at “{where}”: see the message under it. {saved}", "failed"

    def _ask_create_bucket(self, setup: ExportTargetSetup, result: SetupResult) -> None:
        if not isValid(self) or setup is not self._setup:
            return
        self._set_headline("The bucket does not exist: create it?", "failed")
        answer = QMessageBox.question(
            self,
            CREATE_TITLE,
            f"{result.message}\n\nCreate it now and continue with the remaining steps?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._continue_from_bucket()
            return
        declined = [r for r in result.reports if r.step is StepId.BUCKET]
        if declined:
            note = " Not created: correct the bucket name, or run again and let it be created."
            self.steps.show_report(replace(declined[-1], message=declined[-1].message + note))
        where = step_title(StepId.BUCKET)
        self._set_headline(f"✗ Stopped at “{where}”: no such bucket. Nothing was saved.", "failed")
        self.setup_finished.emit(result)

    def _on_source_changed(self) -> None:
        if not self._running:
            self._setup = None
            self.steps.set_plan(planned_steps(self.push_box.isChecked()))
            self._set_headline(READY, "plain")

    def request_cancel(self) -> None:
        """Stop after the step that is running; the probe object is deleted before idle."""
        if self._cancel is None or not self._running:
            return
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self._set_headline("Cancelling after the current step…", "busy")

    # -- what the dialog shows --------------------------------------------------------------

    def _show_state(self) -> None:
        running = self._running
        self.panel.setEnabled(not running)
        self.push_box.setEnabled(not running and self._can_push)
        self.run_button.setEnabled(not running)
        self.run_button.setDefault(not running)
        self.close_button.setDefault(False)
        self.cancel_button.setEnabled(running)
        self.cancel_button.setText("Cancel")
        self.close_button.setEnabled(not running)

    def _set_headline(self, text: str, tone: str) -> None:
        colours = accents()
        colour = {"ok": colours.ok, "failed": colours.failed, "busy": colours.busy}.get(
            tone, colours.muted
        )
        self.headline.setText(text)
        self.headline.setStyleSheet(
            "font-weight: 600;" if tone == "plain" else f"color: {colour}; font-weight: 600;"
        )

    def reject(self) -> None:
        """Close; while running (Esc, the window's close button, a vault lock) the dialog
        hides at once, cancels, and closes once the run has deleted its probe object."""
        if self._running:
            self._close_when_idle = True
            self.request_cancel()
            self.hide()
            return
        super().reject()
