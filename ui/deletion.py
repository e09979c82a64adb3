"""Deleting with a way back: what was deleted stays in memory until the window closes."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from app.models import CheckRecord, Integration, NewIntegration
from app.vault import Vault
from providers.base import Category, VerificationResult

log = logging.getLogger(__name__)

KEPT_CHECKS = 100  # checks put back on undo, newest first; older ones are let go


@dataclass(frozen=True)
class DeletedIntegration:
    """Everything needed to put an integration back as it was, under the same id."""

    integration: Integration
    checks: tuple[tuple[str, CheckRecord], ...]  # (source, record), oldest first
    sync_state: str
    remote_id: str | None
    remote_seen: datetime | None

    @property
    def label(self) -> str:
        return self.integration.label


def undo_tip(item: DeletedIntegration) -> str:
    """What Undo will do, including what it cannot bring back."""
    return (
        f"Bring back “{item.label}” with its credentials and its last {KEPT_CHECKS} checks. "
        "Earlier versions of its credentials are not restored."
    )


class DeletedIntegrations:
    """A stack of deletions of this session; Undo takes the newest one back."""

    def __init__(self) -> None:
        self._stack: list[DeletedIntegration] = []

    def __bool__(self) -> bool:
        return bool(self._stack)

    def newest(self) -> DeletedIntegration | None:
        return self._stack[-1] if self._stack else None

    def delete(self, vault: Vault, integration_id: str) -> DeletedIntegration:
        """Remember the integration, its checks and its sync link, then delete it."""
        integration = vault.get(integration_id)
        checks = [
            (source, record)
            for source in ("local", "remote")
            for record in reversed(vault.history(integration_id, KEPT_CHECKS, source))
        ]
        checks.sort(key=lambda pair: pair[1].checked_at)
        state, remote_id, seen = vault.sync_info(integration_id)
        item = DeletedIntegration(integration, tuple(checks), state, remote_id, seen)
        vault.delete(integration_id)
        self._stack.append(item)
        return item

    def undo(self, vault: Vault) -> Integration | None:
        """Add the newest deleted integration back with the same id; None when none is left."""
        if not self._stack:
            return None
        item = self._stack[-1]
        old = item.integration
        new = NewIntegration(old.label, old.provider, old.platform, old.credentials)
        restored = vault.add(new, integration_id=old.id)
        self._stack.pop()
        for source, record in item.checks:
            vault.record_check(old.id, _result_of(record), at=record.checked_at, source=source)
        if item.remote_id and item.remote_seen:
            # Relink the server's copy, so the next push updates it instead of duplicating.
            sent = None if item.sync_state == "synced" else old.updated_at
            vault.mark_synced(old.id, item.remote_id, item.remote_seen, sent)
        log.info("integration %s restored after deletion", old.id)
        return restored


def _result_of(record: CheckRecord) -> VerificationResult:
    try:
        category = Category(record.category)
    except ValueError:
        category = Category.UNKNOWN
    return VerificationResult(record.ok, category, record.message, record.elapsed_ms, record.steps)
