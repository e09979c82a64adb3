"""Mirroring the vault to the remote Integration API (SyncService) against the API double.

After every step the server's records and the vault's integrations are compared, so a test
fails when either side drifts, is overwritten or gains a duplicate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from app import remote, timefmt
from app.errors import UserFacingError
from app.models import merge_credentials, parse_new
from app.remote import IntegrationApi, RemoteConfig, RemoteError
from app.sync import SyncService, wire_record
from app.vault import Vault
from tests.conftest import PASSWORD, ZENDESK_TOKEN, s3_data, zendesk_data
from tests.doubles.integration_api import IntegrationApiDouble

API_KEY = "sk-live-7Qv3Xr9TbW2mZp8Lk4Jd"
GONE_ID = "0b8f4f4e-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the retry back-off short so retried calls take milliseconds."""
    monkeypatch.setattr(remote, "RETRY_DELAYS_S", (0.01, 0.02, 0.03))


@pytest.fixture
def double() -> Iterator[IntegrationApiDouble]:
    running = IntegrationApiDouble(api_key=API_KEY, slow_s=1.5).start()
    yield running
    running.stop()


@pytest.fixture
def service(vault: Vault, double: IntegrationApiDouble) -> Iterator[SyncService]:
    """A sync service for a fresh vault whose remote settings point at the double."""
    vault.save_remote_config(RemoteConfig(double.url, SecretStr(API_KEY)))
    config = vault.remote_config()
    assert config is not None
    api = IntegrationApi(config, timeout_s=0.5)
    yield SyncService(vault, api)
    api.close()


def helpscout_data(api_key: str = "hs-docs-key-4f9a2c", label: str = "Docs on Help Scout") -> dict:
    return {"label": label, "provider": "helpscout", "credentials": {"apiKey": api_key}}


def add(vault: Vault, data: dict) -> str:
    return vault.add(parse_new(data)).id


def edit(vault: Vault, integration_id: str, label: str | None = None, **fields: str) -> None:
    current = vault.get(integration_id)
    credentials = merge_credentials(current.credentials, fields) if fields else None
    vault.update(integration_id, label=label, credentials=credentials)


def local(vault: Vault, integration_id: str) -> dict[str, Any]:
    """The integration as the API would store it: label, platform, provider, credentials."""
    return wire_record(vault.get(integration_id))


def revealed(vault: Vault, integration_id: str) -> dict[str, Any]:
    """Everything `show --reveal --json` shows of an integration, apart from its checks."""
    item = vault.get(integration_id)
    return {
        "id": item.id,
        **wire_record(item),
        "createdAt": timefmt.to_api(item.created_at),
        "updatedAt": timefmt.to_api(item.updated_at),
    }


def on_server(double: IntegrationApiDouble, remote_id: str) -> dict[str, Any]:
    record = double.records[remote_id]
    return {k: record[k] for k in ("label", "platform", "provider", "credentials")}


def state(vault: Vault, integration_id: str) -> str:
    return vault.sync_info(integration_id)[0]


def remote_id_of(vault: Vault, integration_id: str) -> str:
    remote_id = vault.sync_info(integration_id)[1]
    assert remote_id is not None
    return remote_id


def assert_mirrored(vault: Vault, double: IntegrationApiDouble, integration_id: str) -> None:
    """Synced, with the same contents on both sides and the server's updatedAt remembered."""
    sync_state, remote_id, seen = vault.sync_info(integration_id)
    assert sync_state == "synced"
    assert vault.row(integration_id).sync_error is None
    assert remote_id in double.records
    assert on_server(double, remote_id) == local(vault, integration_id)
    assert timefmt.to_api(seen) == double.records[remote_id]["updatedAt"]


def pushed(service: SyncService, *ids: str) -> dict[str, str]:
    """Push and return each integration's action."""
    return {o.integration_id or "": o.action for o in service.push(list(ids))}


def wire_record_of(data: dict) -> dict[str, Any]:
    """The body the API stores for `add --json` input."""
    new = parse_new(data)
    return {
        "label": new.label,
        "platform": new.platform,
        "provider": new.provider,
        "credentials": new.credentials.to_wire(),
    }


def wait_for(condition: Any, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.02)


# -- settings --------------------------------------------------------------------------


def test_remote_settings_are_kept_inside_the_encrypted_vault(vault: Vault, tmp_path: Path) -> None:
    """URL, key, header and scheme survive a reopen, and the key's bytes are in no file."""
    config = RemoteConfig("https://api.example.com/v2", SecretStr(API_KEY), "X-Api-Key", "Token")
    vault.save_remote_config(config)
    vault.close()

    files = [p for p in vault.path.parent.iterdir() if p.is_file()]
    assert vault.path in files
    for path in files:
        assert API_KEY.encode() not in path.read_bytes()
        assert b"api.example.com" not in path.read_bytes()
    with Vault.open(vault.path, PASSWORD) as reopened:
        assert reopened.remote_config() == config


def test_vault_without_remote_settings_has_no_config(vault: Vault) -> None:
    """A vault never configured for the remote API says so rather than inventing settings."""
    assert vault.remote_config() is None


def test_scheme_can_be_left_empty(vault: Vault, double: IntegrationApiDouble) -> None:
    """A header without a scheme ('X-Api-Key: KEY') is kept and used as such."""
    double.header, double.scheme = "X-Api-Key", ""
    vault.save_remote_config(RemoteConfig(double.url, SecretStr(API_KEY), "X-Api-Key", ""))

    config = vault.remote_config()
    assert config is not None
    assert config.auth_header() == {"X-Api-Key": API_KEY}
    assert "connected" in IntegrationApi(config, timeout_s=0.5).test()


# -- states and push -------------------------------------------------------------------


def test_new_integration_is_local_only(vault: Vault) -> None:
    """An integration never pushed is 'local only', with no remote id."""
    item_id = add(vault, zendesk_data())

    assert vault.sync_info(item_id) == ("local", None, None)
    assert vault.row(item_id).sync_display == "local only"


def test_push_creates_and_remembers_remote_id_and_updated_at(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """A first push creates the record on the server; the vault remembers its id and updatedAt."""
    item_id = add(vault, zendesk_data())

    (outcome,) = service.push([item_id])
    assert (outcome.action, outcome.ok) == ("created", True)
    assert double.calls == [("POST", "/integration")]
    assert_mirrored(vault, double, item_id)
    assert outcome.message == f"created as {remote_id_of(vault, item_id)}"


def test_edit_after_sync_is_modified_and_next_push_updates(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Editing a synced integration marks it modified; the next push sends an update (PUT)."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)

    edit(vault, item_id, label="Acme support (EU)", subdomain="acme-eu")
    assert state(vault, item_id) == "modified"
    assert vault.row(item_id).sync_display == "modified since sync"
    assert on_server(double, remote_id)["label"] == "Acme help center"

    double.calls.clear()
    assert pushed(service, item_id) == {item_id: "updated"}
    assert double.calls == [("GET", f"/integration/{remote_id}"), ("PUT", "/integration")]
    assert remote_id_of(vault, item_id) == remote_id
    assert_mirrored(vault, double, item_id)
    assert len(double.records) == 1


def test_unchanged_synced_integration_is_not_sent_again(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Pushing an integration with no local changes sends nothing."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.calls.clear()

    assert pushed(service, item_id) == {item_id: "up to date"}
    assert double.calls == []


def test_push_over_a_newer_server_record_is_a_conflict_and_overwrites_nothing(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """When the server changed since the last sync, a push marks a conflict, sending no update."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)
    double.edit_on_server(remote_id, label="Renamed by a colleague")
    server_before = dict(double.records[remote_id])
    edit(vault, item_id, label="Renamed here")
    local_before = revealed(vault, item_id)

    (outcome,) = service.push([item_id])
    assert (outcome.action, outcome.ok) == ("conflict", False)
    assert ("PUT", "/integration") not in double.calls
    assert double.records[remote_id] == server_before
    assert revealed(vault, item_id) == local_before
    assert state(vault, item_id) == "conflict"
    assert vault.row(item_id).sync_display == "conflict"
    assert vault.conflict_remote(item_id) == server_before


def test_integration_in_conflict_is_not_pushed(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """A push refuses an integration in conflict until the person resolves it."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.edit_on_server(remote_id_of(vault, item_id), label="Theirs")
    edit(vault, item_id, label="Ours")
    service.push([item_id])
    double.calls.clear()

    (outcome,) = service.push([item_id])
    assert not outcome.ok
    assert "resolve" in outcome.message
    assert double.calls == []
    assert on_server(double, remote_id_of(vault, item_id))["label"] == "Theirs"


def test_failed_push_shows_error_with_reason(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """A push the server rejects leaves the integration local only, showing the server's reason."""
    item_id = add(vault, zendesk_data())
    double.fail_next("422")

    (outcome,) = service.push([item_id])
    assert not outcome.ok
    assert "credentials.bucket: bucket is required" in outcome.message
    row = vault.row(item_id)
    assert (row.sync_state, row.remote_id) == ("local", None)
    assert (
        row.sync_display == "error: the server rejected it: credentials.bucket: bucket is required"
    )
    assert double.records == {}


def test_successful_push_clears_an_earlier_error(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """After a failed push, a successful one clears the error note."""
    item_id = add(vault, zendesk_data())
    double.fail_next("500")
    service.push([item_id])
    assert vault.row(item_id).sync_error == "the server failed (HTTP 500); try again later"

    service.push([item_id])
    assert_mirrored(vault, double, item_id)


def test_push_of_a_record_deleted_on_the_server_makes_it_local_only(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Pushing an edit whose server record is gone keeps the edit, says so, and re-creates later."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.records.clear()
    edit(vault, item_id, label="Still wanted")
    before = revealed(vault, item_id)

    (outcome,) = service.push([item_id])
    assert not outcome.ok
    assert "no longer on the server" in outcome.message
    assert revealed(vault, item_id) == before
    assert vault.sync_info(item_id) == ("local", None, None)

    assert pushed(service, item_id) == {item_id: "created"}
    assert_mirrored(vault, double, item_id)


# -- pull ------------------------------------------------------------------------------


def test_pull_of_an_unknown_record_adds_it_locally(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Pulling a server record not in the vault adds it as a new, synced integration."""
    stamp = service.api.create(wire_record_of(zendesk_data("globex", "Globex help center")))

    outcome = service.pull(stamp.id)
    assert (outcome.action, outcome.ok) == ("pulled", True)
    assert outcome.integration_id is not None
    assert outcome.integration_id != stamp.id
    assert_mirrored(vault, double, outcome.integration_id)
    assert len(vault.ids()) == 1


def test_pull_updates_an_unmodified_local_copy(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Pulling a record changed on the server updates the local copy that was not edited."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)
    credentials = {**double.records[remote_id]["credentials"], "subdomain": "acme-new"}
    double.edit_on_server(remote_id, label="Moved help center", credentials=credentials)

    outcome = service.pull(remote_id)
    assert (outcome.integration_id, outcome.action) == (item_id, "pulled")
    assert local(vault, item_id)["credentials"]["subdomain"] == "acme-new"
    assert_mirrored(vault, double, item_id)
    assert vault.ids() == [item_id]


def test_pull_keeps_a_local_edit_when_the_server_has_nothing_newer(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Pulling a record unchanged on the server keeps the local edit, still to be pushed."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    edit(vault, item_id, label="Local edit")
    before = revealed(vault, item_id)

    outcome = service.pull(remote_id_of(vault, item_id))
    assert outcome.action == "kept local"
    assert revealed(vault, item_id) == before
    assert state(vault, item_id) == "modified"


def test_pull_of_a_record_changed_on_both_sides_is_a_conflict(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Pulling a record changed on the server and locally marks a conflict and keeps both sides."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)
    double.edit_on_server(remote_id, label="Theirs")
    edit(vault, item_id, label="Ours")
    before = revealed(vault, item_id)

    outcome = service.pull(remote_id)
    assert (outcome.action, outcome.ok) == ("conflict", False)
    assert revealed(vault, item_id) == before
    assert on_server(double, remote_id)["label"] == "Theirs"
    assert state(vault, item_id) == "conflict"
    assert vault.conflict_remote(item_id) == double.records[remote_id]


def test_pull_of_a_record_not_on_the_server_says_so(vault: Vault, service: SyncService) -> None:
    """Pulling an id the server does not know says it is not on the server and adds nothing."""
    with pytest.raises(RemoteError, match=f"the server has no integration with id {GONE_ID}"):
        service.pull(GONE_ID)
    assert vault.ids() == []


def test_pull_of_a_record_invalid_here_adds_nothing(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """A server record this app cannot accept is refused with the reason, and nothing is added."""
    double.records["bad"] = {
        "id": "bad",
        "label": "Half a Zendesk",
        "platform": "helpcenter",
        "provider": "zendesk",
        "credentials": {"subdomain": "acme"},
        "createdAt": double.now(),
        "updatedAt": double.now(),
    }

    with pytest.raises(UserFacingError, match=r"not valid here: .*credentials\.token"):
        service.pull("bad")
    assert vault.ids() == []


# -- resolve ---------------------------------------------------------------------------


def conflicted(vault: Vault, double: IntegrationApiDouble, service: SyncService) -> str:
    """An integration changed on both sides and marked in conflict by a push."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.edit_on_server(remote_id_of(vault, item_id), label="Theirs")
    edit(vault, item_id, label="Ours", username="ours@acme.test")
    assert pushed(service, item_id) == {item_id: "conflict"}
    return item_id


def test_resolve_keeping_local_sends_the_local_version(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Keeping the local side puts the local version on the server and ends the conflict."""
    item_id = conflicted(vault, double, service)
    before = revealed(vault, item_id)

    outcome = service.resolve(item_id, "local")
    assert (outcome.action, outcome.ok) == ("kept local", True)
    assert revealed(vault, item_id) == before
    assert on_server(double, remote_id_of(vault, item_id))["label"] == "Ours"
    assert_mirrored(vault, double, item_id)
    assert vault.conflict_remote(item_id) is None


def test_resolve_keeping_remote_takes_the_server_version(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Keeping the remote side replaces the local version with the server's, changing no server."""
    item_id = conflicted(vault, double, service)
    remote_id = remote_id_of(vault, item_id)
    server_before = dict(double.records[remote_id])
    double.calls.clear()

    outcome = service.resolve(item_id, "remote")
    assert (outcome.action, outcome.ok) == ("kept remote", True)
    assert double.records[remote_id] == server_before
    assert ("PUT", "/integration") not in double.calls
    assert local(vault, item_id)["label"] == "Theirs"
    assert local(vault, item_id)["credentials"]["username"] == "agent@acme.test"
    assert_mirrored(vault, double, item_id)


def test_resolve_keeping_local_after_another_server_change_asks_again(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """If the server changed again since the conflict was shown, keeping local overwrites none."""
    item_id = conflicted(vault, double, service)
    remote_id = remote_id_of(vault, item_id)
    double.edit_on_server(remote_id, label="Theirs, second edit")
    server_before = dict(double.records[remote_id])

    outcome = service.resolve(item_id, "local")
    assert (outcome.action, outcome.ok) == ("conflict", False)
    assert double.records[remote_id] == server_before
    assert vault.conflict_remote(item_id) == server_before
    assert local(vault, item_id)["label"] == "Ours"


def test_resolve_without_a_conflict_is_refused(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Resolving an integration that is not in conflict says so and changes nothing."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.calls.clear()

    with pytest.raises(UserFacingError, match="no conflict to resolve"):
        service.resolve(item_id, "local")
    assert double.calls == []
    assert_mirrored(vault, double, item_id)


def test_failed_resolve_keeps_both_sides(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """When the server fails while keeping local, the conflict and both versions stay."""
    item_id = conflicted(vault, double, service)
    remote_id = remote_id_of(vault, item_id)
    server_before = dict(double.records[remote_id])
    local_before = revealed(vault, item_id)
    double.fail_next("pass", *["500"] * (len(remote.RETRY_DELAYS_S) + 1))

    with pytest.raises(RemoteError, match="HTTP 500"):
        service.resolve(item_id, "local")
    assert double.records[remote_id] == server_before
    assert revealed(vault, item_id) == local_before
    assert state(vault, item_id) == "conflict"


def test_resolve_keeping_local_when_the_server_record_is_gone(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Keeping local when the server record was deleted meanwhile keeps the local version usable."""
    item_id = conflicted(vault, double, service)
    double.records.clear()
    before = revealed(vault, item_id)

    service.resolve(item_id, "local")
    assert revealed(vault, item_id) == before
    assert state(vault, item_id) != "conflict"


# -- delete and remote verify ----------------------------------------------------------


def test_delete_with_remote_removes_both_copies(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Deleting with 'remote' removes the server record and the local one."""
    keep_id, gone_id = add(vault, zendesk_data()), add(vault, helpscout_data())
    service.push([keep_id, gone_id])
    gone_remote = remote_id_of(vault, gone_id)

    outcome = service.delete(gone_id, remote=True)
    assert outcome.message == "deleted here and on the server"
    assert gone_remote not in double.records
    assert vault.ids() == [keep_id]
    assert_mirrored(vault, double, keep_id)
    assert len(double.records) == 1


def test_plain_delete_of_a_synced_integration_leaves_the_server_copy(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Deleting only locally says the record is still on the server, and it is."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)

    outcome = service.delete(item_id, remote=False)
    assert outcome.message == "deleted locally; it is still on the server"
    assert vault.ids() == []
    assert remote_id in double.records
    assert ("DELETE", f"/integration/{remote_id}") not in double.calls


def test_failed_remote_delete_keeps_the_local_copy(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """When the server refuses the delete, the local integration stays, as does the server's."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.fail_next("401")

    with pytest.raises(RemoteError, match="API key"):
        service.delete(item_id, remote=True)
    assert vault.ids() == [item_id]
    assert_mirrored(vault, double, item_id)


def test_remote_delete_of_a_record_already_gone_deletes_locally(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Deleting with 'remote' a record already gone from the server still deletes it locally."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.records.clear()

    outcome = service.delete(item_id, remote=True)
    assert "already gone from the server" in outcome.message
    assert vault.ids() == []


def test_remote_verify_of_a_synced_integration_asks_by_id(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """The API's verdict on a synced integration is shown and kept apart from local checks."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])

    result = service.verify_remote(item_id)
    assert (result.ok, result.message) == (True, "Connection successful")
    assert [c.message for c in vault.history(item_id, source="remote")] == [result.message]
    assert vault.history(item_id) == []


def test_remote_verify_of_a_modified_integration_checks_the_local_values(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """After a local edit, the API checks the edited credentials, not its older stored copy."""
    item_id = add(vault, helpscout_data())
    service.push([item_id])
    edit(vault, item_id, apiKey="invalid-key-pasted")

    result = service.verify_remote(item_id)
    assert not result.ok
    assert "credentials rejected" in result.message
    assert on_server(double, remote_id_of(vault, item_id))["credentials"]["apiKey"] == (
        "hs-docs-key-4f9a2c"
    )


def test_remote_verify_failure_is_a_failed_check_not_a_crash(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """When the API cannot answer, the remote check fails with the reason."""
    item_id = add(vault, zendesk_data())
    double.fail_next("500")

    result = service.verify_remote(item_id)
    assert not result.ok
    assert result.message == (
        "the remote check could not run: the server failed (HTTP 500); try again later"
    )


# -- nothing lost ----------------------------------------------------------------------


@pytest.mark.parametrize("failure", ["500", "drop", "422", "slow", "html", "401"])
def test_failure_mid_push_leaves_every_local_integration_as_it_was(
    vault: Vault, double: IntegrationApiDouble, service: SyncService, failure: str
) -> None:
    """A failure on the second of three creates changes no local data and reports each outcome."""
    ids = [
        add(vault, zendesk_data()),
        add(vault, helpscout_data()),
        add(vault, s3_data("support-shots")),
    ]
    before = {i: revealed(vault, i) for i in ids}
    double.fail_next("pass", failure)

    outcomes = service.push(ids)
    assert [o.integration_id for o in outcomes] == ids
    assert [o.ok for o in outcomes] == [True, False, True]
    assert {i: revealed(vault, i) for i in ids} == before
    assert vault.row(ids[1]).sync_state == "local"
    assert vault.row(ids[1]).sync_error == outcomes[1].message
    assert_mirrored(vault, double, ids[0])
    assert_mirrored(vault, double, ids[2])


@pytest.mark.parametrize("failure", ["500", "drop", "drop_after", "slow", "422"])
def test_push_all_can_be_rerun_after_a_failure_without_duplicates(
    vault: Vault, double: IntegrationApiDouble, service: SyncService, failure: str
) -> None:
    """Re-running a push that failed midway, even once the server kept the record, adds no copy."""
    ids = [
        add(vault, zendesk_data()),
        add(vault, helpscout_data()),
        add(vault, s3_data("support-shots")),
    ]
    double.fail_next("pass", failure)
    service.push(ids)
    if failure == "slow":
        wait_for(lambda: len(double.records) == 3)

    again = {o.integration_id: o.action for o in service.push(ids)}
    assert again[ids[0]] == again[ids[2]] == "up to date"
    assert again[ids[1]] == "created"
    assert len(double.records) == 3
    for item_id in ids:
        assert_mirrored(vault, double, item_id)
    assert len({remote_id_of(vault, i) for i in ids}) == 3


def test_edit_between_a_lost_create_answer_and_the_retry_adds_no_copy(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Fixing a typo after a push whose answer was lost, then pushing again, leaves one record."""
    item_id = add(vault, zendesk_data())
    double.fail_next("drop_after")
    assert pushed(service, item_id) == {item_id: "error"}
    assert len(double.records) == 1
    edit(vault, item_id, label="Acme help centre")

    service.push([item_id])
    assert len(double.records) == 1
    assert_mirrored(vault, double, item_id)


def test_an_update_whose_answer_was_lost_is_not_taken_for_a_conflict(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """When the server stored our update but its answer never came, the re-run says synced."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    edit(vault, item_id, label="Acme help centre")
    double.fail_next("pass", *["drop_after"] * 4)  # the fetch passes; each PUT lands, unanswered
    assert pushed(service, item_id) == {item_id: "error"}

    assert pushed(service, item_id) == {item_id: "up to date"}
    assert state(vault, item_id) == "synced"
    assert_mirrored(vault, double, item_id)


def test_remote_delete_whose_answer_is_lost_still_completes(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """A remote delete whose answer is lost is retried, finds the record gone and deletes here."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    double.fail_next("drop_after")

    outcome = service.delete(item_id, remote=True)
    assert "already gone from the server" in outcome.message
    assert double.records == {}
    assert vault.ids() == []


@pytest.mark.parametrize(
    "failures",
    [
        ["pass"] + ["500"] * 4,  # the update fails on every retry
        ["drop"] * 4,  # the fetch before the update never gets an answer
        ["pass", "422"],  # the server rejects the update
        ["401"],  # the key was revoked
    ],
)
def test_failed_update_keeps_the_local_edit_and_the_server_copy(
    vault: Vault, double: IntegrationApiDouble, service: SyncService, failures: list[str]
) -> None:
    """An update that fails keeps the local edit pending and the server record untouched."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)
    server_before = dict(double.records[remote_id])
    edit(vault, item_id, label="Edited offline", token="n3wT0kenValue000000000000000000000000000")
    before = revealed(vault, item_id)
    double.fail_next(*failures)

    (outcome,) = service.push([item_id])
    assert not outcome.ok
    assert revealed(vault, item_id) == before
    assert state(vault, item_id) == "modified"
    assert vault.row(item_id).sync_error == outcome.message
    assert double.records[remote_id] == server_before

    assert pushed(service, item_id) == {item_id: "updated"}
    assert_mirrored(vault, double, item_id)


@pytest.mark.parametrize("failure", ["500", "drop", "html", "list", "incomplete", "401"])
def test_failed_pull_changes_nothing_locally(
    vault: Vault, double: IntegrationApiDouble, service: SyncService, failure: str
) -> None:
    """A pull that fails at any point leaves the local copy exactly as it was."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    remote_id = remote_id_of(vault, item_id)
    double.edit_on_server(remote_id, label="Newer on the server")
    before = revealed(vault, item_id)
    info_before = vault.sync_info(item_id)
    double.fail_next(*[failure] * (len(remote.RETRY_DELAYS_S) + 1))

    with pytest.raises(RemoteError):
        service.pull(remote_id)
    assert revealed(vault, item_id) == before
    assert vault.sync_info(item_id) == info_before
    assert vault.ids() == [item_id]


def test_edit_saved_while_a_push_is_under_way_is_still_sent(
    vault: Vault, vault_path: Path, double: IntegrationApiDouble, service: SyncService
) -> None:
    """An edit saved while a push waits for the server stays pending and reaches the server."""
    item_id = add(vault, zendesk_data())
    service.push([item_id])
    edit(vault, item_id, label="First edit")
    double.slow_s = 1.0
    double.fail_next("pass", "slow")  # the fetch answers at once, the update after 1 s
    config = vault.remote_config()
    assert config is not None

    def push_elsewhere() -> None:
        with Vault.open(vault_path, PASSWORD) as other:
            SyncService(other, IntegrationApi(config, timeout_s=5)).push([item_id])

    worker = threading.Thread(target=push_elsewhere)
    worker.start()
    wait_for(lambda: ("PUT", "/integration") in double.calls)
    edit(vault, item_id, label="Second edit")
    worker.join()

    assert state(vault, item_id) == "modified"
    service.push([item_id])
    assert on_server(double, remote_id_of(vault, item_id))["label"] == "Second edit"


# -- a whole scenario ------------------------------------------------------------------


def test_scenario_keeps_server_and_vault_consistent_at_every_step(
    vault: Vault, double: IntegrationApiDouble, service: SyncService
) -> None:
    """Push, edits on both sides, pull, conflict, resolve, a failing server and deletes."""
    zd, hs, s3 = (
        add(vault, zendesk_data()),
        add(vault, helpscout_data()),
        add(vault, s3_data("support-shots")),
    )

    # Push everything.
    assert pushed(service, zd, hs, s3) == {zd: "created", hs: "created", s3: "created"}
    for item_id in (zd, hs, s3):
        assert_mirrored(vault, double, item_id)
    zd_remote, hs_remote, s3_remote = (remote_id_of(vault, i) for i in (zd, hs, s3))

    # A local edit and a server edit on different integrations.
    edit(vault, zd, label="Acme (local edit)")
    double.edit_on_server(hs_remote, label="Docs (server edit)")
    assert pushed(service, zd, hs, s3) == {zd: "updated", hs: "up to date", s3: "up to date"}
    assert_mirrored(vault, double, zd)
    assert local(vault, hs)["label"] == "Docs on Help Scout"
    assert on_server(double, hs_remote)["label"] == "Docs (server edit)"

    # Pull brings the server edit in.
    assert service.pull(hs_remote).action == "pulled"
    assert_mirrored(vault, double, hs)

    # Both sides change the same integration: conflict, then keep the local side.
    edit(vault, hs, label="Docs (ours)")
    double.edit_on_server(hs_remote, label="Docs (theirs)")
    assert service.pull(hs_remote).action == "conflict"
    assert local(vault, hs)["label"] == "Docs (ours)"
    assert on_server(double, hs_remote)["label"] == "Docs (theirs)"
    assert pushed(service, hs) == {hs: "conflict"}
    assert on_server(double, hs_remote)["label"] == "Docs (theirs)"
    assert service.resolve(hs, "local").action == "kept local"
    assert_mirrored(vault, double, hs)

    # The server fails in the middle of a push of two edits.
    edit(vault, zd, token="n3wT0kenValue000000000000000000000000000")
    edit(vault, s3, label="Screens (edited)")
    zd_before, s3_server_before = revealed(vault, zd), dict(double.records[s3_remote])
    double.fail_next("pass", "pass", "pass", *["500"] * 4)  # zd: GET, PUT; s3: GET, then PUTs fail
    assert pushed(service, zd, s3) == {zd: "updated", s3: "error"}
    assert_mirrored(vault, double, zd)
    assert on_server(double, zd_remote)["credentials"]["token"] != ZENDESK_TOKEN
    assert revealed(vault, zd)["label"] == zd_before["label"]
    assert double.records[s3_remote] == s3_server_before
    assert local(vault, s3)["label"] == "Screens (edited)"
    assert state(vault, s3) == "modified"
    assert pushed(service, zd, hs, s3) == {zd: "up to date", hs: "up to date", s3: "updated"}
    for item_id in (zd, hs, s3):
        assert_mirrored(vault, double, item_id)
    assert len(double.records) == 3

    # Delete one everywhere and one only here.
    service.delete(zd, remote=True)
    service.delete(s3, remote=False)
    assert vault.ids() == [hs]
    assert set(double.records) == {hs_remote, s3_remote}
    assert_mirrored(vault, double, hs)
