"""``make demo``: the real window on a throw-away vault, checked against local stand-in servers.

Starts a local S3 server (moto) and the help-center doubles on loopback, fills a new vault
with integrations of which some pass and some fail for different reasons, points the app
at those servers through ``INTEGRATION_VAULT_ENDPOINTS`` and opens the window.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "demo-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_s3() -> tuple[Any, str]:
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )
    s3.create_bucket(Bucket="acme-screenshots")
    s3.create_bucket(
        Bucket="acme-eu-screenshots",
        CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
    )
    s3.create_bucket(Bucket="globex-r2-exports")
    return server, url


def demo_integrations() -> list[dict[str, Any]]:
    """A few integrations: some pass, some fail for different reasons."""
    # Shaped like real keys, so the offline check only speaks up where a demo row means it to.
    key = {
        "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY123",
    }
    r2_key = {
        "accessKeyId": "e5c0d2a4f1b3c6d8e7f9a0b1c2d3e4f5",
        "secretAccessKey": "5f1e" * 16,
    }
    account = "0123456789abcdef0123456789abcdef"
    return [
        {
            "label": "Acme – screenshot export",
            "provider": "s3",
            "credentials": {"bucket": "acme-screenshots", "region": "us-east-1", **key},
        },
        {
            "label": "Acme EU – wrong region",
            "provider": "s3",
            "credentials": {"bucket": "acme-eu-screenshots", "region": "us-east-1", **key},
        },
        {
            "label": "Globex – R2 export",
            "provider": "r2",
            "credentials": {"bucket": "globex-r2-exports", "accountId": account, **r2_key},
        },
        {
            "label": "Initech – R2 bucket typo",
            "provider": "r2",
            "credentials": {"bucket": "initech-exprots", "accountId": account, **r2_key},
        },
        {
            "label": "Acme help center",
            "provider": "zendesk",
            "credentials": {
                "subdomain": "acme",
                "username": "agent@acme.test",
                "token": "demo-zendesk-token",
            },
        },
        {
            "label": "Acme help center – old token",
            "provider": "zendesk",
            "credentials": {
                "subdomain": "acme",
                "username": "agent@acme.test",
                "token": "revoked-token",
            },
        },
        {
            "label": "Umbrella – typo in subdomain",
            "provider": "zendesk",
            "credentials": {
                "subdomain": "umbrela",
                "username": "agent@umbrella.test",
                "token": "demo-zendesk-token",
            },
        },
        {
            "label": "Busy help center",
            "provider": "zendesk",
            "credentials": {
                "subdomain": "ratelimited",
                "username": "agent@busy.test",
                "token": "demo-zendesk-token",
            },
        },
    ]


def main() -> int:
    from app.models import parse_new
    from app.vault import Vault
    from tests.doubles.zendesk import ZendeskDouble

    s3_server, s3_url = start_s3()
    zendesk = ZendeskDouble()
    zendesk.add_agent("acme", "agent@acme.test", "demo-zendesk-token")
    zendesk.start()
    os.environ["INTEGRATION_VAULT_ENDPOINTS"] = json.dumps(
        {
            "s3": s3_url,
            # Every R2 jurisdiction stays on this computer too: no demo key leaves it.
            "r2": s3_url,
            "r2:eu": s3_url,
            "r2:fedramp": s3_url,
            "zendesk": zendesk.url + "/{subdomain}",
        }
    )
    folder = Path(tempfile.mkdtemp(prefix="integration-vault-demo-"))
    path = folder / "demo-vault.db"
    with Vault.create(path, DEMO_PASSWORD) as vault:
        for data in demo_integrations():
            vault.add(parse_new(data))
    print(f"Demo vault: {path}")
    print(f"Master password: {DEMO_PASSWORD}")
    print(f"Local S3 server: {s3_url}   Zendesk stand-in: {zendesk.url}")
    print("Press Verify (or Verify all) in the window; close it to stop the demo.")
    sys.stdout.flush()

    from ui.app import main as gui_main

    try:
        return gui_main(path)
    finally:
        zendesk.stop()
        s3_server.stop()
        shutil.rmtree(folder, ignore_errors=True)  # the throw-away vault goes with the demo


if __name__ == "__main__":
    sys.exit(main())
