"""Shared fixtures: a loopback S3 server (moto), a fresh vault per test and a CLI runner."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from app.models import Integration, IntegrationRow, parse_new
from app.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"

# Credentials shaped like the real thing, so the offline paste-mistake rules stay quiet.
S3_KEY_ID = "AKIAIOSFODNN7TESTKEY"
S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRT1"
R2_ACCOUNT = "0123456789abcdef0123456789abcdef"
R2_KEY_ID = "e5c0d2a4f1b3c6d8e7f9a0b1c2d3e4f5"
R2_SECRET = "5f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
ZENDESK_TOKEN = "jP0aXw7cRkT2mN9bQe4sLv6yHu3gZd8fKo1iWt5r"

# The API's timestamp form: ISO-8601 UTC with milliseconds and Z.
API_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def free_port() -> int:
    """A loopback TCP port nobody listens on (closed again before returning)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def s3_data(bucket: str, label: str = "Screenshots on S3", region: str = "us-east-1") -> dict:
    """Input for a new S3 integration, as `add --json` takes it."""
    return {
        "label": label,
        "provider": "s3",
        "credentials": {
            "bucket": bucket,
            "region": region,
            "accessKeyId": S3_KEY_ID,
            "secretAccessKey": S3_SECRET,
        },
    }


def r2_data(bucket: str, label: str = "Screenshots on R2") -> dict:
    """Input for a new R2 integration, as `add --json` takes it."""
    return {
        "label": label,
        "provider": "r2",
        "credentials": {
            "bucket": bucket,
            "accountId": R2_ACCOUNT,
            "accessKeyId": R2_KEY_ID,
            "secretAccessKey": R2_SECRET,
        },
    }


def zendesk_data(subdomain: str = "acme", label: str = "Acme help center") -> dict:
    """Input for a new Zendesk integration, as `add --json` takes it."""
    return {
        "label": label,
        "provider": "zendesk",
        "credentials": {
            "subdomain": subdomain,
            "username": "agent@acme.test",
            "token": ZENDESK_TOKEN,
        },
    }


# -- S3 on loopback --------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """Base URL of one moto server (S3, STS) shared by the whole session."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def admin_client(url: str, region: str = "us-east-1") -> Any:
    """A boto3 S3 client for setting up buckets on a moto server (auth is off there)."""
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def s3_admin(moto_url: str) -> Any:
    return admin_client(moto_url)


@pytest.fixture
def bucket(s3_admin: Any) -> str:
    """A new, empty bucket in us-east-1 that only this test uses."""
    name = f"it-{uuid.uuid4().hex[:16]}"
    s3_admin.create_bucket(Bucket=name)
    return name


@pytest.fixture
def missing_bucket() -> str:
    """A bucket name that exists nowhere."""
    return f"gone-{uuid.uuid4().hex[:16]}"


@pytest.fixture
def closed_port_url() -> str:
    """An http URL on loopback where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


# -- the vault -------------------------------------------------------------------------


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "vaults" / "vault.db"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    """A new, empty vault that only this test uses."""
    with Vault.create(vault_path, PASSWORD) as opened:
        yield opened


# -- the command line ------------------------------------------------------------------


@dataclass
class Cli:
    """Runs `python -m app` as a person or script would, against one vault file."""

    vault: Path
    home: Path
    endpoints: dict[str, str] = field(default_factory=dict)

    def env(self, password: str | None = PASSWORD, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("INTEGRATION_VAULT_", "AWS_", "XDG_"))
        }
        env.update(
            HOME=str(self.home),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_STATE_HOME=str(self.home / "state"),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            AWS_CONFIG_FILE=str(self.home / "no-aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(self.home / "no-aws-credentials"),
            PYTHONPATH=str(ROOT),
        )
        if password is not None:
            env["INTEGRATION_VAULT_PASSWORD"] = password
        if self.endpoints:
            env["INTEGRATION_VAULT_ENDPOINTS"] = json.dumps(self.endpoints)
        env.update(extra)
        return env

    def run(
        self,
        *args: str,
        password: str | None = PASSWORD,
        stdin: str | None = None,
        vault: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "app", "--vault", str(vault or self.vault), *args]
        return subprocess.run(
            command,
            cwd=self.home,
            env={**self.env(password), **(env or {})},
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def add(self, data: dict) -> str:
        """Add an integration with `add --json -`; returns its id."""
        done = self.run("add", "--json", "-", stdin=json.dumps(data))
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def seed(self, *items: dict) -> list[str]:
        """Add integrations directly through the vault (faster set-up); returns their ids."""
        with Vault.open(self.vault, PASSWORD) as opened:
            return [opened.add(parse_new(data)).id for data in items]

    def stored(self) -> dict[str, Integration]:
        """What the vault holds now, read directly, by id."""
        with Vault.open(self.vault, PASSWORD) as opened:
            return {i: opened.get(i) for i in opened.ids()}

    def rows(self) -> dict[str, IntegrationRow]:
        """The list rows (with last checks) read directly, by id."""
        with Vault.open(self.vault, PASSWORD) as opened:
            return {row.id: row for row in opened.rows()}


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A CLI runner with its own HOME and vault path; the vault is not created yet."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(vault=tmp_path / "cli-vault.db", home=home)


@pytest.fixture
def cli_vault(cli: Cli) -> Cli:
    """A CLI runner whose vault exists (created directly, as `init` would)."""
    Vault.create(cli.vault, PASSWORD).close()
    return cli
