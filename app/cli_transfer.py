"""CLI commands that move integrations in and out: export, backup, restore, import."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app import transfer
from app.errors import UserFacingError
from app.vault import Vault

Opener = Callable[[argparse.Namespace], Vault]
PasswordReader = Callable[[argparse.Namespace], str]

PLAINTEXT_WARNING = (
    "warning: a plaintext export holds every secret in clear. Keep the file private and "
    "delete it when done."
)


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("export", help="write integrations to a JSON file")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE|-", help="'-' for standard output"
    )
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--plaintext", action="store_true", help="every secret in clear")
    kind.add_argument("--redacted", action="store_true", help="secrets show their last 4 only")

    p = sub.add_parser("backup", help="write an encrypted copy of the vault")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--backup-password-file",
        type=Path,
        metavar="FILE",
        help="encrypt with this password (default: the vault's)",
    )

    p = sub.add_parser("restore", help="create the vault named by --vault from a backup")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--backup-password-file",
        type=Path,
        metavar="FILE",
        help="the backup's password (default: the master password)",
    )

    p = sub.add_parser("import", help="add integrations from an export or a backup")
    p.add_argument("file", type=Path)
    p.add_argument("--backup-password-file", type=Path, metavar="FILE")
    p.add_argument("--yes", action="store_true", help="import without asking")
    p.add_argument("--dry-run", action="store_true", help="show the preview only")


def _read_password_file(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise UserFacingError(f"cannot read {path}: {exc.strerror}") from None
    if not text:
        raise UserFacingError(f"the password file {path} is empty")
    return text


def cmd_export(args: argparse.Namespace, open_vault: Opener) -> int:
    if args.plaintext:
        print(PLAINTEXT_WARNING, file=sys.stderr)
    kind = "redacted" if args.redacted else "plaintext"
    with open_vault(args) as vault:
        if args.output == "-":
            # Standard output, like `add --json -` reads standard input; the note goes to
            # stderr so the JSON stays clean for a pipe.
            text, count = transfer.export_text(vault, redacted=args.redacted)
            sys.stdout.write(text)
            sys.stdout.flush()
            print(f"exported {count} integration(s) to standard output ({kind})", file=sys.stderr)
            return 0
        count = transfer.export_to(vault, Path(args.output), redacted=args.redacted)
    print(f"exported {count} integration(s) to {args.output} ({kind}, readable by you only)")
    return 0


def cmd_backup(args: argparse.Namespace, open_vault: Opener, password: PasswordReader) -> int:
    chosen = _read_password_file(args.backup_password_file)
    master = password(args)
    with open_vault(args) as vault:
        transfer.backup_to(vault, args.output, chosen or master)
    which = "its own password" if chosen else "the master password"
    print(f"encrypted backup written to {args.output} (protected by {which})")
    return 0


def cmd_restore(args: argparse.Namespace, vault_path: Path, password: PasswordReader) -> int:
    own = _read_password_file(args.backup_password_file)
    count = transfer.restore_from(args.file, vault_path, own or password(args))
    print(f"restored {count} integration(s) into {vault_path}")
    if own:
        print("its master password is the backup's own password")
    return 0


def cmd_import(args: argparse.Namespace, open_vault: Opener, password: PasswordReader) -> int:
    with open_vault(args) as vault:
        # A backup of this vault usually opens with the master password itself.
        secret = _read_password_file(args.backup_password_file) or password(args)
        records = transfer.read_import(args.file, secret)
        plan = transfer.plan_import(vault, records)
        for item in plan:
            note = f" — {item.reason}" if item.reason else ""
            print(
                f"{item.status:<9} #{item.position} {item.label or '(no label)'} "
                f"({item.provider or '?'}){note}"
            )
        new = sum(1 for item in plan if item.status == "new")
        if args.dry_run or not new:
            print(f"{new} to add; nothing imported" + (" (dry run)" if args.dry_run else ""))
            return 0 if all(i.status != "invalid" for i in plan) else 4
        if not args.yes and not _confirm(f"Add {new} integration(s)? [y/N] "):
            print("nothing imported")
            return 0
        added = transfer.apply_import(vault, plan)
    invalid = sum(1 for item in plan if item.status == "invalid")
    print(
        f"imported {added}; skipped {len(plan) - added - invalid} duplicate(s) and "
        f"{invalid} invalid record(s)"
    )
    return 0 if not invalid else 4


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise UserFacingError("add --yes to import without a question (no terminal to ask)")
    return input(question).strip().lower() in ("y", "yes")
