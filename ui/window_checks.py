"""What running checks show in the window: busy rows, the editor's panel, progress, messages."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.models import CheckRecord
from ui.integration_model import check_summary, provider_title

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class CheckFeedback(QObject):
    """Listens to the single checks and to 'Verify all', and updates what the person sees."""

    checks_changed = Signal()  # a check or a run started or ended

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._run_ids: set[str] = set()
        self._run_total = 0
        self._passed = self._failed = 0

        checks = window.checks
        checks.verification_started.connect(self._on_started)
        checks.verification_finished.connect(self._on_finished)
        checks.verification_stopped.connect(self._on_stopped)
        bulk = checks.bulk
        bulk.run_started.connect(self._on_run_started)
        bulk.progress_changed.connect(self._on_progress)
        bulk.check_recorded.connect(self._on_recorded)
        bulk.check_waiting.connect(self._on_waiting)
        bulk.run_finished.connect(self._on_run_finished)

    def is_checking(self, integration_id: str) -> bool:
        return self._window.model.is_busy(integration_id)

    def stop_shown(self) -> None:
        """The editor's Stop: stop the shown integration's check, alone or within a run."""
        shown = self._window.editor.integration
        if shown is None:
            return
        if self._window.checks.is_running(shown.id):
            self._window.checks.stop(shown.id)
        elif self._window.checks.bulk.drop(shown.id):
            self._idle([shown.id])
            self._window.status.say(
                f"Stopped waiting for “{shown.label}”; the other checks go on.", 6000
            )

    def forget(self, integration_id: str) -> None:
        """The integration is going away: stop its check, drop a result still coming."""
        self._window.checks.stop(integration_id)
        self._window.checks.bulk.drop(integration_id)
        self._idle([integration_id])

    # -- a single check ---------------------------------------------------------------------

    def _on_started(self, integration_id: str) -> None:
        self._busy([integration_id])
        self._window.status.say(f"Checking “{self._label_of(integration_id)}”…", 0)
        self.checks_changed.emit()

    def _on_finished(self, integration_id: str, record: CheckRecord) -> None:
        self._show_result(integration_id, record)
        self._window.model.resort()
        label = self._label_of(integration_id)
        self._window.status.say(f"“{label}”: {check_summary(record)}.", 8000)
        self.checks_changed.emit()

    def _on_stopped(self, integration_id: str) -> None:
        self._idle([integration_id])
        if not self._locked():  # a lock stopped it and cleared the bar: nothing to explain
            self._window.status.say("Check stopped; nothing was recorded.", 5000)
        self.checks_changed.emit()

    # -- Verify all -------------------------------------------------------------------------

    def _on_run_started(self, ids: list[str]) -> None:
        self._run_ids, self._run_total = set(ids), len(ids)
        self._passed = self._failed = 0
        self._busy(ids)
        self._window.status.show_work(f"Verifying 0 of {len(ids)}…", 0, len(ids))
        self.checks_changed.emit()

    def _on_progress(self, done: int, total: int) -> None:
        self._window.status.show_work(f"Verifying {done} of {total}…", done, total)

    def _on_recorded(self, integration_id: str, record: CheckRecord) -> None:
        self._run_ids.discard(integration_id)
        if record.ok:
            self._passed += 1
        else:
            self._failed += 1
        self._show_result(integration_id, record)

    def _on_run_finished(self, recorded: int, cancelled: bool) -> None:
        self._idle(list(self._run_ids))
        self._run_ids = set()
        self._window.status.hide_work()
        self._window.model.resort()
        if cancelled:
            message = (
                f"Verify all cancelled after {recorded} of {self._run_total}; "
                "the others keep their last result."
            )
        else:
            message = f"Verify all finished: {self._passed} OK, {self._failed} failed."
        if not self._locked():
            self._window.status.say(message, 12_000)
        self.checks_changed.emit()

    def _on_waiting(self, integration_id: str, seconds: float) -> None:
        if self._locked():
            return
        row = self._window.model.find(integration_id)
        if row is None:
            return
        self._window.status.say(
            f"“{row.label}”: {provider_title(row.provider)} is rate limiting; again in "
            f"{math.ceil(seconds)} s…",
            int(seconds * 1000) + 2000,
        )

    # -- rows and the editor ----------------------------------------------------------------

    def _show_result(self, integration_id: str, record: CheckRecord) -> None:
        window = self._window
        window.model.put_check(integration_id, record)
        if self._showing(integration_id):
            window.editor.show_check(record)
            window.editor.set_busy(False)
        window.verification_finished.emit(integration_id, record)

    def _busy(self, ids: list[str]) -> None:
        self._window.model.set_busy(ids, True)
        shown = self._window.editor.integration
        if shown is not None and shown.id in ids:
            self._window.editor.set_busy(True)

    def _idle(self, ids: list[str]) -> None:
        self._window.model.set_busy(ids, False)
        shown = self._window.editor.integration
        if shown is not None and shown.id in ids:
            self._window.editor.set_busy(False)

    def _showing(self, integration_id: str) -> bool:
        shown = self._window.editor.integration
        return shown is not None and shown.id == integration_id

    def _locked(self) -> bool:
        return self._window.session.lock.is_locked

    def _label_of(self, integration_id: str) -> str:
        row = self._window.model.find(integration_id)
        return row.label if row is not None else integration_id
