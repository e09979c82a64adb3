"""CLI commands for the default export target: ``export-target setup | show | set | clear``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.default_target import clear_default_target, default_target, set_default_target
from app.errors import UserFacingError
from app.export_steps import SetupResult, StepId, StepReport, StepStatus, TargetForm
from app.export_target import ExportTargetSetup, form_for
from app.vault import Vault
from app.verification import DEFAULT_TIMEOUT_S
from providers.r2 import JURISDICTIONS

Opener = Callable[[argparse.Namespace], Vault]
EXIT_OK, EXIT_STEP_FAILED, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 4, 130


def add_parsers(sub: Any) -> None:
    target = sub.add_parser("export-target", help="the default export target (S3 or R2 bucket)")
    tsub = target.add_subparsers(dest="export_command", metavar="ACTION", required=True)
    p = tsub.add_parser(
        "setup",
        help="check a bucket step by step, then save it as the default export target",
        description="Steps: offline check, credentials, bucket (created with --create-bucket), "
        "region, write/read/delete a probe object, save as default, push (with --push). "
        "Exit 0 only when every step passed.",
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--json", metavar="FILE|-", help="{label, provider: s3|r2, credentials, jurisdiction?}"
    )
    source.add_argument("--id", metavar="ID", help="set up an existing S3 or R2 integration")
    p.add_argument("--jurisdiction", choices=list(JURISDICTIONS), help="R2 only")
    p.add_argument("--create-bucket", action="store_true", help="create the bucket if missing")
    p.add_argument("--push", action="store_true", help="also push it to the remote API")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="S")
    p.add_argument(
        "--output",
        choices=("text", "json"),
        default=None,
        help="json (the default with --json input): one object per step as it ends, then a "
        "summary object; text: one line per step",
    )
    p = tsub.add_parser("show", help="show the default export target (never a secret)")
    p.add_argument("--json", action="store_true")
    p = tsub.add_parser("set", help="make an existing S3 or R2 integration the default")
    p.add_argument("id")
    tsub.add_parser("clear", help="forget the default export target (the integration stays)")


def cmd_export_target(args: argparse.Namespace, open_vault: Opener) -> int:
    if args.export_command == "setup":
        return _setup(args, open_vault)
    with open_vault(args) as vault:
        if args.export_command == "show":
            target = default_target(vault)
            if args.json:
                print(json.dumps(target.to_json() if target else None, ensure_ascii=False))
            else:
                print(target.display if target else "no default export target")
            return EXIT_OK
        if args.export_command == "set":
            print(f"default export target: {set_default_target(vault, args.id).display}")
            return EXIT_OK
        previous = clear_default_target(vault)
    print("default export target cleared" if previous else "there was no default export target")
    return EXIT_OK


def _setup(args: argparse.Namespace, open_vault: Opener) -> int:
    if args.timeout <= 0:
        raise UserFacingError("--timeout must be above 0")
    data = _read_json(args.json) if args.json else None
    # Input given as JSON gets JSON back, as the steps are read by a script then.
    as_json = (args.output or ("json" if args.json else "text")) == "json"
    with open_vault(args) as vault:
        if data is not None:
            form = TargetForm.from_json(data)
            if args.jurisdiction:
                form = replace(form, jurisdiction=args.jurisdiction)
        else:
            form = form_for(vault, args.id, args.jurisdiction)
        if args.push and vault.remote_config() is None:
            raise UserFacingError("--push needs the remote API: remote configure --url … first")
        setup = ExportTargetSetup(
            form, create_bucket=args.create_bucket, push=args.push, timeout_s=args.timeout
        )
        try:
            # Ctrl+C still runs the probe clean-up inside run() before it arrives here.
            result = setup.run(vault, on_step=lambda r: _print_step(r, as_json))
        except KeyboardInterrupt:
            print("interrupted; nothing was saved after the last step shown", file=sys.stderr)
            return EXIT_INTERRUPTED
    _print_summary(result, setup, as_json)
    if result.ok:
        return EXIT_OK
    # The offline step checks only the input, so stopping there is invalid input, not a check.
    return EXIT_INVALID if result.stopped_at is StepId.OFFLINE else EXIT_STEP_FAILED


def _print_step(report: StepReport, as_json: bool) -> None:
    if report.status is StepStatus.RUNNING:
        return
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(f"{report.mark} {report.title:<34} {report.elapsed_ms:>6} ms  {report.message}")
    sys.stdout.flush()


def _print_summary(result: SetupResult, setup: ExportTargetSetup, as_json: bool) -> None:
    hint = ""
    if result.status is StepStatus.BUCKET_MISSING:
        hint = "Run again with --create-bucket to create it."
    if as_json:
        summary = {
            "summary": True,
            "ok": result.ok,
            "status": result.status.value,
            "stoppedAt": result.stopped_at.value if result.stopped_at else None,
            "id": result.integration_id,
            "bucketCreated": setup.bucket_created,
            "message": f"{result.message} {hint}".strip(),
        }
        print(json.dumps(summary, ensure_ascii=False))
    elif result.ok:
        print(f"export target ready: {setup.form.label} ({result.integration_id})")
    else:
        where = result.stopped_at.value if result.stopped_at else "?"
        print(f"stopped at '{where}' ({result.status.value}). {hint}".rstrip(), file=sys.stderr)


def _read_json(source: str) -> Any:
    from app.cli import _read_json as read  # imported late: app.cli imports this module

    return read(source)
