"""The encrypted vault: one SQLCipher 4 file, keyed by the master password."""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock

import providers
from app import timefmt
from app.backups import daily_backup_due, latest_backup_hint, take_backup
from app.errors import (
    NotAVault,
    UnknownIntegration,
    UserFacingError,
    VaultBusy,
    VaultClosed,
    VaultDamaged,
    VaultExists,
    VaultMissing,
    WrongPassword,
)
from app.migrations import MIGRATIONS
from app.models import (
    CheckRecord,
    Integration,
    IntegrationRow,
    NewIntegration,
    build_credentials,
    validate_label,
)
from app.sync_records import SyncRecords
from app.vault_file import check_file_shape, claim, connect, open_failure, quote_sql
from app.vault_history import HistoryRecords
from providers.base import CredentialsModel

log = logging.getLogger(__name__)

APPLICATION_ID = 0x49564C54  # "IVLT": marks the decrypted database as ours
KEPT_VERSIONS = 10
# Settings that belong to one integration ("<prefix><id>") or point at one ("key" = id),
# removed with it.
INTEGRATION_SETTING_PREFIXES = ("r2.jurisdiction.", "sync.create_key.")
INTEGRATION_REFERENCE_SETTINGS = ("export_target.id",)


def _row_from(r: Any) -> IntegrationRow:
    parse = timefmt.from_api
    last = CheckRecord(parse(r[6]), bool(r[7]), r[8], r[9], r[10]) if r[6] is not None else None
    return IntegrationRow(
        r[0], r[1], r[2], r[3], parse(r[4]), parse(r[5]), last, r[11], r[12], r[13]
    )


def _serialized(cls: type[Vault]) -> type[Vault]:
    """Run every public method under the vault's lock, so a background task (a sync, a
    check recording its result) and the GUI thread never use the connection at once."""
    public = {
        name: member
        for name in dir(cls)
        if not name.startswith("_")
        and inspect.isfunction(member := inspect.getattr_static(cls, name))
    }
    for name, member in public.items():
        setattr(cls, name, _locked(member))
    return cls


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: Vault, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            # Work that was under way when the vault locked gets a clear error, not a crash.
            if self._conn is None and method.__name__ != "close":
                raise VaultClosed(str(self.path))
            return method(self, *args, **kwargs)

    return run


@_serialized
class Vault(SyncRecords, HistoryRecords):
    """Owns the one connection to a vault file; everything else gets immutable rows.

    Every public method holds the vault's lock, so it may be called from a worker thread
    too; callers still receive plain values (``Integration``, rows), never the connection.
    """

    def __init__(self, path: Path, conn: Any, lock: FileLock | None = None) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self._mutex = threading.RLock()

    # -- opening and closing ------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, password: str) -> Vault:
        """Create a new vault; refuses to touch an existing file."""
        path = Path(path).expanduser()
        if not password:
            raise WrongPassword()
        if path.exists():
            raise VaultExists(str(path))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        lock = claim(path)
        try:
            conn = connect(path, password)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            vault = cls(path, conn, lock)
            vault._migrate(backup=False)
        except BaseException:
            lock.release()
            path.unlink(missing_ok=True)
            raise
        log.info("created vault %s", path)
        return vault

    @classmethod
    def open(cls, path: Path | str, password: str, *, keep_copies: bool = True) -> Vault:
        """Open an existing vault; a wrong password writes nothing.

        ``keep_copies=False`` skips the automatic encrypted copies (for a throw-away copy of
        a backup, opened only to read it).
        """
        path = Path(path).expanduser()
        if not path.is_file():
            raise VaultMissing(str(path))
        check_file_shape(path)
        lock = claim(path)
        try:
            return cls._open_claimed(path, password, lock, keep_copies)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _open_claimed(
        cls, path: Path, password: str, lock: FileLock, keep_copies: bool = True
    ) -> Vault:
        conn = connect(path, password)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            damage = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise open_failure(path, password, str(exc)) from None
        if damage:
            conn.close()
            raise VaultDamaged(
                str(path),
                f"{len(damage)} page(s) fail their integrity check",
                latest_backup_hint(path),
            )
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            conn.close()
            raise NotAVault(str(path), "an encrypted database of another program")
        vault = cls(path, conn, lock)
        try:
            vault._migrate(backup=keep_copies)
            if keep_copies and daily_backup_due(path):
                take_backup(path, "daily")
        except BaseException:
            conn.close()
            raise
        return vault

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """One change, all or nothing."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError:
            raise VaultBusy(str(self.path)) from None
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _migrate(self, backup: bool) -> None:
        current = self.schema_version
        target = len(MIGRATIONS)
        if current > target:
            raise NotAVault(str(self.path), f"made by a newer version (schema {current})")
        if current == target:
            return
        if backup and current > 0:
            take_backup(self.path, f"before-v{target}")
        for version in range(current, target):
            with self._transaction() as conn:
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            log.info("vault schema migrated to version %d", version + 1)

    # -- integrations -------------------------------------------------------------------

    _ROW_QUERY = (
        "SELECT i.id, i.label, i.provider, i.platform, i.created_at, i.updated_at,"
        " c.checked_at, c.ok, c.category, c.message, c.elapsed_ms,"
        " i.sync_state, i.sync_error, i.remote_id"
        " FROM integrations i LEFT JOIN checks c ON c.id = ("
        "   SELECT max(id) FROM checks WHERE integration_id = i.id AND source = 'local')"
    )

    def rows(self) -> list[IntegrationRow]:
        """Every integration as a list row with its last check; credentials are not read."""
        cursor = self._conn.execute(self._ROW_QUERY + " ORDER BY i.label COLLATE NOCASE")
        return [_row_from(found) for found in cursor]

    def row(self, integration_id: str) -> IntegrationRow:
        """One list row, read on its own."""
        found = self._conn.execute(
            self._ROW_QUERY + " WHERE i.id = ?", (integration_id.strip(),)
        ).fetchone()
        if found is None:
            raise UnknownIntegration(integration_id)
        return _row_from(found)

    def rows_by_ids(self, ids: list[str]) -> list[IntegrationRow]:
        return [self.row(i) for i in ids]

    def searchable_values(self) -> dict[str, list[str]]:
        """Each integration's non-secret credential values, for the window's search box."""
        found = self._conn.execute("SELECT id, provider, credentials FROM integrations")
        values: dict[str, list[str]] = {}
        for integration_id, provider, credentials in found:
            spec = providers.get(provider)
            secret = set(spec.credentials.secret_fields()) if spec else set()
            data = json.loads(credentials)
            values[integration_id] = [
                str(v) for k, v in data.items() if k not in secret and v is not None
            ]
        return values

    def ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT id FROM integrations ORDER BY rowid")]

    def get(self, integration_id: str) -> Integration:
        found = self._conn.execute(
            "SELECT id, label, provider, platform, credentials, created_at, updated_at"
            " FROM integrations WHERE id = ?",
            (integration_id.strip(),),
        ).fetchone()
        if found is None:
            raise UnknownIntegration(integration_id)
        credentials = build_credentials(found[2], json.loads(found[4]))
        return Integration(
            found[0],
            found[1],
            found[2],
            found[3],
            credentials,
            timefmt.from_api(found[5]),
            timefmt.from_api(found[6]),
        )

    def add(self, new: NewIntegration, *, integration_id: str | None = None) -> Integration:
        (added,) = self.add_many([new], ids=[integration_id or str(uuid.uuid4())])
        return self.get(added)

    def add_many(self, items: list[NewIntegration], ids: list[str] | None = None) -> list[str]:
        """Add several integrations in one transaction: all of them or none."""
        stamp = timefmt.to_api(timefmt.now())
        new_ids = ids or [str(uuid.uuid4()) for _ in items]
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO integrations (id, label, provider, platform, credentials,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        new_id,
                        new.label,
                        new.provider,
                        new.platform,
                        _credentials_json(new.credentials),
                        stamp,
                        stamp,
                    )
                    for new_id, new in zip(new_ids, items, strict=True)
                ],
            )
        log.info("added %d integration(s)", len(new_ids))
        return new_ids

    def update(
        self,
        integration_id: str,
        *,
        label: str | None = None,
        credentials: CredentialsModel | None = None,
    ) -> Integration:
        """Change the label and/or credentials; anything not given stays as stored."""
        current = self.get(integration_id)
        new_label = validate_label(label) if label is not None else current.label
        new_credentials = credentials if credentials is not None else current.credentials
        if type(new_credentials) is not type(current.credentials):
            raise TypeError("credentials of another provider")
        if new_label == current.label and new_credentials == current.credentials:
            return current
        stamp = timefmt.to_api(timefmt.now())
        with self._transaction() as conn:
            self._keep_version(conn, current.id)
            # An edit of a synced integration makes it "modified since sync".
            conn.execute(
                "UPDATE integrations SET label = ?, credentials = ?, updated_at = ?,"
                " sync_state = CASE sync_state WHEN 'synced' THEN 'modified' ELSE sync_state END"
                " WHERE id = ?",
                (new_label, _credentials_json(new_credentials), stamp, current.id),
            )
        log.info("updated integration %s", current.id)
        return self.get(current.id)

    def delete(self, integration_id: str) -> None:
        """Delete an integration with its history, versions and the settings tied to it."""
        integration_id = integration_id.strip()
        with self._transaction() as conn:
            gone = conn.execute("DELETE FROM integrations WHERE id = ?", (integration_id,)).rowcount
            for prefix in INTEGRATION_SETTING_PREFIXES:
                conn.execute("DELETE FROM settings WHERE key = ?", (prefix + integration_id,))
            for key in INTEGRATION_REFERENCE_SETTINGS:
                conn.execute(
                    "DELETE FROM settings WHERE key = ? AND value = ?", (key, integration_id)
                )
        if not gone:
            raise UnknownIntegration(integration_id)
        log.info("deleted integration %s", integration_id)

    # -- master password ------------------------------------------------------------------

    def change_password(self, current: str, new: str) -> None:
        """Re-encrypt the vault under ``new``; succeed only once ``new`` is proven to open it.

        The current password is checked first. SQLCipher's rekey rewrites every page in one
        transaction, so a failure part-way leaves the old password working. The result is
        then proven by opening the file again with the new password.
        """
        if not new:
            raise UserFacingError("the new master password must not be empty")
        try:
            probe = connect(self.path, current)
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
            probe.close()
        except sqlcipher3.DatabaseError:
            raise WrongPassword() from None
        take_backup(self.path, "before-password-change")
        self._conn.execute(f"PRAGMA rekey = {quote_sql(new)}")
        try:
            proof = connect(self.path, new)
            proof.execute("SELECT count(*) FROM integrations").fetchone()
            proof.close()
        except sqlcipher3.DatabaseError:
            # Put the old key back so nothing is lost, then say so.
            self._conn.execute(f"PRAGMA rekey = {quote_sql(current)}")
            raise UserFacingError(
                "the new password could not be confirmed; the old one still works"
            ) from None
        log.info("master password changed for %s", self.path)

    # -- copies ---------------------------------------------------------------------------

    def export_encrypted(self, path: Path, password: str) -> None:
        """Write the whole vault into the (empty) file ``path``, encrypted with ``password``."""
        conn = self._conn
        conn.execute(f"ATTACH DATABASE {quote_sql(str(path))} AS backup KEY {quote_sql(password)}")
        try:
            conn.execute("SELECT sqlcipher_export('backup')")
            conn.execute(f"PRAGMA backup.user_version = {self.schema_version}")
            conn.execute(f"PRAGMA backup.application_id = {APPLICATION_ID}")
        finally:
            conn.execute("DETACH DATABASE backup")

    # -- settings -----------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        found = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return found[0] if found else default

    def settings_with_prefix(self, prefix: str) -> dict[str, str]:
        found = self._conn.execute(
            "SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
        ).fetchall()
        return {key: value for key, value in found}

    def delete_setting(self, key: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _credentials_json(credentials: CredentialsModel) -> str:
    return json.dumps(credentials.to_wire(), separators=(",", ":"))
