"""The log file never holds a secret, even when a library logs one."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import (
    PASSWORD,
    R2_SECRET,
    ROOT,
    S3_SECRET,
    ZENDESK_TOKEN,
    admin_client,
    r2_data,
    s3_data,
    zendesk_data,
)
from tests.doubles.zendesk import ZendeskDouble

WRONG_TOKEN = "WrongTokenValue0000000000000000000000000"
BASIC_HEADER = base64.b64encode(f"agent@acme.test/token:{ZENDESK_TOKEN}".encode()).decode()

# Runs in its own process because logsetup.configure() sets up the root logger once per
# process, and the test process must keep its own logging untouched.
SCRIPT = """
import json, logging, sys
from pathlib import Path
from app import logsetup
from app.models import parse_new
from app.vault import Vault
from app.verification import CheckOptions, verify_integration

config = json.loads(sys.argv[1])
logsetup.configure(verbose=True, log_file=Path(config["log"]))
options = CheckOptions(timeout_s=5.0, endpoints=config["endpoints"], write_probe=True)
with Vault.create(Path(config["vault"]), config["password"]) as vault:
    for data in config["items"]:
        item = vault.add(parse_new(data))
        result = verify_integration(item, options)
        vault.record_check(item.id, result)
        print(json.dumps([item.id, result.category.value]))
        vault.update(item.id, label=item.label + " (checked)")
library = logging.getLogger("urllib3")
for line in config["library_lines"]:
    library.warning(line)
try:
    raise RuntimeError("signing failed for " + config["secret_in_traceback"])
except RuntimeError:
    logging.getLogger("botocore").exception("request could not be signed")
logging.shutdown()
"""


@dataclass(frozen=True)
class LoggedRun:
    log: str
    stdout: str
    stderr: str
    categories: dict[str, str]  # integration id -> category of its check


@pytest.fixture(scope="module")
def logged_run(moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedRun]:
    """One process that adds and verifies four integrations with logging to a file."""
    folder = tmp_path_factory.mktemp("logging")
    double = ZendeskDouble()
    double.add_agent("acme", "agent@acme.test", ZENDESK_TOKEN)
    double.start()
    bucket = f"logs-{uuid.uuid4().hex[:12]}"
    admin_client(moto_url).create_bucket(Bucket=bucket)
    wrong = zendesk_data(label="Zendesk wrong token")
    wrong["credentials"] = {**wrong["credentials"], "token": WRONG_TOKEN}
    config = {
        "log": str(folder / "logs" / "integration-vault.log"),
        "vault": str(folder / "vault.db"),
        "password": PASSWORD,
        "endpoints": {"s3": moto_url, "r2": moto_url, "zendesk": double.url + "/{subdomain}"},
        "items": [
            s3_data(bucket, label="S3 ok"),
            r2_data(f"gone-{uuid.uuid4().hex[:12]}", label="R2 missing"),
            zendesk_data(label="Zendesk ok"),
            wrong,
        ],
        "library_lines": [
            f"Retrying request with secret {ZENDESK_TOKEN} after connection reset",
            f"sent headers {{'Authorization': 'Basic {BASIC_HEADER}'}}",
        ],
        "secret_in_traceback": S3_SECRET,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, json.dumps(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        double.stop()
    assert done.returncode == 0, done.stderr
    outcomes = [json.loads(line) for line in done.stdout.splitlines()]
    yield LoggedRun(
        log=Path(config["log"]).read_text(encoding="utf-8"),
        stdout=done.stdout,
        stderr=done.stderr,
        categories=dict(outcomes),
    )


def test_checks_ran_and_were_logged(logged_run: LoggedRun) -> None:
    """The run verified all four integrations and the log file records each by id."""
    assert sorted(logged_run.categories.values()) == ["auth", "not_found", "ok", "ok"]
    for integration_id in logged_run.categories:
        assert integration_id in logged_run.log


@pytest.mark.parametrize(
    "secret",
    [S3_SECRET, R2_SECRET, ZENDESK_TOKEN, WRONG_TOKEN],
    ids=["s3", "r2", "zendesk", "zendesk-wrong"],
)
def test_log_file_and_stderr_hold_no_secret(logged_run: LoggedRun, secret: str) -> None:
    """After adding, verifying and editing integrations, no secret is in the log or on stderr."""
    assert secret not in logged_run.log
    assert secret not in logged_run.stderr


def test_secret_logged_by_a_library_is_redacted(logged_run: LoggedRun) -> None:
    """A secret that urllib3 logs at WARNING reaches the file only as [redacted]."""
    lines = [line for line in logged_run.log.splitlines() if "Retrying request" in line]
    assert len(lines) == 1
    assert "urllib3" in lines[0]
    assert "[redacted]" in lines[0]
    assert ZENDESK_TOKEN not in lines[0]


def test_secret_in_a_traceback_is_redacted(logged_run: LoggedRun) -> None:
    """A secret inside a logged exception's message is masked in the traceback."""
    assert "RuntimeError: signing failed for [redacted]" in logged_run.log
    assert S3_SECRET not in logged_run.log


def test_basic_authorization_header_logged_by_a_library_is_redacted(
    logged_run: LoggedRun,
) -> None:
    """An Authorization header a library logs does not leave the encoded token in the file."""
    lines = [line for line in logged_run.log.splitlines() if "sent headers" in line]
    assert len(lines) == 1
    assert BASIC_HEADER not in lines[0]
