"""After a whole CLI session, no secret used in it is readable in any file the app wrote."""

from __future__ import annotations

import base64
import copy
import json
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from app.cli import EXIT_CHECK_FAILED, EXIT_OK
from tests.conftest import PASSWORD, Cli
from tests.doubles.base import Double
from tests.doubles.freshdesk import FreshdeskDouble
from tests.doubles.helpjuice import HelpjuiceDouble
from tests.doubles.helpscout import HelpScoutDouble
from tests.doubles.intercom import IntercomDouble
from tests.doubles.knowledgeowl import KnowledgeOwlDouble
from tests.doubles.zendesk import ZendeskDouble
from tests.test_transfer import EXAMPLES, KNOWLEDGEOWL_PROJECT, SECRETS

AGENT = "agent@acme.test"
NEW_ZENDESK_TOKEN = "nEwZ3ndeskT0kenAfterRotation0000000000x1"
WRONG_ZENDESK_TOKEN = "wR0ngZ3ndeskT0kenNobodyAccepts000000000x"


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def _needles() -> dict[str, str]:
    """Every secret of the session, as typed and as it travels in a Basic auth header."""
    found = {f"{name} secret": value for name, value in SECRETS.items()}
    found["rotated zendesk token"] = NEW_ZENDESK_TOKEN
    found["wrong zendesk token"] = WRONG_ZENDESK_TOKEN
    found["master password"] = PASSWORD
    for label, token in [("old", SECRETS["zendesk"]), ("new", NEW_ZENDESK_TOKEN)]:
        found[f"{label} zendesk basic header"] = _basic(f"{AGENT}/token", token)
    found["freshdesk basic header"] = _basic(SECRETS["freshdesk"], "X")
    found["helpscout basic header"] = _basic(SECRETS["helpscout"], "X")
    found["knowledgeowl basic header"] = _basic(SECRETS["knowledgeowl"], "x")
    return found


@pytest.fixture
def doubles() -> Iterator[dict[str, Double]]:
    """Every help-center double on loopback, each knowing this session's credentials."""
    zendesk = ZendeskDouble()
    zendesk.add_agent("acme", AGENT, SECRETS["zendesk"])
    freshdesk = FreshdeskDouble()
    freshdesk.add_agent("acme", SECRETS["freshdesk"], AGENT)
    helpjuice = HelpjuiceDouble()
    helpjuice.add_account("acme", SECRETS["helpjuice"])
    intercom = IntercomDouble()
    intercom.add_token("us", SECRETS["intercom"], AGENT, "Acme Help")
    helpscout = HelpScoutDouble()
    helpscout.add_key("acme", SECRETS["helpscout"], ["Acme Docs"])
    knowledgeowl = KnowledgeOwlDouble()
    knowledgeowl.add_key("acme", SECRETS["knowledgeowl"], {KNOWLEDGEOWL_PROJECT: "Acme Help"})
    running: dict[str, Double] = {
        "zendesk": zendesk,
        "freshdesk": freshdesk,
        "helpjuice": helpjuice,
        "intercom": intercom,
        "helpscout": helpscout,
        "knowledgeowl": knowledgeowl,
    }
    for double in running.values():
        double.start()
    yield running
    for double in running.values():
        double.stop()


def test_no_secret_is_readable_in_any_file_after_a_full_session(
    cli: Cli, moto_url: str, doubles: dict[str, Double], bucket: str
) -> None:
    """init, add, edit, verify, check, show, list, export --redacted, backup: no secret on disk."""
    data = copy.deepcopy(EXAMPLES)
    data["s3"]["credentials"]["bucket"] = bucket
    data["r2"]["credentials"]["bucket"] = bucket
    urls = {name: double.url for name, double in doubles.items()}
    cli.endpoints = {
        "s3": moto_url,
        "r2": moto_url,
        "zendesk": urls["zendesk"] + "/{subdomain}",
        "freshdesk": urls["freshdesk"] + "/{subdomain}",
        "helpjuice": urls["helpjuice"] + "/{subdomain}",
        "intercom": urls["intercom"] + "/us",
        "helpscout": urls["helpscout"] + "/acme",
        "knowledgeowl": urls["knowledgeowl"] + "/acme",
    }
    runs: list[subprocess.CompletedProcess[str]] = []

    def run(*args: str, expect: int = EXIT_OK, **kwargs: Any) -> str:
        done = cli.run(*args, **kwargs)
        runs.append(done)
        assert done.returncode == expect, (args, done.stderr)
        return done.stdout

    run("init")
    ids = {
        name: run("-v", "add", "--json", "-", stdin=json.dumps(item)).strip()
        for name, item in data.items()
    }
    wrong = {**data["zendesk"], "label": "Zendesk with a wrong token"}
    wrong["credentials"] = {**wrong["credentials"], "token": WRONG_ZENDESK_TOKEN}
    wrong_id = run("add", "--json", "-", stdin=json.dumps(wrong)).strip()

    # Rotate the Zendesk token (the double learns the new one), then check everything.
    zendesk = doubles["zendesk"]
    assert isinstance(zendesk, ZendeskDouble)
    zendesk.add_agent("acme", AGENT, NEW_ZENDESK_TOKEN)
    run("-v", "edit", ids["zendesk"], "--set", f"token={NEW_ZENDESK_TOKEN}")
    run("-v", "verify", *ids.values(), "--write-probe", "--steps")
    run("-v", "verify", wrong_id, "--json", expect=EXIT_CHECK_FAILED)
    run("-v", "check", "--all")
    run("show", ids["zendesk"])
    run("-v", "show", ids["s3"], "--json")
    run("list")
    run("-v", "list", "--json")
    run("-v", "export", "--redacted", "-o", str(cli.home / "for-support.json"))
    backup = cli.home / "vault-backup.db"
    run("-v", "backup", "-o", str(backup))
    run("-v", "import", str(backup), "--dry-run")
    run("-v", "restore", str(backup), vault=cli.home / "restored.db")

    # The session really logged to a file under the test's HOME.
    log_file = cli.home / "state" / "IntegrationVault" / "log" / "integration-vault.log"
    logged = log_file.read_text(encoding="utf-8")
    assert "added 1 integration(s)" in logged
    assert f"updated integration {ids['zendesk']}" in logged
    assert [name for name, i in ids.items() if f"verified {i}" not in logged] == []

    needles = _needles()
    files = sorted(p for p in cli.vault.parent.rglob("*") if p.is_file())
    assert log_file in files and cli.vault in files and backup in files
    hits = [
        (str(path.relative_to(cli.vault.parent)), name)
        for path in files
        for name, needle in needles.items()
        if needle.encode("utf-8") in path.read_bytes()
    ]
    assert hits == []
    printed = "".join(done.stdout + done.stderr for done in runs)
    assert [name for name, needle in needles.items() if needle in printed] == []
