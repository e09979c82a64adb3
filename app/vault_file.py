"""Opening a vault file: the keyed connection, and naming why a file will not open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock, Timeout

from app.backups import automatic_backups, latest_backup_hint
from app.errors import NotAVault, VaultBusy, VaultDamaged, WrongPassword
from app.integrity import password_fits_damaged_file, salt_changed_since

PAGE_SIZE = 4096
_PLAIN_SQLITE = b"SQLite format 3\x00"


def claim(path: Path) -> FileLock:
    """Hold the vault for this process; a second window or command is told it is in use.

    The lock is shared within one process (a singleton, counted), so this program may open
    the same vault twice; another process may not.
    """
    lock = FileLock(
        str(path) + ".lock", timeout=0, mode=0o600, is_singleton=True, thread_local=False
    )
    try:
        lock.acquire()
    except Timeout:
        raise VaultBusy(
            str(path), "it is open in another Integration Vault window or command"
        ) from None
    return lock


def quote_sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(path: Path, password: str) -> Any:
    """A connection with the key applied and SQLCipher's own stderr logging silenced."""
    # Shared across threads only under the Vault's lock (see Vault).
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {quote_sql(password)}")
    conn.execute("PRAGMA busy_timeout = 3000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_failure(path: Path, password: str, reason: str) -> Exception:
    """Name why a vault would not open: busy, damaged, or (most often) the wrong password."""
    if "locked" in reason or "busy" in reason:
        return VaultBusy(str(path))
    if "malformed" in reason:
        return VaultDamaged(str(path), "its structure is broken", latest_backup_hint(path))
    if password_fits_damaged_file(path, password):
        return VaultDamaged(
            str(path), "its first page fails its integrity check", latest_backup_hint(path)
        )
    kept = automatic_backups(path)
    if kept and salt_changed_since(path, kept[0], password):
        return VaultDamaged(
            str(path), "its key salt differs from its last copy", latest_backup_hint(path)
        )
    return WrongPassword()


def check_file_shape(path: Path) -> None:
    """Tell files that cannot be a vault from a wrong password, before any key is tried."""
    size = path.stat().st_size
    if size == 0:
        if automatic_backups(path):  # it was a vault once: emptied, not chosen by mistake
            raise VaultDamaged(str(path), "the file is empty", latest_backup_hint(path))
        raise NotAVault(str(path), "the file is empty")
    with path.open("rb") as handle:
        head = handle.read(len(_PLAIN_SQLITE))
    if head == _PLAIN_SQLITE:
        raise NotAVault(str(path), "it is an unencrypted SQLite database")
    if size % PAGE_SIZE:
        raise VaultDamaged(
            str(path), "its size is not a whole number of pages", latest_backup_hint(path)
        )


def sqlcipher_version() -> str:
    """The SQLCipher library's version, for the About dialog and bug reports."""
    conn = sqlcipher3.connect(":memory:")
    try:
        found = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    return str(found[0]) if found else "unknown"


RECOMMENDED_PASSWORD_LENGTH = 12


def short_password_warning(password: str) -> str | None:
    """Advice when a new master password is easy to guess; None when it is long enough.

    The master password is the only key to every secret in the vault, and the file can be
    copied and attacked offline, so length matters more than anything else.
    """
    if len(password) >= RECOMMENDED_PASSWORD_LENGTH:
        return None
    return (
        f"a master password shorter than {RECOMMENDED_PASSWORD_LENGTH} characters is easy to "
        "guess; a few unrelated words make a long one that is easy to remember"
    )
