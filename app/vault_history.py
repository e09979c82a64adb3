"""The vault's history: each integration's earlier versions and its check outcomes."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from app import timefmt
from app.errors import UnknownIntegration
from app.models import CheckRecord, Integration, IntegrationVersion, build_credentials
from providers.base import Step, VerificationResult

KEPT_VERSIONS = 10


class HistoryRecords:
    """Mixed into ``Vault``: every method runs on the vault's one connection."""

    _conn: Any

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError  # provided by Vault

    def get(self, integration_id: str) -> Integration:
        raise NotImplementedError  # provided by Vault

    def update(
        self, integration_id: str, *, label: str | None = None, credentials: Any = None
    ) -> Integration:
        raise NotImplementedError  # provided by Vault

    # -- previous versions ----------------------------------------------------------------

    def _keep_version(self, conn: Any, integration_id: str) -> None:
        """Copy the stored label and credentials aside before they are overwritten."""
        conn.execute(
            "INSERT INTO versions (integration_id, saved_at, label, credentials)"
            " SELECT id, updated_at, label, credentials FROM integrations WHERE id = ?",
            (integration_id,),
        )
        conn.execute(
            "DELETE FROM versions WHERE integration_id = ? AND id NOT IN ("
            " SELECT id FROM versions WHERE integration_id = ? ORDER BY id DESC LIMIT ?)",
            (integration_id, integration_id, KEPT_VERSIONS),
        )

    def versions(self, integration_id: str) -> list[IntegrationVersion]:
        """Earlier versions of an integration, newest first (secrets stay ``SecretStr``)."""
        item = self.get(integration_id)
        found = self._conn.execute(
            "SELECT id, saved_at, label, credentials FROM versions"
            " WHERE integration_id = ? ORDER BY id DESC",
            (item.id,),
        ).fetchall()
        return [
            IntegrationVersion(
                r[0],
                timefmt.from_api(r[1]),
                r[2],
                build_credentials(item.provider, json.loads(r[3])),
            )
            for r in found
        ]

    def restore_version(self, integration_id: str, version_id: int) -> Integration:
        """Bring back an earlier version; the current one becomes a version in turn."""
        for version in self.versions(integration_id):
            if version.id == version_id:
                return self.update(
                    integration_id, label=version.label, credentials=version.credentials
                )
        raise UnknownIntegration(f"{integration_id} version {version_id}")

    # -- verification history -----------------------------------------------------------

    def record_check(
        self,
        integration_id: str,
        result: VerificationResult,
        at: datetime | None = None,
        source: str = "local",
    ) -> CheckRecord:
        """Keep a check outcome; ``source`` is "local" or "remote" (the API's own check)."""
        record = CheckRecord.from_result(result, at or timefmt.now())
        steps = result.to_json()["steps"]
        with self._transaction() as conn:
            exists = conn.execute(
                "SELECT 1 FROM integrations WHERE id = ?", (integration_id,)
            ).fetchone()
            if exists is None:
                raise UnknownIntegration(integration_id)
            conn.execute(
                "INSERT INTO checks (integration_id, checked_at, ok, category, message,"
                " elapsed_ms, steps, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    integration_id,
                    timefmt.to_api(record.checked_at),
                    int(record.ok),
                    record.category,
                    record.message,
                    record.elapsed_ms,
                    json.dumps(steps),
                    source,
                ),
            )
        return record

    def history(
        self, integration_id: str, limit: int = 5, source: str = "local"
    ) -> list[CheckRecord]:
        """The latest checks from ``source``, newest first."""
        found = self._conn.execute(
            "SELECT checked_at, ok, category, message, elapsed_ms, steps FROM checks"
            " WHERE integration_id = ? AND source = ? ORDER BY id DESC LIMIT ?",
            (integration_id, source, limit),
        ).fetchall()
        return [
            CheckRecord(
                timefmt.from_api(r[0]),
                bool(r[1]),
                r[2],
                r[3],
                r[4],
                tuple(
                    Step(s["name"], s["ok"], s["elapsedMs"], s["detail"], s.get("skipped", False))
                    for s in json.loads(r[5])
                ),
            )
            for r in found
        ]
