"""Export, backup, restore and import of integrations.

Plaintext exports use the remote API's JSON shape (a list of ``{label, platform, provider,
credentials}``); redacted exports keep only the last four characters of each secret; backups
are SQLCipher copies under their own password. Imports validate every record first, name the
bad ones without stopping the rest, skip duplicates, and commit one record at a time.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import (
    InvalidInput,
    OutputExists,
    UserFacingError,
    VaultError,
    VaultExists,
    WrongPassword,
)
from app.models import Integration, NewIntegration, parse_new
from app.vault import Vault

REDACTION_MARK = "…"  # starts every secret in a redacted export
_UTF8_BOM = b"\xef\xbb\xbf"

# Which credential fields make two integrations "the same account" (with provider and label).
IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "s3": ("accessKeyId", "bucket"),
    "r2": ("accessKeyId", "bucket"),
    "zendesk": ("subdomain", "username"),
    "intercom": ("accessToken",),
    "helpscout": ("apiKey",),
    "helpjuice": ("subdomain", "apiKey"),
    "freshdesk": ("subdomain", "apiKey"),
    "knowledgeowl": ("apiKey", "projectId"),
}


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise OutputExists(str(path), is_folder=True)
    if path.exists() or path.is_symlink():
        raise OutputExists(str(path))
    if not path.parent.is_dir():
        raise UserFacingError(f"the folder {path.parent} does not exist")


def write_private(path: Path, text: str) -> None:
    """Write a new file readable by its owner only; an existing file is never replaced."""
    _check_target(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def export_records(items: list[Integration], *, redacted: bool) -> list[dict[str, Any]]:
    """Integrations in the API's JSON shape; ``redacted`` keeps each secret's last 4 only."""
    records = []
    for item in items:
        credentials = item.credentials.to_wire()
        if redacted:
            for name in item.credentials.secret_fields():
                value = str(credentials.get(name, ""))
                credentials[name] = REDACTION_MARK + (value[-4:] if len(value) > 8 else "")
        records.append(
            {
                "label": item.label,
                "platform": item.platform,
                "provider": item.provider,
                "credentials": credentials,
            }
        )
    return records


def export_text(vault: Vault, *, redacted: bool) -> tuple[str, int]:
    """The export file's text and how many integrations it holds."""
    items = [vault.get(i) for i in vault.ids()]
    records = export_records(items, redacted=redacted)
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n", len(items)


def export_to(vault: Vault, path: Path, *, redacted: bool) -> int:
    text, count = export_text(vault, redacted=redacted)
    write_private(path, text)
    return count


def backup_to(vault: Vault, path: Path, password: str) -> None:
    """An encrypted copy of the whole vault under ``password`` (SQLCipher export)."""
    _check_target(path)
    if not password:
        raise UserFacingError("the backup needs a password")
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        vault.export_encrypted(path, password)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def restore_from(backup: Path, target: Path, password: str) -> int:
    """Make ``target`` a vault restored from ``backup``; refuses to overwrite anything."""
    if target.exists():
        raise VaultExists(str(target))
    with _opened_copy(backup, password) as opened:  # proves the file and the password
        count = len(opened.ids())
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    shutil.copyfile(backup, target)
    return count


@dataclass(frozen=True)
class ImportItem:
    """One record of an import file: ready to add, a duplicate, or invalid (with why)."""

    position: int
    label: str
    provider: str
    status: str  # "new" | "duplicate" | "invalid"
    reason: str = ""
    record: NewIntegration | None = None


def read_import(path: Path, password: str | None) -> list[dict[str, Any]]:
    """Records from a JSON export or from an encrypted backup."""
    try:
        head = path.read_bytes()[:64].removeprefix(_UTF8_BOM).lstrip()
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith((b"[", b"{")):
        try:
            # utf-8-sig: Notepad and some editors put a byte-order mark in front.
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise UserFacingError(f"{path} is not valid JSON: {exc}") from None
        if isinstance(data, dict):
            data = data.get("integrations", [data])
        if not isinstance(data, list):
            raise UserFacingError(f"{path}: expected a list of integrations")
        return data
    if not is_backup(path):
        raise UserFacingError(f"{path} is neither a JSON export nor an Integration Vault backup")
    if password is None:
        raise UserFacingError("an encrypted backup needs its password")
    with _opened_copy(path, password) as backup:
        return export_records([backup.get(i) for i in backup.ids()], redacted=False)


def is_backup(path: Path) -> bool:
    """Whether ``path`` looks like an encrypted backup (binary) rather than a JSON export."""
    return b"\x00" in head_block(path)


def head_block(path: Path) -> bytes:
    """The first 4 KiB: an encrypted file holds zero bytes there, a text file none."""
    with path.open("rb") as handle:
        return handle.read(4096)


@contextmanager
def _opened_copy(backup: Path, password: str) -> Iterator[Vault]:
    """Open a backup through a private temporary copy, so nothing is written beside the
    backup itself (no lock file, no automatic copies; read-only media work)."""
    if not backup.is_file():
        raise UserFacingError(f"no backup file at {backup}")
    with tempfile.TemporaryDirectory(prefix="iv-backup-") as folder:
        copy = Path(folder) / "backup.db"
        shutil.copyfile(backup, copy)
        os.chmod(copy, 0o600)
        try:
            opened = Vault.open(copy, password, keep_copies=False)
        except WrongPassword:
            raise WrongPassword(
                f"wrong password for the backup {backup}; if it was made with its own "
                "password, give it with --backup-password-file FILE"
            ) from None
        except VaultError as exc:
            raise VaultError(str(exc).replace(str(copy), str(backup))) from None
        with opened:
            yield opened


def identity(provider: str, label: str, credentials: dict[str, Any]) -> tuple[str, ...]:
    fields = IDENTITY_FIELDS.get(provider, ())
    return (provider, label.strip().lower(), *(str(credentials.get(f, "")) for f in fields))


def plan_import(vault: Vault, records: list[Any]) -> list[ImportItem]:
    """Validate every record and find duplicates, before anything is written."""
    seen = {
        identity(item.provider, item.label, item.credentials.to_wire())
        for item in (vault.get(i) for i in vault.ids())
    }
    plan = []
    for position, raw in enumerate(records, start=1):
        label = str(raw.get("label", "")) if isinstance(raw, dict) else ""
        provider = str(raw.get("provider", "")) if isinstance(raw, dict) else ""
        try:
            new = parse_new(raw)
        except InvalidInput as exc:
            plan.append(ImportItem(position, label, provider, "invalid", str(exc)))
            continue
        redacted = _redacted_secrets(new)
        if redacted:
            plan.append(
                ImportItem(
                    position,
                    new.label,
                    new.provider,
                    "invalid",
                    f"{', '.join(redacted)}: this is a redacted export (secrets "
                    "cut to their last 4 characters); import a plaintext "
                    "export or a backup instead",
                )
            )
            continue
        key = identity(new.provider, new.label, new.credentials.to_wire())
        if key in seen:
            plan.append(
                ImportItem(
                    position,
                    new.label,
                    new.provider,
                    "duplicate",
                    "same provider, label and key as one already here",
                )
            )
            continue
        seen.add(key)
        plan.append(ImportItem(position, new.label, new.provider, "new", "", new))
    return plan


def _redacted_secrets(new: NewIntegration) -> list[str]:
    wire = new.credentials.to_wire()
    return [
        f"credentials.{name}"
        for name in new.credentials.secret_fields()
        if str(wire.get(name, "")).startswith(REDACTION_MARK)
    ]


def apply_import(vault: Vault, plan: list[ImportItem]) -> int:
    """Add the new records, each in its own transaction (a crash loses at most one)."""
    added = 0
    for item in plan:
        if item.status == "new" and item.record is not None:
            vault.add(item.record)
            added += 1
    return added
