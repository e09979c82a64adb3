"""The vault's bookkeeping for mirroring: remote ids, sync states, conflicts, API settings."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from pydantic import SecretStr

from app import timefmt
from app.errors import UnknownIntegration
from app.models import NewIntegration
from app.remote import DEFAULT_HEADER, DEFAULT_SCHEME, RemoteConfig

_CREATE_KEY = "sync.create_key."
_REMOTE_KEYS = ("remote.url", "remote.api_key", "remote.header", "remote.scheme")


class SyncRecords:
    """Mixed into ``Vault``: every method runs on the vault's one connection."""

    _conn: Any

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError  # provided by Vault

    def setting(self, key: str, default: str | None = None) -> str | None:
        raise NotImplementedError  # provided by Vault

    # Provided by HistoryRecords, also mixed into Vault.
    _keep_version: Callable[[Any, str], None]

    # -- API settings -------------------------------------------------------------------

    def remote_config(self) -> RemoteConfig | None:
        url, key = self.setting("remote.url"), self.setting("remote.api_key")
        if not url or not key:
            return None
        return RemoteConfig(
            url,
            SecretStr(key),
            self.setting("remote.header") or DEFAULT_HEADER,
            self.setting("remote.scheme", DEFAULT_SCHEME) or "",
        )

    def save_remote_config(self, config: RemoteConfig) -> None:
        values = (config.url, config.api_key.get_secret_value(), config.header, config.scheme)
        with self._transaction() as conn:
            for key, value in zip(_REMOTE_KEYS, values, strict=True):
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # -- sync state ---------------------------------------------------------------------

    def sync_info(self, integration_id: str) -> tuple[str, str | None, datetime | None]:
        """(state, remote id, the server's updatedAt we last saw)."""
        found = self._conn.execute(
            "SELECT sync_state, remote_id, remote_updated_at FROM integrations WHERE id = ?",
            (integration_id,),
        ).fetchone()
        if found is None:
            raise UnknownIntegration(integration_id)
        seen = timefmt.from_api(found[2]) if found[2] else None
        return found[0], found[1], seen

    def local_id_for_remote(self, remote_id: str) -> str | None:
        found = self._conn.execute(
            "SELECT id FROM integrations WHERE remote_id = ?", (remote_id,)
        ).fetchone()
        return found[0] if found else None

    def mark_synced(
        self,
        integration_id: str,
        remote_id: str,
        server_updated: datetime,
        sent_version: datetime | None = None,
    ) -> None:
        """Remember the server's copy. When the integration was edited after the version
        that was sent (``sent_version``), it stays "modified" so the edit is sent next time."""
        sent = timefmt.to_api(sent_version) if sent_version else None
        with self._transaction() as conn:
            conn.execute(
                "UPDATE integrations SET remote_id = ?, remote_updated_at = ?, sync_error = NULL,"
                " sync_state = CASE WHEN ? IS NULL OR updated_at = ? THEN 'synced'"
                " ELSE 'modified' END WHERE id = ?",
                (remote_id, timefmt.to_api(server_updated), sent, sent, integration_id),
            )
            conn.execute("DELETE FROM conflicts WHERE integration_id = ?", (integration_id,))
            conn.execute("DELETE FROM settings WHERE key = ?", (_CREATE_KEY + integration_id,))

    def create_key(self, integration_id: str) -> tuple[str, bool]:
        """The idempotency key for creating this integration on the server, kept until the
        create is confirmed, and whether an earlier attempt already used it."""
        name = _CREATE_KEY + integration_id
        found = self.setting(name)
        if found:
            return found, True
        key = f"{integration_id}:{uuid.uuid4()}"
        with self._transaction() as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (name, key))
        return key, False

    def mark_sync_error(self, integration_id: str, reason: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE integrations SET sync_error = ? WHERE id = ?", (reason, integration_id)
            )

    def mark_local_only(self, integration_id: str, reason: str | None = None) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE integrations SET remote_id = NULL, remote_updated_at = NULL,"
                " sync_state = 'local', sync_error = ? WHERE id = ?",
                (reason, integration_id),
            )
            conn.execute("DELETE FROM conflicts WHERE integration_id = ?", (integration_id,))
            conn.execute("DELETE FROM settings WHERE key = ?", (_CREATE_KEY + integration_id,))

    def mark_conflict(self, integration_id: str, remote: dict[str, Any]) -> None:
        """Keep the server's side so the person can compare and choose."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE integrations SET sync_state = 'conflict', sync_error = NULL WHERE id = ?",
                (integration_id,),
            )
            conn.execute(
                "INSERT INTO conflicts (integration_id, remote, found_at) VALUES (?, ?, ?)"
                " ON CONFLICT(integration_id) DO UPDATE SET remote = excluded.remote,"
                " found_at = excluded.found_at",
                (integration_id, json.dumps(remote), timefmt.to_api(timefmt.now())),
            )

    def conflict_remote(self, integration_id: str) -> dict[str, Any] | None:
        found = self._conn.execute(
            "SELECT remote FROM conflicts WHERE integration_id = ?", (integration_id,)
        ).fetchone()
        return json.loads(found[0]) if found else None

    def apply_remote(
        self,
        integration_id: str | None,
        new: NewIntegration,
        remote_id: str,
        server_updated: datetime,
        local_id: str,
    ) -> str:
        """Create or overwrite the local copy of a server record, marked synced, at once."""
        stamp = timefmt.to_api(timefmt.now())
        values = json.dumps(new.credentials.to_wire(), separators=(",", ":"))
        with self._transaction() as conn:
            if integration_id is None:
                conn.execute(
                    "INSERT INTO integrations (id, label, provider, platform, credentials,"
                    " created_at, updated_at, remote_id, remote_updated_at, sync_state)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced')",
                    (
                        local_id,
                        new.label,
                        new.provider,
                        new.platform,
                        values,
                        stamp,
                        stamp,
                        remote_id,
                        timefmt.to_api(server_updated),
                    ),
                )
                return local_id
            self._keep_version(conn, integration_id)
            conn.execute(
                "UPDATE integrations SET label = ?, provider = ?, platform = ?, credentials = ?,"
                " updated_at = ?, remote_id = ?, remote_updated_at = ?, sync_state = 'synced',"
                " sync_error = NULL WHERE id = ?",
                (
                    new.label,
                    new.provider,
                    new.platform,
                    values,
                    stamp,
                    remote_id,
                    timefmt.to_api(server_updated),
                    integration_id,
                ),
            )
            conn.execute("DELETE FROM conflicts WHERE integration_id = ?", (integration_id,))
        return integration_id

    def sync_rows(self) -> Iterator[tuple[str, str, str, str | None, str | None]]:
        """(id, label, state, error, remote id) for every integration."""
        yield from self._conn.execute(
            "SELECT id, label, sync_state, sync_error, remote_id FROM integrations"
            " ORDER BY label COLLATE NOCASE"
        )
