"""CLI commands that check credentials: ``verify`` (network) and ``check`` (offline)."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import providers
from app import cli_remote
from app.errors import UserFacingError
from app.models import Integration
from app.offline import check_integration
from app.vault import Vault
from app.verification import CheckOptions, verify_many

Opener = Callable[[argparse.Namespace], Vault]
EXIT_OK, EXIT_CHECK_FAILED, EXIT_INTERRUPTED = 0, 1, 130


def cmd_verify(args: argparse.Namespace, open_vault: Opener) -> int:
    if bool(args.ids) == bool(args.all):
        raise UserFacingError("name the integrations to check, or use --all (not both)")
    if args.timeout <= 0 or args.concurrency < 1:
        raise UserFacingError("--timeout must be above 0 and --concurrency at least 1")
    cancel = threading.Event()
    finished: list[bool] = []
    with open_vault(args) as vault:
        options = CheckOptions.for_vault(vault, args.timeout, write_probe=args.write_probe)
        ids = vault.ids() if args.all else [i.strip() for i in args.ids]
        items = [vault.get(i) for i in ids]
        try:
            checks = verify_many(items, options, args.concurrency, cancel, on_wait=_say_waiting)
            for item, result in checks:
                vault.record_check(item.id, result)
                finished.append(result.ok)
                if args.json:
                    print(json.dumps(_result_json(item, result, args.steps), ensure_ascii=False))
                    sys.stdout.flush()
                else:
                    _print_result(item, result, args.steps)
            if args.remote:
                finished.extend(_verify_remote(vault, items, args.json))
        except KeyboardInterrupt:
            cancel.set()
            print(
                f"interrupted: {len(finished)} of {len(items)} checks finished and were saved",
                file=sys.stderr,
            )
            vault.close()
            logging.shutdown()
            # Checks still waiting on the network are abandoned rather than awaited.
            os._exit(EXIT_INTERRUPTED)
    return EXIT_OK if all(finished) else EXIT_CHECK_FAILED


def _say_waiting(item: Integration, seconds: float) -> None:
    """On stderr, so that --json output stays one result per line; rounded up, never "0 s"
    for a wait that is still to come."""
    spec = providers.get(item.provider)
    who = spec.title if spec else item.provider
    print(
        f"waiting {math.ceil(seconds)} s: {who} is rate limiting; "
        f"“{item.label}” is checked again after that",
        file=sys.stderr,
        flush=True,
    )


def _verify_remote(vault: Vault, items: list[Integration], as_json: bool) -> list[bool]:
    """Ask the remote API to check each integration too; returns each verdict."""
    service = cli_remote.service_for(vault)
    verdicts = []
    try:
        for item in items:
            result = service.verify_remote(item.id)
            verdicts.append(result.ok)
            if as_json:
                record = {
                    "id": item.id,
                    "label": item.label,
                    "provider": item.provider,
                    "source": "remote",
                    **result.to_json(),
                }
                record.pop("steps")
                print(json.dumps(record, ensure_ascii=False))
            else:
                mark = "ok  " if result.ok else "FAIL"
                print(f"{mark} {item.label} (remote API check): {result.message}")
    finally:
        service.api.close()
    return verdicts


def cmd_check(args: argparse.Namespace, open_vault: Opener) -> int:
    with open_vault(args) as vault:
        ids = [i.strip() for i in args.ids] if args.ids else vault.ids()
        items = [vault.get(i) for i in ids]
    clean = True
    for item in items:
        findings = check_integration(item)
        clean = clean and not findings
        if args.json:
            record = {
                "id": item.id,
                "label": item.label,
                "provider": item.provider,
                "ok": not findings,
                "category": "misconfigured" if findings else "ok",
                "findings": [f.to_json() for f in findings],
            }
            print(json.dumps(record, ensure_ascii=False))
            continue
        if not findings:
            print(f"ok   {item.label} ({item.provider})")
        for finding in findings:
            mark = "FAIL" if finding.severity == "error" else "warn"
            print(f"{mark} {item.label} ({item.provider}): {finding.field}: {finding.message}")
    if not items and not args.json:
        print("The vault is empty.")
    return EXIT_OK if clean else EXIT_CHECK_FAILED


def _result_json(item: Integration, result: Any, steps: bool) -> dict[str, Any]:
    data = {"id": item.id, "label": item.label, "provider": item.provider, **result.to_json()}
    if not steps:
        data.pop("steps")
    return data


def _print_result(item: Integration, result: Any, steps: bool) -> None:
    mark = "ok  " if result.ok else "FAIL"
    category = "" if result.ok else f" [{result.category.value}]"
    print(
        f"{mark} {item.label} ({item.provider}){category}: {result.message} "
        f"({result.elapsed_ms} ms)"
    )
    if steps:
        for step in result.steps:
            sign = "–" if step.skipped else ("✓" if step.ok else "✗")
            detail = f" — {step.detail}" if step.detail else ""
            print(f"       {sign} {step.name} ({step.elapsed_ms} ms){detail}")
    sys.stdout.flush()
