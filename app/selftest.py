"""``--self-test``: prove that an installed or bundled app works, without a display.

Creates a throw-away vault, writes and reads an integration, checks that a wrong password is
refused, renders a widget offscreen (so the Qt plugins are present), and, when given a local
S3 server, verifies a storage integration against it with a write probe.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr

from app import timefmt
from app.errors import WrongPassword
from app.models import Integration, parse_new
from app.vault import Vault
from app.verification import CheckOptions, verify_integration
from providers.storage import StorageTarget, make_client

SELF_TEST_BUCKET = "integration-vault-self-test"


def run(s3_endpoint: str | None = None, out: Callable[[str], None] = print) -> int:
    """Run every step, print one line each; 0 when all passed."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="iv-self-test-") as folder:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("vault create, write, read back", lambda: _vault_round_trip(Path(folder))),
            ("wrong password refused", lambda: _wrong_password(Path(folder))),
            ("window toolkit renders offscreen", _render_offscreen),
        ]
        if s3_endpoint:
            steps.append(("S3 check with write probe", lambda: _s3_check(s3_endpoint)))
        for name, step in steps:
            started = time.monotonic()
            try:
                detail = step()
                out(f"ok   {name} ({_ms(started)} ms){': ' + detail if detail else ''}")
            except Exception as exc:
                failures += 1
                out(f"FAIL {name} ({_ms(started)} ms): {exc}")
    out("self-test passed" if not failures else f"self-test failed: {failures} step(s)")
    return 0 if not failures else 1


_PASSWORD = secrets.token_urlsafe(16)


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _vault_round_trip(folder: Path) -> str:
    path = folder / "self-test.db"
    secret = secrets.token_hex(20)
    with Vault.create(path, _PASSWORD) as vault:
        added = vault.add(
            parse_new(
                {
                    "label": "Self-test",
                    "provider": "helpscout",
                    "credentials": {"apiKey": secret},
                }
            )
        )
    with Vault.open(path, _PASSWORD) as vault:
        stored = vault.get(added.id)
    if stored.credentials.to_wire()["apiKey"] != secret:
        raise RuntimeError("the secret read back differs from the one written")
    if secret.encode() in path.read_bytes():
        raise RuntimeError("the secret is readable in the vault file")
    return "encrypted, and read back intact"


def _wrong_password(folder: Path) -> str:
    try:
        Vault.open(folder / "self-test.db", _PASSWORD + "x").close()
    except WrongPassword:
        return ""
    raise RuntimeError("a wrong password opened the vault")


def _render_offscreen() -> str:
    from ui.offscreen import render_check  # the UI layer owns everything Qt

    return render_check()


def _s3_check(endpoint: str) -> str:
    key, secret = "AKIAIOSFODNN7EXAMPLE", "self-test-secret-key"
    target = StorageTarget("s3", SELF_TEST_BUCKET, "us-east-1", key, SecretStr(secret), endpoint)
    s3 = make_client(target, "s3", 10.0)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if SELF_TEST_BUCKET not in existing:
        s3.create_bucket(Bucket=SELF_TEST_BUCKET)
    new = parse_new(
        {
            "label": "Self-test S3",
            "provider": "s3",
            "credentials": {
                "bucket": SELF_TEST_BUCKET,
                "region": "us-east-1",
                "accessKeyId": key,
                "secretAccessKey": secret,
            },
        }
    )
    now = timefmt.now()
    item = Integration("self-test", new.label, "s3", "cloud", new.credentials, now, now)
    options = CheckOptions(timeout_s=10, write_probe=True, endpoints={"s3": endpoint})
    result = verify_integration(item, options)
    if not result.ok:
        raise RuntimeError(result.message)
    return result.message
