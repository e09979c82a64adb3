"""Automatic encrypted copies of the vault file: before each migration and once a day."""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

KEEP = 5
DAILY_S = 24 * 3600


def backup_dir(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + "-backups")


def automatic_backups(vault_path: Path) -> list[Path]:
    """The kept copies, newest first."""
    folder = backup_dir(vault_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)


def take_backup(vault_path: Path, reason: str) -> Path:
    """Copy the (already encrypted) vault file aside, keeping only the newest ``KEEP``.

    Called while the vault is open and idle, so no write is half-done in the file.
    """
    folder = backup_dir(vault_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{vault_path.stem}-{stamp}-{reason}.db"
    partial = target.with_suffix(".partial")
    shutil.copyfile(vault_path, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, target)
    for old in automatic_backups(vault_path)[KEEP:]:
        old.unlink(missing_ok=True)
    log.info("kept an encrypted copy of the vault (%s): %s", reason, target.name)
    return target


def daily_backup_due(vault_path: Path, now: float | None = None) -> bool:
    kept = automatic_backups(vault_path)
    if not kept:
        return True
    return (now or time.time()) - kept[0].stat().st_mtime >= DAILY_S


def latest_backup_hint(vault_path: Path) -> str:
    """A sentence offering the newest automatic copy, or nothing."""
    kept = automatic_backups(vault_path)
    if not kept:
        return ""
    return (
        f" The latest automatic backup is {kept[0]}; restore it with "
        f"'integration-vault --vault NEW_PATH restore {kept[0]}'."
    )
