"""CLI commands for the remote Integration API: ``remote …`` and ``sync …``."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from app.errors import UserFacingError
from app.remote import (
    DEFAULT_HEADER,
    DEFAULT_SCHEME,
    IntegrationApi,
    RemoteConfig,
    check_new_api_key,
)
from app.sync import SyncOutcome, SyncService, compare_sides
from app.vault import Vault

API_KEY_ENV = "INTEGRATION_VAULT_API_KEY"
Opener = Callable[[argparse.Namespace], Vault]


def add_parsers(sub: Any) -> None:
    remote = sub.add_parser("remote", help="settings for the remote Integration API")
    rsub = remote.add_subparsers(dest="remote_command", metavar="ACTION", required=True)
    p = rsub.add_parser("configure", help="set the API address and key")
    p.add_argument("--url", required=True)
    p.add_argument("--api-key-file", type=Path, help=f"else ${API_KEY_ENV}, else a prompt")
    p.add_argument("--header", default=None, help=f"default {DEFAULT_HEADER}")
    p.add_argument("--scheme", default=None, help=f"default {DEFAULT_SCHEME}; '' for none")
    rsub.add_parser("show", help="show the settings (key masked)")
    rsub.add_parser("test", help="check that the API answers and accepts the key")

    sync = sub.add_parser("sync", help="mirror integrations to the remote Integration API")
    ssub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    p = ssub.add_parser("status", help="each integration's sync state")
    p.add_argument("--json", action="store_true")
    p = ssub.add_parser("push", help="send local changes to the server")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--all", action="store_true")
    p.add_argument("--json", action="store_true")
    p = ssub.add_parser("pull", help="copy a record from the server by its remote id")
    p.add_argument("remote_id")
    p.add_argument("--json", action="store_true")
    p = ssub.add_parser("resolve", help="settle a conflict by keeping one side")
    p.add_argument("id")
    p.add_argument("--keep", choices=("local", "remote"), help="without it, both sides are shown")


def cmd_remote(args: argparse.Namespace, open_vault: Opener) -> int:
    with open_vault(args) as vault:
        if args.remote_command == "configure":
            return _configure(args, vault)
        config = vault.remote_config()
        if config is None:
            raise UserFacingError("the remote API is not configured: remote configure --url …")
        if args.remote_command == "show":
            print(f"url     {config.url}")
            print(f"header  {config.header}: {config.scheme} {masked_key(config)}".lstrip())
            return 0
        api = IntegrationApi(config)
        try:
            print(api.test())
        finally:
            api.close()
    return 0


def masked_key(config: RemoteConfig) -> str:
    """The key as dots, with its last four characters only when it is long enough that
    they say little about the rest."""
    key = config.api_key.get_secret_value()
    return "••••••••" + (key[-4:] if len(key) >= 16 else "")


def _configure(args: argparse.Namespace, vault: Vault) -> int:
    current = vault.remote_config()
    key = _api_key(args, current)
    if current is None or key != current.api_key.get_secret_value():
        check_new_api_key(key)
    config = RemoteConfig(
        args.url,
        SecretStr(key),
        args.header if args.header is not None else (current.header if current else DEFAULT_HEADER),
        args.scheme if args.scheme is not None else (current.scheme if current else DEFAULT_SCHEME),
    )
    vault.save_remote_config(config)
    print(f"remote API set to {config.url} (key kept inside the vault)")
    return 0


def _api_key(args: argparse.Namespace, current: RemoteConfig | None) -> str:
    if args.api_key_file:
        try:
            return Path(args.api_key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UserFacingError(f"cannot read the API key file: {exc.strerror}") from None
    if os.environ.get(API_KEY_ENV):
        return os.environ[API_KEY_ENV].strip()
    if current is not None:
        return current.api_key.get_secret_value()
    if sys.stdin.isatty():
        return getpass.getpass("API key: ").strip()
    raise UserFacingError(f"no API key: use --api-key-file FILE or set {API_KEY_ENV}")


def service_for(vault: Vault) -> SyncService:
    config = vault.remote_config()
    if config is None:
        raise UserFacingError("the remote API is not configured: remote configure --url …")
    return SyncService(vault, IntegrationApi(config))


def cmd_sync(args: argparse.Namespace, open_vault: Opener) -> int:
    with open_vault(args) as vault:
        if args.sync_command == "status":
            return _status(vault, args.json)
        service = service_for(vault)
        try:
            return _sync_action(args, vault, service)
        finally:
            service.api.close()


def _sync_action(args: argparse.Namespace, vault: Vault, service: SyncService) -> int:
    if args.sync_command == "push":
        if bool(args.ids) == bool(args.all):
            raise UserFacingError("name the integrations to push, or use --all (not both)")
        ids = vault.ids() if args.all else [i.strip() for i in args.ids]
        for integration_id in ids:
            vault.get(integration_id)  # unknown ids fail before anything is sent
        outcomes = service.push(ids, on_outcome=lambda o: _print(o, args.json))
        return 0 if all(o.ok for o in outcomes) else 1
    if args.sync_command == "pull":
        outcome = service.pull(args.remote_id)
        _print(outcome, args.json)
        return 0 if outcome.ok else 1
    if args.keep is None:
        rows = compare_sides(vault, args.id)
        print(f"{'field':<28} {'local':<30} {'remote':<30}")
        for row in rows:
            mark = "≠" if row.differs else " "
            print(f"{mark} {row.field:<26} {row.local[:30]:<30} {row.remote[:30]:<30}")
        print("Keep one side with: sync resolve ID --keep local|remote")
        return 2
    outcome = service.resolve(args.id, args.keep)
    _print(outcome, False)
    return 0 if outcome.ok else 1


def _status(vault: Vault, as_json: bool) -> int:
    rows = vault.rows()
    if as_json:
        data = [
            {
                "id": r.id,
                "label": r.label,
                "state": r.sync_state,
                "error": r.sync_error,
                "remoteId": r.remote_id,
            }
            for r in rows
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r.id}  {r.sync_display:<28} {r.label}")
    return 0


def _print(outcome: SyncOutcome, as_json: bool) -> None:
    if as_json:
        print(json.dumps(outcome.to_json(), ensure_ascii=False))
    else:
        mark = "ok  " if outcome.ok else "FAIL"
        print(f"{mark} {outcome.label}: {outcome.action} — {outcome.message}")
    sys.stdout.flush()
