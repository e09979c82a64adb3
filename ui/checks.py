"""Running verifications from the window: single checks and 'Verify all', off the GUI thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.errors import UnknownIntegration
from app.models import CheckRecord, Integration
from app.vault import Vault
from app.verification import CheckOptions, verify_integration
from ui.tasks import run_blocking
from ui.verify_all import BulkVerifier

log = logging.getLogger(__name__)


class CheckRunner(QObject):
    """Verifies integrations on the worker pool and records each result in the vault.

    A single check is recorded here on the GUI thread, after the worker's result is back.
    ``bulk`` runs 'Verify all'; ``stop_all`` stops both kinds.
    """

    verification_started = Signal(str)  # integration id
    verification_finished = Signal(str, object)  # integration id, CheckRecord
    verification_stopped = Signal(str)  # integration id; nothing was recorded

    def __init__(
        self,
        vault: Vault,
        options: Callable[[], CheckOptions] = CheckOptions.from_environment,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._options = options
        self._tasks: dict[str, asyncio.Task[object]] = {}
        self.bulk = BulkVerifier(vault, options, parent=self)

    def use_vault(self, vault: Vault) -> None:
        """Record into ``vault`` from now on (it was reopened after a lock)."""
        self._vault = vault
        self.bulk.use_vault(vault)

    def is_running(self, integration_id: str) -> bool:
        return integration_id in self._tasks

    @property
    def any_running(self) -> bool:
        return bool(self._tasks) or self.bulk.is_running

    async def verify(self, integration: Integration) -> CheckRecord | None:
        """Check ``integration`` and record the outcome; None when stopped or already running.

        Raises ``UserFacingError`` when the check options are unusable (a bad endpoint
        override). Stopping cancels the awaiting task, so a late result is never recorded.
        """
        if integration.id in self._tasks:
            return None
        options = self._options()
        task = asyncio.current_task()
        assert task is not None, "verify() runs inside an asyncSlot task"
        self._tasks[integration.id] = task
        self.verification_started.emit(integration.id)
        try:
            result = await run_blocking(verify_integration, integration, options)
        except asyncio.CancelledError:
            log.info("check of %s stopped", integration.id)
            self.verification_stopped.emit(integration.id)
            raise
        finally:
            self._tasks.pop(integration.id, None)

        try:
            record = self._vault.record_check(integration.id, result)
        except UnknownIntegration:
            log.info("integration %s was deleted during its check", integration.id)
            self.verification_stopped.emit(integration.id)
            return None
        self.verification_finished.emit(integration.id, record)
        return record

    def stop(self, integration_id: str) -> None:
        task = self._tasks.get(integration_id)
        if task is not None:
            task.cancel()

    def stop_all(self) -> None:
        """Stop every single check and any 'Verify all'; nothing more is recorded."""
        self.bulk.cancel()
        for task in list(self._tasks.values()):
            task.cancel()
