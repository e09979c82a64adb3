"""`integration-vault export-target …` run as a separate process against local S3 servers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import S3_SECRET, Cli, admin_client, r2_data, s3_data, zendesk_data
from tests.doubles.integration_api import IntegrationApiDouble
from tests.test_export_target import (
    LockedServer,
    locked_data,
    locked_moto,
    moto_process,
    probe_objects,
)

EXIT_OK, EXIT_STEP_FAILED, EXIT_USAGE, EXIT_INVALID = 0, 1, 2, 4
STEP_KEYS = {"step", "title", "status", "ok", "mark", "elapsedMs", "message", "category"}


@pytest.fixture(scope="module")
def locked() -> Iterator[LockedServer]:
    """A moto server enforcing IAM, with a key that is denied PutObject."""
    with locked_moto() as server:
        yield server


@pytest.fixture(scope="module")
def eu_server() -> Iterator[str]:
    with moto_process() as url:
        yield url


def setup(cli: Cli, data: dict, *flags: str) -> Any:
    """Run setup with JSON input; text output unless the test asks for --output."""
    wanted = flags if "--output" in flags else (*flags, "--output", "text")
    return cli.run("export-target", "setup", "--json", "-", *wanted, stdin=json.dumps(data))


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_input_gives_the_steps_as_json_objects(
    cli_vault: Cli, moto_url: str, bucket: str
) -> None:
    """setup --json FILE prints one JSON object per step, then a summary object."""
    cli_vault.endpoints = {"s3": moto_url}
    done = cli_vault.run("export-target", "setup", "--json", "-", stdin=json.dumps(s3_data(bucket)))
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    objects = json_lines(done.stdout)
    assert objects[-1]["summary"] is True
    assert all("step" in o for o in objects[:-1])


def show(cli: Cli) -> Any:
    done = cli.run("export-target", "show", "--json")
    assert done.returncode == EXIT_OK, done.stderr
    return json.loads(done.stdout)


def test_present_bucket_prints_every_step_and_becomes_the_default(
    cli_vault: Cli, moto_url: str, bucket: str, s3_admin: Any
) -> None:
    """A present bucket: every step ✓ with its time, exit 0, shown as default, no probe left."""
    cli_vault.endpoints = {"s3": moto_url}

    done = setup(cli_vault, s3_data(bucket, label="Quokka exports"))

    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("✓") for line in lines) == 8
    assert " ms " in lines[0]
    assert "export target ready" in lines[-1]
    assert S3_SECRET not in done.stdout + done.stderr
    assert probe_objects(s3_admin, bucket) == []
    shown = show(cli_vault)
    assert (shown["label"], shown["provider"], shown["bucket"]) == ("Quokka exports", "s3", bucket)
    plain = cli_vault.run("export-target", "show")
    assert bucket in plain.stdout
    assert S3_SECRET not in plain.stdout


def test_missing_bucket_stops_then_create_bucket_creates_it(
    cli_vault: Cli, moto_url: str, missing_bucket: str, s3_admin: Any
) -> None:
    """Missing bucket: exit 1 at "bucket exists" with the hint; --create-bucket makes it."""
    cli_vault.endpoints = {"s3": moto_url}
    data = s3_data(missing_bucket)

    stopped = setup(cli_vault, data, "--output", "json")
    assert stopped.returncode == EXIT_STEP_FAILED
    steps = json_lines(stopped.stdout)
    assert all(set(s) >= STEP_KEYS for s in steps[:-1])
    assert (steps[-2]["step"], steps[-2]["status"]) == ("bucket", "bucket_missing")
    assert steps[-1]["status"] == "bucket_missing"
    assert "--create-bucket" in steps[-1]["message"]
    assert show(cli_vault) is None

    created = setup(cli_vault, data, "--create-bucket")
    assert created.returncode == EXIT_OK, created.stdout + created.stderr
    assert "created" in created.stdout
    assert s3_admin.head_bucket(Bucket=missing_bucket)
    assert probe_objects(s3_admin, missing_bucket) == []


def test_write_denied_key_stops_at_the_write_step_and_leaves_nothing(
    cli_vault: Cli, locked: LockedServer
) -> None:
    """A key denied PutObject: exit 1, the write step names PutObject, nothing saved or left."""
    cli_vault.endpoints = {"s3": locked.url}

    done = setup(cli_vault, locked_data(locked, locked.no_put), "--output", "json")

    assert done.returncode == EXIT_STEP_FAILED
    steps = json_lines(done.stdout)
    failed = [s for s in steps[:-1] if not s["ok"]]
    assert [s["step"] for s in failed] == ["write"]
    assert failed[0]["mark"] == "✗"
    assert "PutObject" in failed[0]["message"]
    assert steps[-1]["stoppedAt"] == "write"
    assert locked.no_put.secret not in done.stdout
    assert probe_objects(locked.admin_client(), locked.bucket) == []
    assert show(cli_vault) is None
    listed = cli_vault.run("list", "--json")
    assert json.loads(listed.stdout) == []


def test_clear_and_a_deleted_target_both_show_none(
    cli_vault: Cli, moto_url: str, bucket: str
) -> None:
    """clear forgets the default; deleting the integration leaves no dangling default."""
    cli_vault.endpoints = {"s3": moto_url}
    assert setup(cli_vault, s3_data(bucket)).returncode == EXIT_OK
    integration_id = show(cli_vault)["id"]

    cleared = cli_vault.run("export-target", "clear")
    assert cleared.returncode == EXIT_OK
    assert show(cli_vault) is None
    assert cli_vault.run("export-target", "set", integration_id).returncode == EXIT_OK
    assert show(cli_vault)["id"] == integration_id

    assert cli_vault.run("delete", integration_id).returncode == EXIT_OK
    assert show(cli_vault) is None
    assert "no default export target" in cli_vault.run("export-target", "show").stdout


def test_setup_by_id_and_refusing_a_help_center_integration(
    cli_vault: Cli, moto_url: str, bucket: str
) -> None:
    """--id sets up a stored S3 integration in place; a Zendesk one is invalid input (exit 4)."""
    cli_vault.endpoints = {"s3": moto_url}
    s3_id = cli_vault.add(s3_data(bucket))
    zendesk_id = cli_vault.add(zendesk_data())

    done = cli_vault.run("export-target", "setup", "--id", s3_id)
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    assert show(cli_vault)["id"] == s3_id

    refused = cli_vault.run("export-target", "setup", "--id", zendesk_id)
    assert refused.returncode == EXIT_INVALID
    assert "S3 or R2" in refused.stderr


def test_r2_bucket_in_another_jurisdiction_names_it(
    cli_vault: Cli, moto_url: str, eu_server: str
) -> None:
    """R2 bucket only at the EU endpoint: default says "choose EU"; --jurisdiction eu passes."""
    name = f"eu-only-{uuid.uuid4().hex[:12]}"
    admin_client(eu_server).create_bucket(Bucket=name)
    cli_vault.endpoints = {"r2": moto_url, "r2:eu": eu_server}

    wrong = setup(cli_vault, r2_data(name))
    assert wrong.returncode == EXIT_STEP_FAILED
    assert "European Union (EU) jurisdiction" in wrong.stdout

    right = setup(cli_vault, r2_data(name), "--jurisdiction", "eu")
    assert right.returncode == EXIT_OK, right.stdout + right.stderr
    assert show(cli_vault)["jurisdiction"] == "eu"
    assert probe_objects(admin_client(eu_server), name) == []


def test_push_needs_a_configured_remote_and_then_pushes(
    cli_vault: Cli, moto_url: str, bucket: str, tmp_path: Any
) -> None:
    """--push without a remote API is refused up front; with one, the push step passes."""
    cli_vault.endpoints = {"s3": moto_url}
    refused = setup(cli_vault, s3_data(bucket), "--push")
    assert refused.returncode == EXIT_USAGE
    assert "remote configure" in refused.stderr

    api = IntegrationApiDouble().start()
    try:
        key_file = tmp_path / "api-key"
        key_file.write_text(api.api_key, encoding="utf-8")
        configured = cli_vault.run(
            "remote", "configure", "--url", api.url, "--api-key-file", str(key_file)
        )
        assert configured.returncode == EXIT_OK, configured.stderr
        done = setup(cli_vault, s3_data(bucket), "--push", "--output", "json")
        assert done.returncode == EXIT_OK, done.stdout + done.stderr
        assert json_lines(done.stdout)[-2]["step"] == "push"
        assert len(api.records) == 1
    finally:
        api.stop()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (zendesk_data(), "provider"),
        (s3_data("Bad_Bucket"), "bucket"),
        ({**s3_data("fine-bucket"), "credentials": {"bucket": "fine-bucket"}}, "accessKeyId"),
    ],
)
def test_setup_with_invalid_input_exits_4_naming_the_field(
    cli_vault: Cli, data: dict, field: str
) -> None:
    """setup --json with a help-center provider, a bad bucket name or no keys stops at the
    offline step with exit 4 (invalid input), naming the field; nothing is saved."""
    done = cli_vault.run("export-target", "setup", "--json", "-", stdin=json.dumps(data))
    assert done.returncode == EXIT_INVALID, done.stdout + done.stderr
    summary = json_lines(done.stdout)[-1]
    assert summary["stoppedAt"] == "offline"
    assert f"{field}:" in summary["message"]
    assert cli_vault.stored() == {}


def test_set_of_a_help_center_integration_is_invalid_input(cli_vault: Cli) -> None:
    """export-target set <zendesk id> exits 4 saying only S3 or R2 can be the target."""
    zendesk_id = cli_vault.add(zendesk_data())

    done = cli_vault.run("export-target", "set", zendesk_id)
    assert done.returncode == EXIT_INVALID, done.stdout + done.stderr
    assert "only S3 or R2" in done.stderr
    assert "no default export target" in cli_vault.run("export-target", "show").stdout


def test_setup_twice_with_the_same_json_updates_the_first_integration(
    cli_vault: Cli, moto_url: str, bucket: str
) -> None:
    """Running setup --json twice with the same JSON keeps one integration: the second run
    updates it and says so."""
    cli_vault.endpoints = {"s3": moto_url}
    first = setup(cli_vault, s3_data(bucket, label="Exports"))
    assert first.returncode == EXIT_OK, first.stdout + first.stderr

    again = setup(cli_vault, s3_data(bucket, label="Exports"))
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    assert "already held this label, bucket and access key ID" in again.stdout
    (item,) = cli_vault.stored().values()
    assert item.label == "Exports"
    assert show(cli_vault)["id"] == item.id
