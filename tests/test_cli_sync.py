"""The `remote` and `sync` commands (and `delete`/`verify --remote`) run as a person would,
against the Integration API double on loopback."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, s3_data, zendesk_data
from tests.doubles.integration_api import IntegrationApiDouble

API_KEY = "sk-live-9Hq2Wc7Rt5Yn3Mb8Vx1Z"
HS_KEY = "hs-docs-key-4f9a2c"


@pytest.fixture
def double() -> Iterator[IntegrationApiDouble]:
    running = IntegrationApiDouble(api_key=API_KEY).start()
    yield running
    running.stop()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "api-key.txt"
    path.write_text(API_KEY + "\n", encoding="utf-8")
    return path


@pytest.fixture
def synced_cli(cli_vault: Cli, double: IntegrationApiDouble, key_file: Path) -> Cli:
    """A CLI whose vault is configured for the double."""
    ok(cli_vault.run("remote", "configure", "--url", double.url, "--api-key-file", str(key_file)))
    return cli_vault


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def helpscout_data(label: str = "Docs on Help Scout") -> dict:
    return {"label": label, "provider": "helpscout", "credentials": {"apiKey": HS_KEY}}


def shown(cli: Cli, item_id: str) -> dict[str, Any]:
    """`show --reveal --json`: every stored field, secrets in clear."""
    return json.loads(ok(cli.run("show", item_id, "--reveal", "--json")))


def contents(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("label", "platform", "provider", "credentials")}


def status(cli: Cli) -> dict[str, dict[str, Any]]:
    """`sync status --json`, by integration id."""
    return {row["id"]: row for row in json.loads(ok(cli.run("sync", "status", "--json")))}


def assert_mirrored(cli: Cli, double: IntegrationApiDouble, *ids: str) -> None:
    """Each is synced without error, and the server holds exactly the vault's contents."""
    rows = status(cli)
    for item_id in ids:
        row = rows[item_id]
        assert (row["state"], row["error"]) == ("synced", None)
        assert contents(double.records[row["remoteId"]]) == contents(shown(cli, item_id))


def remote_id(cli: Cli, item_id: str) -> str:
    found = status(cli)[item_id]["remoteId"]
    assert found is not None
    return str(found)


# -- remote configure / show / test ----------------------------------------------------


def test_configure_refuses_plain_http_to_another_host(cli_vault: Cli, key_file: Path) -> None:
    """`remote configure` with http://example.com is refused with a message and saves nothing."""
    done = cli_vault.run(
        "remote", "configure", "--url", "http://example.com", "--api-key-file", str(key_file)
    )
    assert done.returncode != 0
    assert "HTTPS" in done.stderr
    shown_after = cli_vault.run("remote", "show")
    assert shown_after.returncode != 0
    assert "not configured" in shown_after.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_configure_accepts_loopback_over_http(
    synced_cli: Cli, double: IntegrationApiDouble, key_file: Path, host: str
) -> None:
    """Plain http is accepted for 127.0.0.1 and localhost, and the API answers there."""
    url = double.url.replace("127.0.0.1", host)
    out = ok(synced_cli.run("remote", "configure", "--url", url, "--api-key-file", str(key_file)))
    assert "key kept inside the vault" in out
    assert f"url     {url}" in ok(synced_cli.run("remote", "show"))
    assert "connected" in ok(synced_cli.run("remote", "test"))


def test_api_key_is_stored_only_encrypted(synced_cli: Cli, double: IntegrationApiDouble) -> None:
    """After configuring, the key's bytes appear in no file next to the vault nor in any output."""
    outputs = [synced_cli.run("remote", "show"), synced_cli.run("remote", "test")]

    files = [
        p for p in synced_cli.vault.parent.rglob("*") if p.is_file() and p.name != "api-key.txt"
    ]
    assert synced_cli.vault in files
    for path in files:
        assert API_KEY.encode() not in path.read_bytes(), path
    for done in outputs:
        assert API_KEY not in done.stdout + done.stderr


def test_show_masks_the_key(synced_cli: Cli, double: IntegrationApiDouble) -> None:
    """`remote show` prints the URL and the default 'Authorization: Bearer' with the key masked."""
    out = ok(synced_cli.run("remote", "show"))

    assert out.splitlines() == [
        f"url     {double.url}",
        "header  Authorization: Bearer ••••••••Vx1Z",
    ]
    assert API_KEY not in out


def test_show_never_prints_a_short_key(cli_vault: Cli, tmp_path: Path) -> None:
    """`remote show` keeps even a short key hidden."""
    short = tmp_path / "short-key"
    short.write_text("k3y9", encoding="utf-8")
    configure = ("remote", "configure", "--url", "https://api.example.com")
    ok(cli_vault.run(*configure, "--api-key-file", str(short)))

    out = ok(cli_vault.run("remote", "show"))
    assert "https://api.example.com" in out
    assert "k3y9" not in out


def test_custom_header_and_empty_scheme_are_used(
    cli_vault: Cli, double: IntegrationApiDouble, key_file: Path
) -> None:
    """`--header X-Api-Key --scheme ''` sends the bare key in that header, which the API accepts."""
    double.header, double.scheme = "X-Api-Key", ""
    configure = ("remote", "configure", "--url", double.url, "--api-key-file", str(key_file))
    ok(cli_vault.run(*configure, "--header", "X-Api-Key", "--scheme", ""))

    assert "X-Api-Key:" in ok(cli_vault.run("remote", "show"))
    assert "connected" in ok(cli_vault.run("remote", "test"))


def test_key_can_come_from_the_environment(cli_vault: Cli, double: IntegrationApiDouble) -> None:
    """With no key file, the key is read from INTEGRATION_VAULT_API_KEY."""
    env = {"INTEGRATION_VAULT_API_KEY": API_KEY}
    ok(cli_vault.run("remote", "configure", "--url", double.url, env=env))

    assert "connected" in ok(cli_vault.run("remote", "test"))


def test_test_with_the_right_key_succeeds(synced_cli: Cli, double: IntegrationApiDouble) -> None:
    """`remote test` with a good key exits 0 and says it is connected, changing nothing."""
    out = ok(synced_cli.run("remote", "test"))

    assert out.strip() == "connected: the server answered and accepted the API key"
    assert [method for method, _ in double.calls] == ["GET"]
    assert double.records == {}


def test_test_with_a_wrong_key_names_the_api_key(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`remote test` with a key the server refuses fails with a message about the API key."""
    double.api_key = "rotated-key-0000"

    done = synced_cli.run("remote", "test")
    assert done.returncode != 0
    assert "API key" in done.stderr
    assert "connected" not in done.stdout
    assert API_KEY not in done.stdout + done.stderr


def test_push_to_an_unreachable_server_says_so(
    cli_vault: Cli, key_file: Path, closed_port_url: str
) -> None:
    """`sync push` to an address where nothing listens fails saying it cannot reach the server."""
    configure = ("remote", "configure", "--url", closed_port_url, "--api-key-file", str(key_file))
    ok(cli_vault.run(*configure))
    item_id = cli_vault.add(zendesk_data())

    done = cli_vault.run("sync", "push", item_id)
    assert done.returncode == 1
    assert f"FAIL Acme help center: error — cannot reach the server at {closed_port_url}" in (
        done.stdout
    )


def test_sync_without_remote_settings_says_how_to_configure(cli_vault: Cli) -> None:
    """`remote test` and `sync push` in an unconfigured vault explain how to configure it."""
    item_id = cli_vault.add(zendesk_data())

    for done in (cli_vault.run("remote", "test"), cli_vault.run("sync", "push", item_id)):
        assert done.returncode != 0
        assert "not configured: remote configure --url" in done.stderr


def test_secrets_stay_out_of_verbose_logs(
    synced_cli: Cli, double: IntegrationApiDouble, closed_port_url: str
) -> None:
    """With -v, neither the API key nor a pushed secret reaches the terminal or the log file."""
    synced_cli.endpoints = {"helpscout": closed_port_url}  # the local check stays on loopback
    item_id = synced_cli.add(helpscout_data())
    runs = [
        synced_cli.run("-v", "remote", "test"),
        synced_cli.run("-v", "sync", "push", item_id),
        synced_cli.run("-v", "verify", item_id, "--remote", "--timeout", "1"),
    ]
    double.fail_next("401")
    runs.append(synced_cli.run("-v", "remote", "test"))

    logs = [p for p in synced_cli.home.rglob("*.log*") if p.is_file()]
    assert logs
    for text in [done.stdout + done.stderr for done in runs] + [p.read_text() for p in logs]:
        assert API_KEY not in text
        assert HS_KEY not in text


# -- sync states -----------------------------------------------------------------------


def test_every_sync_state_is_shown_by_list_and_status(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """list, list --json, sync status and --json show local, synced, modified, conflict, error."""
    cli = synced_cli
    local = cli.add(zendesk_data(label="A local"))
    synced = cli.add(zendesk_data(label="B synced"))
    modified = cli.add(zendesk_data(label="C modified"))
    conflict = cli.add(zendesk_data(label="D conflict"))
    failed = cli.add(zendesk_data(label="E failed"))
    ok(cli.run("sync", "push", synced, modified, conflict))
    ok(cli.run("edit", modified, "--set", "subdomain=acme-eu"))
    ok(cli.run("edit", conflict, "--label", "D conflict (ours)"))
    double.edit_on_server(remote_id(cli, conflict), label="D conflict (theirs)")
    assert cli.run("sync", "push", conflict).returncode == 1
    double.fail_next("422")
    assert cli.run("sync", "push", failed).returncode == 1

    rows = status(cli)
    assert {i: rows[i]["state"] for i in rows} == {
        local: "local",
        synced: "synced",
        modified: "modified",
        conflict: "conflict",
        failed: "local",
    }
    reason = "the server rejected it: credentials.bucket: bucket is required"
    assert {i: rows[i]["error"] for i in rows} == {
        local: None,
        synced: None,
        modified: None,
        conflict: None,
        failed: reason,
    }
    assert rows[local]["remoteId"] is None and rows[failed]["remoteId"] is None
    assert rows[synced]["remoteId"] in double.records

    listed = {row["id"]: row["sync"] for row in json.loads(ok(cli.run("list", "--json")))}
    assert listed == {i: {k: rows[i][k] for k in ("state", "error", "remoteId")} for i in rows}

    expected = {
        local: "local only",
        synced: "synced",
        modified: "modified since sync",
        conflict: "conflict",
        failed: f"error: {reason}",
    }
    for command in (("sync", "status"), ("list",)):
        lines = ok(cli.run(*command)).splitlines()
        assert len(lines) == 5
        for item_id, display in expected.items():
            (line,) = [line for line in lines if line.startswith(item_id)]
            assert display in line


# -- push ------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", ["500", "drop_after"])
def test_push_all_survives_a_failure_midway_and_reruns_without_duplicates(
    synced_cli: Cli, double: IntegrationApiDouble, failure: str
) -> None:
    """A failure on the second create reports each outcome, loses nothing; a re-run adds no copy."""
    cli = synced_cli
    ids = [cli.add(zendesk_data()), cli.add(helpscout_data()), cli.add(s3_data("support-shots"))]
    before = {i: shown(cli, i) for i in ids}
    double.fail_next("pass", failure)

    done = cli.run("sync", "push", "--all")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert [line[:4] for line in lines] == ["ok  ", "FAIL", "ok  "]
    assert "Docs on Help Scout: error — " in lines[1]
    assert {i: shown(cli, i) for i in ids} == before
    rows = status(cli)
    assert rows[ids[1]]["state"] == "local"
    assert rows[ids[1]]["error"] in lines[1]

    rerun = cli.run("sync", "push", "--all")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "created" in rerun.stdout.splitlines()[1]
    assert len(double.records) == 3
    assert_mirrored(cli, double, *ids)


def test_push_json_prints_one_outcome_per_integration(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync push --json` prints one JSON line per integration, with its action and result."""
    ids = [synced_cli.add(zendesk_data()), synced_cli.add(helpscout_data())]
    double.fail_next("500")

    done = synced_cli.run("sync", "push", *ids, "--json")
    assert done.returncode == 1
    outcomes = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["id"], o["action"], o["ok"]) for o in outcomes] == [
        (ids[0], "error", False),
        (ids[1], "created", True),
    ]
    assert outcomes[0]["message"] == "the server failed (HTTP 500); try again later"


def test_push_of_an_edit_updates_the_server_record(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """After `edit`, `sync push ID` updates the same server record instead of adding one."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    first_remote = remote_id(synced_cli, item_id)
    ok(synced_cli.run("edit", item_id, "--label", "Acme EU", "--set", "subdomain=acme-eu"))

    out = ok(synced_cli.run("sync", "push", item_id))
    assert out.strip() == f"ok   Acme EU: updated — updated {first_remote}"
    assert ("PUT", "/integration") in double.calls
    assert list(double.records) == [first_remote]
    assert_mirrored(synced_cli, double, item_id)


def test_push_over_a_server_change_is_a_conflict(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync push` of an edit when the server changed too marks a conflict, overwriting nothing."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    rid = remote_id(synced_cli, item_id)
    double.edit_on_server(rid, label="Theirs")
    server_before = dict(double.records[rid])
    ok(synced_cli.run("edit", item_id, "--label", "Ours"))
    local_before = shown(synced_cli, item_id)

    done = synced_cli.run("sync", "push", item_id)
    assert done.returncode == 1
    assert "FAIL Ours: conflict — changed on the server since the last sync" in done.stdout
    assert double.records[rid] == server_before
    assert shown(synced_cli, item_id) == local_before
    assert status(synced_cli)[item_id]["state"] == "conflict"


@pytest.mark.parametrize("args", [(), ("--all", "ID")])
def test_push_needs_ids_or_all_but_not_both(
    synced_cli: Cli, double: IntegrationApiDouble, args: tuple[str, ...]
) -> None:
    """`sync push` with neither ids nor --all, or with both, is refused before sending anything."""
    item_id = synced_cli.add(zendesk_data())
    argv = [item_id if a == "ID" else a for a in args]

    done = synced_cli.run("sync", "push", *argv)
    assert done.returncode == 2
    assert "name the integrations to push, or use --all" in done.stderr
    assert double.calls == []


def test_push_with_an_unknown_id_sends_nothing(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync push` naming an unknown id fails before any integration is sent."""
    item_id = synced_cli.add(zendesk_data())

    done = synced_cli.run("sync", "push", item_id, "no-such-id")
    assert done.returncode == 2
    assert "no integration with id no-such-id" in done.stderr
    assert double.calls == []
    assert status(synced_cli)[item_id]["state"] == "local"


# -- pull and resolve ------------------------------------------------------------------


def test_pull_adds_a_server_record_to_the_vault(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync pull REMOTE_ID` of a record made elsewhere adds it as a synced integration."""
    donor = synced_cli.add(helpscout_data("Made elsewhere"))
    ok(synced_cli.run("sync", "push", donor))
    rid = remote_id(synced_cli, donor)
    ok(synced_cli.run("delete", donor))

    out = ok(synced_cli.run("sync", "pull", rid))
    assert out.strip() == f"ok   Made elsewhere: pulled — copied {rid} from the server"
    (row,) = status(synced_cli).values()
    assert row["remoteId"] == rid
    assert_mirrored(synced_cli, double, row["id"])
    assert shown(synced_cli, row["id"])["credentials"] == {"apiKey": HS_KEY}


def test_pull_updates_an_unedited_copy_and_flags_edits_on_both_sides(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync pull` updates a copy not edited here; when both sides changed it marks a conflict."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    rid = remote_id(synced_cli, item_id)

    double.edit_on_server(rid, label="Renamed on the server")
    ok(synced_cli.run("sync", "pull", rid))
    assert shown(synced_cli, item_id)["label"] == "Renamed on the server"
    assert_mirrored(synced_cli, double, item_id)

    double.edit_on_server(rid, label="Theirs")
    ok(synced_cli.run("edit", item_id, "--label", "Ours"))
    done = synced_cli.run("sync", "pull", rid)
    assert done.returncode == 1
    assert "conflict — changed on both sides" in done.stdout
    assert shown(synced_cli, item_id)["label"] == "Ours"
    assert double.records[rid]["label"] == "Theirs"
    assert status(synced_cli)[item_id]["state"] == "conflict"


def test_pull_of_an_unknown_remote_id_says_it_is_not_on_the_server(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync pull` of an id the server does not have says so and adds nothing."""
    done = synced_cli.run("sync", "pull", "0b8f4f4e-0000-4000-8000-000000000000")

    assert done.returncode != 0
    assert "the server has no integration with id" in done.stderr
    assert status(synced_cli) == {}


def test_failed_pull_leaves_the_local_copy_as_it_was(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """A pull answered with a page that is not the API's JSON changes nothing locally."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    rid = remote_id(synced_cli, item_id)
    double.edit_on_server(rid, label="Newer on the server")
    before, status_before = shown(synced_cli, item_id), status(synced_cli)
    double.fail_next("html")

    done = synced_cli.run("sync", "pull", rid)
    assert done.returncode != 0
    assert "not with JSON" in done.stderr
    assert "Traceback" not in done.stderr
    assert shown(synced_cli, item_id) == before
    assert status(synced_cli) == status_before


@pytest.mark.parametrize("keep", ["local", "remote"])
def test_resolve_keeps_the_chosen_side_on_both_ends(
    synced_cli: Cli, double: IntegrationApiDouble, keep: str
) -> None:
    """`sync resolve ID --keep local|remote` leaves the chosen version in the vault and the API."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    rid = remote_id(synced_cli, item_id)
    double.edit_on_server(rid, label="Theirs")
    ok(synced_cli.run("edit", item_id, "--label", "Ours", "--set", "username=ours@acme.test"))
    assert synced_cli.run("sync", "push", item_id).returncode == 1
    ours, theirs = contents(shown(synced_cli, item_id)), contents(double.records[rid])

    out = ok(synced_cli.run("sync", "resolve", item_id, "--keep", keep))
    assert f"kept {keep}" in out
    kept = ours if keep == "local" else theirs
    assert contents(shown(synced_cli, item_id)) == kept
    assert contents(double.records[rid]) == kept
    assert_mirrored(synced_cli, double, item_id)


def test_resolve_of_an_integration_without_conflict_is_refused(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`sync resolve` on an integration that is not in conflict says so."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))

    done = synced_cli.run("sync", "resolve", item_id, "--keep", "local")
    assert done.returncode != 0
    assert "has no conflict to resolve" in done.stderr


# -- delete and verify -----------------------------------------------------------------


def test_delete_with_remote_removes_the_server_record(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """`delete ID --remote` deletes the integration here and on the server."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))

    out = ok(synced_cli.run("delete", item_id, "--remote"))
    assert out.strip() == f"deleted here and on the server: {item_id}"
    assert double.records == {}
    assert status(synced_cli) == {}


def test_plain_delete_of_a_synced_integration_says_it_stays_on_the_server(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """A plain `delete` of a synced integration removes it here only and says it is still remote."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    rid = remote_id(synced_cli, item_id)

    out = ok(synced_cli.run("delete", item_id))
    assert "still on the remote API" in out
    assert "--remote" in out
    assert list(double.records) == [rid]
    assert status(synced_cli) == {}


def test_plain_delete_of_a_local_integration_mentions_no_server(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """Deleting an integration that was never pushed says nothing about the server."""
    item_id = synced_cli.add(zendesk_data())

    out = ok(synced_cli.run("delete", item_id))
    assert out.strip() == f"deleted {item_id}"
    assert double.calls == []


def test_failed_remote_delete_keeps_the_local_integration(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """When the server refuses `delete --remote`, the integration stays in the vault."""
    item_id = synced_cli.add(zendesk_data())
    ok(synced_cli.run("sync", "push", item_id))
    double.fail_next("403")

    done = synced_cli.run("delete", item_id, "--remote")
    assert done.returncode != 0
    assert "API key" in done.stderr
    assert_mirrored(synced_cli, double, item_id)


def test_verify_remote_prints_the_api_verdict_beside_the_local_result(
    synced_cli: Cli, double: IntegrationApiDouble, moto_url: str, bucket: str
) -> None:
    """`verify ID --remote` prints the local check, then the API's own verdict."""
    synced_cli.endpoints = {"s3": moto_url}
    item_id = synced_cli.add(s3_data(bucket))
    ok(synced_cli.run("sync", "push", item_id))

    lines = ok(synced_cli.run("verify", item_id, "--remote")).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ok   Screenshots on S3 (s3): ")
    assert lines[1] == "ok   Screenshots on S3 (remote API check): Connection successful"
    assert ("POST", "/integration/verify") in double.calls


def test_verify_remote_json_marks_the_remote_verdict(
    synced_cli: Cli, double: IntegrationApiDouble, moto_url: str, bucket: str
) -> None:
    """`verify ID --remote --json` prints the local result and a 'remote' line with the verdict."""
    synced_cli.endpoints = {"s3": moto_url}
    item_id = synced_cli.add(s3_data(bucket))
    ok(synced_cli.run("edit", item_id, "--set", "bucket=invalid-shots"))

    done = synced_cli.run("verify", item_id, "--remote", "--json")
    local_line, remote_line = (json.loads(line) for line in done.stdout.splitlines())
    assert local_line["id"] == remote_line["id"] == item_id
    assert "source" not in local_line
    assert remote_line["source"] == "remote"
    assert remote_line["ok"] is False
    assert "credentials rejected" in remote_line["message"]


# -- a whole scenario ------------------------------------------------------------------


def test_scenario_keeps_server_and_vault_consistent(
    synced_cli: Cli, double: IntegrationApiDouble
) -> None:
    """Push, edits on both sides, pull, conflict, resolve, a failing server and a delete."""
    cli = synced_cli
    zd, hs = cli.add(zendesk_data()), cli.add(helpscout_data())

    # Push both.
    ok(cli.run("sync", "push", "--all"))
    assert_mirrored(cli, double, zd, hs)
    zd_remote, hs_remote = remote_id(cli, zd), remote_id(cli, hs)

    # The server changes one; pull brings it in.
    double.edit_on_server(hs_remote, label="Docs (server edit)")
    ok(cli.run("sync", "pull", hs_remote))
    assert_mirrored(cli, double, hs)

    # Both sides change the other: conflict, then keep the server's version.
    ok(cli.run("edit", zd, "--label", "Acme (ours)"))
    double.edit_on_server(zd_remote, label="Acme (theirs)")
    assert cli.run("sync", "push", zd).returncode == 1
    assert shown(cli, zd)["label"] == "Acme (ours)"
    assert double.records[zd_remote]["label"] == "Acme (theirs)"
    ok(cli.run("sync", "resolve", zd, "--keep", "remote"))
    assert_mirrored(cli, double, zd)
    assert shown(cli, zd)["label"] == "Acme (theirs)"

    # A new integration while the server fails mid-push: nothing lost, nothing doubled.
    s3 = cli.add(s3_data("support-shots"))
    ok(cli.run("edit", hs, "--label", "Docs (edited)"))
    before = {i: shown(cli, i) for i in (zd, hs, s3)}
    double.fail_next("pass", "pass", "drop")  # hs: GET, PUT; then the create of s3 drops
    assert cli.run("sync", "push", "--all").returncode == 1
    assert {i: shown(cli, i) for i in (zd, hs, s3)} == before
    assert_mirrored(cli, double, hs)
    assert status(cli)[s3]["error"] == f"cannot reach the server at {double.url}"
    assert len(double.records) == 2
    ok(cli.run("sync", "push", "--all"))
    assert_mirrored(cli, double, zd, hs, s3)
    assert len(double.records) == 3

    # Delete one everywhere.
    ok(cli.run("delete", hs, "--remote"))
    assert hs_remote not in double.records
    assert set(status(cli)) == {zd, s3}
    assert_mirrored(cli, double, zd, s3)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"label": "Red \x1b[31malert"}, "label"),
        ({"credentials": {"apiKey": ""}}, "credentials.apiKey"),
    ],
)
def test_pull_of_a_record_that_fails_validation_is_a_failed_sync_step(
    synced_cli: Cli, double: IntegrationApiDouble, changes: dict[str, Any], field: str
) -> None:
    """`sync pull` of a server record with a bad field (a control character in the label, an
    empty key) exits 1 naming the field, and adds nothing."""
    donor = synced_cli.add(helpscout_data("Made elsewhere"))
    ok(synced_cli.run("sync", "push", donor))
    rid = remote_id(synced_cli, donor)
    ok(synced_cli.run("delete", donor))
    double.edit_on_server(rid, **changes)

    done = synced_cli.run("sync", "pull", rid)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{field}:" in done.stderr
    assert "\x1b" not in done.stderr
    assert status(synced_cli) == {}


@pytest.mark.parametrize("prefix", ["Bearer ", "basic ", "Token ", "Authorization: Bearer "])
def test_configure_refuses_a_key_with_its_scheme_in_front(
    cli_vault: Cli, double: IntegrationApiDouble, tmp_path: Path, prefix: str
) -> None:
    """An API key file holding 'Bearer <key>' is refused (exit 4) saying to give only the key;
    nothing is saved."""
    path = tmp_path / "prefixed-key.txt"
    path.write_text(prefix + API_KEY + "\n", encoding="utf-8")

    done = cli_vault.run("remote", "configure", "--url", double.url, "--api-key-file", str(path))
    assert done.returncode == 4, done.stdout + done.stderr
    assert "api key:" in done.stderr
    assert "only the key" in done.stderr
    assert API_KEY not in done.stdout + done.stderr
    assert "not configured" in cli_vault.run("remote", "show").stderr


def test_configure_with_an_empty_key_file_is_invalid_input(
    cli_vault: Cli, double: IntegrationApiDouble, tmp_path: Path
) -> None:
    """An empty --api-key-file exits 4 naming the api key."""
    path = tmp_path / "empty-key.txt"
    path.write_text("\n", encoding="utf-8")

    done = cli_vault.run("remote", "configure", "--url", double.url, "--api-key-file", str(path))
    assert done.returncode == 4, done.stdout + done.stderr
    assert "api key: must not be empty" in done.stderr


@pytest.mark.parametrize("url", ["notaurl", "ftp://127.0.0.1"])
def test_configure_with_a_url_that_is_not_a_web_address_is_invalid_input(
    cli_vault: Cli, key_file: Path, url: str
) -> None:
    """`remote configure --url` with something that is not http(s) exits 4 naming the url."""
    done = cli_vault.run("remote", "configure", "--url", url, "--api-key-file", str(key_file))
    assert done.returncode == 4, done.stdout + done.stderr
    assert "url:" in done.stderr
