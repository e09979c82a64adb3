"""The ``integration-vault`` command line: the vault and its checks for scripts and terminals."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO, cast

import providers
from app import (
    __version__,
    cli_checks,
    cli_export,
    cli_remote,
    cli_transfer,
    logsetup,
    selftest,
    timefmt,
)
from app.default_target import default_target_id
from app.errors import FieldProblem, InvalidInput, UserFacingError, VaultError, VaultMissing
from app.models import (
    CheckRecord,
    Integration,
    IntegrationRow,
    build_credentials,
    is_stale,
    merge_credentials,
    parse_new,
)
from app.paths import default_vault_path
from app.terminal import EscapingStream
from app.vault import Vault
from app.vault_file import short_password_warning
from app.verification import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_S
from providers.base import is_secret

PASSWORD_ENV = "INTEGRATION_VAULT_PASSWORD"
EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_VAULT, EXIT_INVALID = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
EXIT_BUG = 70


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="integration-vault",
        description="Keep cloud-storage and help-center credentials in an encrypted vault, "
        "and check that they work.",
        epilog=f"The master password is read from ${PASSWORD_ENV}, else --password-file, "
        "else asked for. Exit codes: 0 ok, 1 a check failed, 2 usage or unknown id, "
        "3 vault missing/locked/wrong password, 4 invalid input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check this installation works, then exit"
    )
    parser.add_argument(
        "--s3-endpoint", metavar="URL", help="with --self-test: also check a local S3 server"
    )
    parser.add_argument("--vault", type=Path, help="vault file (default: the user data folder)")
    parser.add_argument("--password-file", type=Path, help="read the master password from FILE")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("init", help="create a new vault (never overwrites)")
    p = sub.add_parser("providers", help="list providers and their fields")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("add", help="add an integration; prints its id")
    p.add_argument("--json", metavar="FILE|-", help="{label, provider, platform?, credentials}")
    p.add_argument("--provider")
    p.add_argument("--platform")
    p.add_argument("--label")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")

    p = sub.add_parser("list", help="list integrations (never a secret)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="show one integration (secrets masked)")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--reveal", action="store_true", help="show secrets in clear")

    p = sub.add_parser("edit", help="change the label or credential fields")
    p.add_argument("id")
    p.add_argument("--label")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")

    p = sub.add_parser("delete", help="delete an integration")
    p.add_argument("id")
    p.add_argument("--remote", action="store_true", help="also delete it on the remote API")

    p = sub.add_parser("verify", help="check that credentials work")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--all", action="store_true", help="check every integration")
    p.add_argument("--json", action="store_true", help="one JSON object per line, as they finish")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="S")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, metavar="N")
    p.add_argument("--steps", action="store_true", help="show each step of each check")
    p.add_argument("--write-probe", action="store_true", help="storage: also write a test file")
    p.add_argument("--remote", action="store_true", help="also ask the remote API to check")

    p = sub.add_parser("check", help="find mistakes in stored credentials, with no network")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--all", action="store_true", help="check every integration (the default)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    cli_remote.add_parsers(sub)
    cli_transfer.add_parsers(sub)
    cli_export.add_parsers(sub)
    sub.add_parser("gui", help="open the window (the default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    log_file = logsetup.configure(verbose=args.verbose)
    if args.self_test:
        return selftest.run(args.s3_endpoint)
    command = args.command or "gui"
    # Labels and messages may hold control characters (an old vault, a server's record):
    # they are shown escaped, so nothing printed can drive the terminal.
    streams = sys.stdout, sys.stderr
    if sys.stdout is not None and sys.stderr is not None:  # None: a windowed app, no console
        sys.stdout = cast(TextIO, EscapingStream(sys.stdout))
        sys.stderr = cast(TextIO, EscapingStream(sys.stderr))
    try:
        return _run(command, args, log_file)
    finally:
        sys.stdout, sys.stderr = streams


def _run(command: str, args: argparse.Namespace, log_file: Path | None) -> int:
    try:
        return COMMANDS[command](args)
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        # A path that cannot be created or read: the system's own words, and the path.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
    except Exception:
        # Not an expected problem: a bug. Log the (redacted) traceback, show a short line.
        logging.getLogger(__name__).exception("unexpected error in '%s'", command)
        where = f"; details are in {log_file}" if log_file else ""
        print(f"error: unexpected internal problem (a bug){where}", file=sys.stderr)
        return EXIT_BUG


# -- helpers ---------------------------------------------------------------------------


def _vault_path(args: argparse.Namespace) -> Path:
    return Path(args.vault).expanduser() if args.vault else default_vault_path()


def _password(args: argparse.Namespace, *, confirm: bool = False) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if args.password_file:
        try:
            return Path(args.password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UserFacingError(f"cannot read password file: {exc.strerror}") from None
    if not sys.stdin.isatty():
        raise VaultError(f"no master password: set {PASSWORD_ENV} or use --password-file")
    asked = getattr(args, "asked_password", None)
    if asked is not None:  # asked once per command, not once per use
        return str(asked)
    first = getpass.getpass("Master password: ")
    if confirm and not first:
        raise InvalidInput([FieldProblem("password", "may not be empty; nothing was created")])
    if confirm and getpass.getpass("Repeat master password: ") != first:
        raise InvalidInput(
            [FieldProblem("password", "the two passwords do not match; nothing was created")]
        )
    args.asked_password = first
    return first


def _open(args: argparse.Namespace) -> Vault:
    path = _vault_path(args)
    if not path.exists():
        raise VaultMissing(str(path))
    return Vault.open(path, _password(args))


def _parse_sets(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput([FieldProblem("--set", f"expected KEY=VALUE, got '{pair}'")])
        if key.strip() in values:
            raise UserFacingError(f"--set {key.strip()} is given twice; give each field once")
        values[key.strip()] = value
    return values


def _read_json(source: str) -> Any:
    try:
        # utf-8-sig: a byte-order mark in front (Notepad puts one there) is not an error.
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserFacingError(f"cannot read {source}: {exc.strerror}") from None
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except ValueError as exc:
        raise InvalidInput([FieldProblem("(json)", f"not valid JSON: {exc}")]) from None


def _row_json(row: IntegrationRow) -> dict[str, Any]:
    last = row.last_check
    return {
        "id": row.id,
        "label": row.label,
        "platform": row.platform,
        "provider": row.provider,
        "createdAt": timefmt.to_api(row.created_at),
        "updatedAt": timefmt.to_api(row.updated_at),
        "lastCheck": None
        if last is None
        else {
            "at": timefmt.to_api(last.checked_at),
            "ok": last.ok,
            "category": last.category,
            "message": last.message,
            "elapsedMs": last.elapsed_ms,
            "stale": is_stale(last.checked_at),
        },
        "sync": {"state": row.sync_state, "error": row.sync_error, "remoteId": row.remote_id},
    }


def _emit(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# -- commands --------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    path = _vault_path(args)
    if path.exists():
        raise VaultError(f"a file already exists at {path}; refusing to overwrite it")
    password = _password(args, confirm=True)
    if not password:  # e.g. an empty --password-file
        raise InvalidInput([FieldProblem("password", "may not be empty; nothing was created")])
    with Vault.create(path, password):
        pass
    advice = short_password_warning(password)
    if advice:
        print(f"warning: {advice}; change it from the window's Vault menu", file=sys.stderr)
    print(f"created vault {path}")
    return EXIT_OK


def cmd_providers(args: argparse.Namespace) -> int:
    listing: list[dict[str, Any]] = []
    for spec in providers.PROVIDERS.values():
        fields = [
            {
                "name": info.alias or name,
                "title": info.title,
                "secret": is_secret(info),
                "required": info.is_required(),
            }
            for name, info in spec.credentials.model_fields.items()
        ]
        listing.append(
            {"name": spec.name, "title": spec.title, "platform": spec.platform, "fields": fields}
        )
    if args.json:
        _emit(listing)
        return EXIT_OK
    for item in listing:
        names = ", ".join(
            f["name"] + ("*" if f["secret"] else "") + ("" if f["required"] else "?")
            for f in item["fields"]
        )
        print(f"{item['name']:<13} {item['platform']:<11} {names}")
    print("(* secret, ? optional)")
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    if args.json:
        given = [
            flag
            for flag, value in (
                ("--provider", args.provider),
                ("--platform", args.platform),
                ("--label", args.label),
                ("--set", args.set),
            )
            if value not in (None, [])
        ]
        if given:
            raise UserFacingError(
                f"--json already holds the whole integration; leave out {', '.join(given)} "
                "(or put those values in the JSON)"
            )
        data = _read_json(args.json)
    else:
        if not args.provider or args.label is None:
            raise UserFacingError("add needs --json FILE, or --provider and --label with --set")
        data = {"label": args.label, "provider": args.provider, "credentials": {}}
        if args.platform:
            data["platform"] = args.platform
        data["credentials"] = _parse_sets(args.set)
    new = parse_new(data)
    with _open(args) as vault:
        print(vault.add(new).id)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        rows = vault.rows()
        target = default_target_id(vault)
    if args.json:
        _emit([{**_row_json(r), "defaultExportTarget": r.id == target} for r in rows])
        return EXIT_OK
    if not rows:
        print("The vault is empty. Add one with: integration-vault add --help")
        return EXIT_OK
    now = timefmt.now()
    for row in rows:
        status, checked = _check_columns(row.last_check, now)
        star = "★ " if row.id == target else ""
        print(
            f"{row.id}  {row.provider:<12} {status:<22} {checked:<20} {row.sync_display:<20} "
            f"{star}{row.label}"
        )
    return EXIT_OK


def _check_columns(last: CheckRecord | None, now: datetime) -> tuple[str, str]:
    """The last result and its age; a result older than 30 days is marked stale."""
    if last is None:
        return "not checked", "—"
    status = "ok" if last.ok else f"failed: {last.category}"
    age = timefmt.age_text(last.checked_at, now)
    return status, f"{age} (stale)" if is_stale(last.checked_at, now) else age


def _integration_json(item: Integration, reveal: bool) -> dict[str, Any]:
    return {
        "id": item.id,
        "label": item.label,
        "platform": item.platform,
        "provider": item.provider,
        "credentials": item.credentials_view(reveal=reveal),
        "createdAt": timefmt.to_api(item.created_at),
        "updatedAt": timefmt.to_api(item.updated_at),
    }


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        item = vault.get(args.id)
        history = vault.history(item.id, limit=5)
    data = _integration_json(item, args.reveal)
    data["checks"] = [
        {
            "at": timefmt.to_api(c.checked_at),
            "ok": c.ok,
            "category": c.category,
            "message": c.message,
            "elapsedMs": c.elapsed_ms,
        }
        for c in history
    ]
    if args.json:
        _emit(data)
        return EXIT_OK
    print(f"{item.label}  ({providers.PROVIDERS[item.provider].title}, {item.platform})")
    print(f"  id        {item.id}")
    print(f"  created   {data['createdAt']}   updated {data['updatedAt']}")
    for key, value in data["credentials"].items():
        print(f"  {key:<16}{value}")
    print("  recent checks:" if history else "  never checked")
    for check in history:
        outcome = "ok" if check.ok else f"failed ({check.category})"
        print(f"    {timefmt.to_api(check.checked_at)}  {outcome}: {check.message}")
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    changes = _parse_sets(args.set)
    if args.label is None and not changes:
        raise UserFacingError("nothing to change: give --label and/or --set KEY=VALUE")
    with _open(args) as vault:
        current = vault.get(args.id)
        credentials = merge_credentials(current.credentials, changes) if changes else None
        updated = vault.update(current.id, label=args.label, credentials=credentials)
    print(f"updated {updated.id}")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        _, remote_id, _ = vault.sync_info(vault.get(args.id).id)
        if args.remote and vault.remote_config() is None:
            raise UserFacingError(
                "the remote API is not configured, so nothing was deleted; run "
                "'remote configure' first, or delete without --remote"
            )
        if args.remote and remote_id:
            outcome = cli_remote.service_for(vault).delete(args.id, remote=True)
            print(f"{outcome.message}: {args.id}")
            return EXIT_OK
        vault.delete(args.id)
    note = " (still on the remote API; use --remote to delete it there too)" if remote_id else ""
    print(f"deleted {args.id}{note}")
    return EXIT_OK


NO_DISPLAY = """No display found, so the window cannot open here.
Start it under a virtual display instead:
    xvfb-run -a integration-vault gui        (Debian/Ubuntu: apt-get install xvfb)
or use the command-line interface, which needs no display:
    integration-vault --help"""


def cmd_gui(args: argparse.Namespace) -> int:
    # Without a screen Qt aborts the process with a plugin error; say what to do instead.
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        print(NO_DISPLAY, file=sys.stderr)
        return EXIT_CHECK_FAILED
    from ui.app import main as gui_main

    return gui_main(_vault_path(args))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "providers": cmd_providers,
    "add": cmd_add,
    "list": cmd_list,
    "show": cmd_show,
    "edit": cmd_edit,
    "delete": cmd_delete,
    "verify": lambda args: cli_checks.cmd_verify(args, _open),
    "check": lambda args: cli_checks.cmd_check(args, _open),
    "gui": cmd_gui,
    "remote": lambda args: cli_remote.cmd_remote(args, _open),
    "export": lambda args: cli_transfer.cmd_export(args, _open),
    "backup": lambda args: cli_transfer.cmd_backup(args, _open, _password),
    "restore": lambda args: cli_transfer.cmd_restore(args, _vault_path(args), _password),
    "import": lambda args: cli_transfer.cmd_import(args, _open, _password),
    "sync": lambda args: cli_remote.cmd_sync(args, _open),
    "export-target": lambda args: cli_export.cmd_export_target(args, _open),
}

# The credentials builder is re-exported for scripts that validate input without a vault.
__all__ = ["build_credentials", "build_parser", "main"]
