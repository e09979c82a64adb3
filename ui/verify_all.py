"""'Verify all': many checks on the shared engine, each result recorded and shown on arrival.

The engine (``app.verification.run_checks``) runs on one worker through ``ui.tasks``, with
its own bounded concurrency and rate-limit waits. Each result is recorded in the vault on
the worker (the vault is thread-safe) and then posted to the GUI thread, so rows update one
by one. Cancelling returns at once: checks already talking to a service cannot be
interrupted, so their results are dropped under a lock and never recorded or shown.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from app.errors import UnknownIntegration
from app.models import CheckRecord, Integration
from app.vault import Vault
from app.verification import DEFAULT_CONCURRENCY, CheckOptions, run_checks
from providers.base import VerificationResult
from ui.tasks import run_blocking

log = logging.getLogger(__name__)


@dataclass
class _Run:
    """One run's shared state; ``lock`` orders recording against cancelling and dropping."""

    ids: list[str]
    cancel: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    dropped: set[str] = field(default_factory=set)
    done: int = 0
    task: asyncio.Task[object] | None = None


class BulkVerifier(QObject):
    """Runs one 'Verify all' at a time and reports it row by row on the GUI thread."""

    run_started = Signal(list)  # the integration ids being checked
    progress_changed = Signal(int, int)  # done, total
    check_recorded = Signal(str, object)  # integration id, CheckRecord
    check_waiting = Signal(str, float)  # integration id, seconds the provider asked to wait
    run_finished = Signal(int, bool)  # results recorded, whether it was cancelled

    def __init__(
        self,
        vault: Vault,
        options: Callable[[], CheckOptions] = CheckOptions.from_environment,
        concurrency: int = DEFAULT_CONCURRENCY,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._options = options
        self.concurrency = concurrency  # checks at once; the settings dialog may change it
        self._run: _Run | None = None
        self._recorded = 0

    def use_vault(self, vault: Vault) -> None:
        self._vault = vault

    @property
    def is_running(self) -> bool:
        return self._run is not None

    def pending(self) -> set[str]:
        """Ids whose result this run still waits for."""
        run = self._run
        return set(run.ids) - run.dropped if run is not None else set()

    async def verify(self, ids: list[str]) -> int | None:
        """Check ``ids``; the number of results recorded, or None when a run was going.

        Raises ``UserFacingError`` when the check options are unusable.
        """
        if self._run is not None or not ids:
            return None
        options = self._options()
        run = _Run(list(ids))
        run.task = asyncio.current_task()
        self._run, self._recorded = run, 0
        loop = asyncio.get_running_loop()
        log.info("verify all: %d integrations", len(ids))
        self.run_started.emit(list(ids))
        self.progress_changed.emit(0, len(ids))

        def deliver(integration_id: str, record: CheckRecord | None) -> None:
            self._deliver(run, integration_id, record)

        def on_result(item: Integration, result: VerificationResult) -> None:
            # On the engine's thread: record unless cancelled or dropped, then post.
            with run.lock:
                if run.cancel.is_set():
                    return
                record = None
                if item.id not in run.dropped:
                    try:
                        record = self._vault.record_check(item.id, result)
                    except UnknownIntegration:
                        log.info("integration %s was deleted during its check", item.id)
            loop.call_soon_threadsafe(deliver, item.id, record)

        def on_wait(item: Integration, seconds: float) -> None:
            loop.call_soon_threadsafe(self._announce_wait, run, item.id, seconds)

        try:
            await run_blocking(self._work, run, options, on_result, on_wait)
        except asyncio.CancelledError:
            if self._run is run:  # cancelled from outside, not by cancel()
                self._stop(run)
            raise
        if self._run is run:
            self._finish(run, cancelled=False)
        return self._recorded

    def _work(
        self,
        run: _Run,
        options: CheckOptions,
        on_result: Callable[[Integration, VerificationResult], None],
        on_wait: Callable[[Integration, float], None],
    ) -> int:
        """On the worker: read the credentials, then drive the engine to the end."""
        items = []
        for integration_id in run.ids:
            if run.cancel.is_set():
                return 0
            try:
                items.append(self._vault.get(integration_id))
            except UnknownIntegration:
                continue
        return run_checks(items, options, on_result, self.concurrency, run.cancel, on_wait)

    def _deliver(self, run: _Run, integration_id: str, record: CheckRecord | None) -> None:
        """On the GUI thread: show a recorded result and move the progress on."""
        if record is not None:
            self._recorded += 1
            self.check_recorded.emit(integration_id, record)
        if self._run is not run:
            return
        run.done += 1
        self.progress_changed.emit(run.done, len(run.ids))

    def _announce_wait(self, run: _Run, integration_id: str, seconds: float) -> None:
        """On the GUI thread: a provider asked this run to wait before checking again."""
        if self._run is run and integration_id not in run.dropped:
            self.check_waiting.emit(integration_id, seconds)

    def drop(self, integration_id: str) -> bool:
        """Stop waiting for one integration's result; the rest of the run goes on."""
        run = self._run
        if run is None or integration_id not in run.ids:
            return False
        with run.lock:
            run.dropped.add(integration_id)
        return True

    def cancel(self) -> None:
        """Return to idle now; results still on their way are dropped, never recorded."""
        run = self._run
        if run is None:
            return
        self._stop(run)
        if run.task is not None and run.task is not asyncio.current_task():
            run.task.cancel()

    def _stop(self, run: _Run) -> None:
        with run.lock:
            run.cancel.set()
        log.info("verify all cancelled after %d of %d", run.done, len(run.ids))
        self._finish(run, cancelled=True)

    def _finish(self, run: _Run, cancelled: bool) -> None:
        self._run = None
        self.run_finished.emit(self._recorded, cancelled)
