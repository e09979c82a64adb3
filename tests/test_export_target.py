"""Setting up the default export target step by step, against moto servers on loopback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests
from pydantic import SecretStr
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from app.default_target import (
    clear_default_target,
    default_target,
    default_target_id,
    set_default_target,
    stored_jurisdiction,
)
from app.endpoints import endpoint_overrides
from app.errors import UserFacingError
from app.export_steps import StepId, StepReport, StepStatus, TargetForm
from app.export_target import ExportTargetSetup, form_for
from app.models import parse_new
from app.remote import RemoteConfig
from app.vault import Vault
from providers.r2 import endpoint_for
from providers.storage import PROBE_PREFIX
from tests.conftest import (
    R2_ACCOUNT,
    R2_SECRET,
    S3_SECRET,
    admin_client,
    free_port,
    r2_data,
    s3_data,
    zendesk_data,
)
from tests.doubles.integration_api import IntegrationApiDouble

NETWORK = [StepId.OFFLINE, StepId.CREDENTIALS, StepId.BUCKET, StepId.REGION]
PROBE = [StepId.WRITE, StepId.READ, StepId.DELETE]


def probe_objects(client: Any, bucket: str) -> list[str]:
    """Every object the setup may have left under the probe prefix."""
    listing = client.list_objects_v2(Bucket=bucket, Prefix=PROBE_PREFIX)
    return [item["Key"] for item in listing.get("Contents", [])]


def statuses(reports: tuple[StepReport, ...] | list[StepReport]) -> dict[str, str]:
    return {r.step.value: r.status.value for r in reports}


def setup_for(data: dict, endpoints: dict[str, str], **options: Any) -> ExportTargetSetup:
    return ExportTargetSetup(
        TargetForm.from_json(data), endpoints=endpoints, timeout_s=5.0, **options
    )


# -- moto servers in their own processes -----------------------------------------------


@contextmanager
def moto_process() -> Iterator[str]:
    """A moto server in a child process: its buckets are apart from the session server's."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    child = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{url}/moto-api/data.json", timeout=0.5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        child.terminate()
        child.wait(timeout=10)


@pytest.fixture(scope="module")
def eu_url() -> Iterator[str]:
    """A second S3 server playing the part of R2's EU jurisdiction endpoint."""
    with moto_process() as url:
        yield url


@dataclass(frozen=True)
class Key:
    key_id: str
    secret: str


@dataclass(frozen=True)
class LockedServer:
    """A moto server that checks signatures and IAM policies, with keys of known rights."""

    url: str
    bucket: str
    admin: Key  # s3:* (to look inside the bucket afterwards)
    no_put: Key  # may list, read and delete, and is explicitly denied PutObject
    no_get: Key  # may list, write and delete, but not read

    def admin_client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id=self.admin.key_id,
            aws_secret_access_key=self.admin.secret,
        )


def _user_with_policy(iam: Any, name: str, statements: list[dict]) -> Key:
    iam.create_user(UserName=name)
    policy = {"Version": "2012-10-17", "Statement": statements}
    iam.put_user_policy(UserName=name, PolicyName=name, PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return Key(key["AccessKeyId"], key["SecretAccessKey"])


@contextmanager
def locked_moto() -> Iterator[LockedServer]:
    """Users and a bucket made with auth off; then ``/moto-api/reset-auth`` 0 turns it on."""
    with moto_process() as url:
        setup = {
            "endpoint_url": url,
            "region_name": "us-east-1",
            "aws_access_key_id": "setup",
            "aws_secret_access_key": "setup",
        }
        name = f"locked-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", **setup).create_bucket(Bucket=name)
        iam = boto3.client("iam", **setup)
        bucket_arns = [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]

        def allow(*actions: str) -> dict:
            # moto authorises HeadBucket as s3:HeadBucket; AWS counts it as s3:ListBucket.
            listing = ["s3:ListBucket", "s3:HeadBucket"]
            return {"Effect": "Allow", "Action": [*listing, *actions], "Resource": bucket_arns}

        admin = _user_with_policy(
            iam, "admin", [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
        )
        no_put = _user_with_policy(
            iam,
            "no-put",
            [
                allow("s3:GetObject", "s3:DeleteObject"),
                {"Effect": "Deny", "Action": "s3:PutObject", "Resource": bucket_arns},
            ],
        )
        no_get = _user_with_policy(iam, "no-get", [allow("s3:PutObject", "s3:DeleteObject")])
        requests.post(f"{url}/moto-api/reset-auth", data=b"0", timeout=5).raise_for_status()
        yield LockedServer(url, name, admin, no_put, no_get)


@pytest.fixture(scope="module")
def locked_server() -> Iterator[LockedServer]:
    with locked_moto() as server:
        yield server


def locked_data(server: LockedServer, key: Key) -> dict:
    data = s3_data(server.bucket, label="Locked bucket")
    data["credentials"].update(accessKeyId=key.key_id, secretAccessKey=key.secret)
    return data


# -- a double for the one call that must go wrong: reading the probe back ---------------


class TamperingProxy:
    """Passes every request on to moto, but answers a GET of a probe object with other bytes."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def _handle(self, request: Request) -> Response:
        if request.method == "GET" and PROBE_PREFIX in request.path:
            return Response(b"changed on the way\n", status=200, content_type="text/plain")
        query = request.query_string.decode()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        answer = requests.request(
            request.method,
            f"{self.upstream}{request.path}" + (f"?{query}" if query else ""),
            headers=headers,
            data=request.get_data(),
            allow_redirects=False,
            timeout=10,
        )
        dropped = {"content-length", "transfer-encoding", "connection", "content-encoding"}
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in dropped]
        return Response(answer.content, status=answer.status_code, headers=kept)


@pytest.fixture
def tampering_proxy(moto_url: str) -> Iterator[TamperingProxy]:
    proxy = TamperingProxy(moto_url)
    proxy.server.start()
    yield proxy
    proxy.server.clear()
    proxy.server.stop()


# -- every step passes -----------------------------------------------------------------


def test_present_bucket_passes_every_step_and_becomes_the_default(
    vault: Vault, moto_url: str, bucket: str, s3_admin: Any
) -> None:
    """A present bucket passes each step in order; it is saved, default, and no probe is left."""
    seen: list[StepReport] = []
    setup = setup_for(s3_data(bucket), {"s3": moto_url})

    result = setup.run(vault, on_step=seen.append)

    assert result.ok, result.message
    assert [r.step for r in result.reports] == [*NETWORK, *PROBE, StepId.SAVE]
    assert all(r.status is StepStatus.PASSED and r.mark == "✓" for r in result.reports)
    assert all(isinstance(r.elapsed_ms, int) and r.elapsed_ms >= 0 for r in result.reports)
    assert [r.status for r in seen[:2]] == [StepStatus.RUNNING, StepStatus.PASSED]
    assert len(seen) == 2 * len(result.reports)
    assert probe_objects(s3_admin, bucket) == []
    assert default_target_id(vault) == result.integration_id
    target = default_target(vault)
    assert target is not None
    assert (target.provider, target.bucket, target.region) == ("s3", bucket, "us-east-1")
    assert S3_SECRET not in json.dumps(target.to_json())
    last = vault.rows()[0].last_check
    assert last is not None
    assert last.ok


def test_step_messages_never_contain_the_secret(vault: Vault, moto_url: str, bucket: str) -> None:
    """No step message, and no JSON of a step, holds the secret key."""
    result = setup_for(s3_data(bucket), {"s3": moto_url}).run(vault)

    shown = json.dumps([r.to_json() for r in result.reports])
    assert S3_SECRET not in shown
    assert "secret" not in repr(TargetForm.from_json(s3_data(bucket))).lower()


# -- the bucket is missing -------------------------------------------------------------


def test_missing_bucket_is_its_own_outcome_then_created_in_the_region_asked_for(
    vault: Vault, moto_url: str, missing_bucket: str, s3_admin: Any
) -> None:
    """A missing bucket stops as "bucket missing"; with create_bucket the run resumes there."""
    data = s3_data(missing_bucket, region="eu-west-1")
    setup = setup_for(data, {"s3": moto_url})

    first = setup.run(vault)
    assert first.status is StepStatus.BUCKET_MISSING
    assert first.stopped_at is StepId.BUCKET
    assert "eu-west-1" in first.message
    assert default_target_id(vault) is None

    setup.create_bucket = True
    second = setup.run(vault, start_at=StepId.BUCKET)

    assert second.ok, second.message
    assert second.reports[0].step is StepId.BUCKET
    assert "created" in second.reports[0].message
    assert setup.bucket_created
    location = s3_admin.get_bucket_location(Bucket=missing_bucket)["LocationConstraint"]
    assert location == "eu-west-1"
    assert probe_objects(s3_admin, missing_bucket) == []
    assert default_target_id(vault) == second.integration_id


def test_missing_r2_bucket_is_created_without_a_location(
    vault: Vault, moto_url: str, missing_bucket: str, s3_admin: Any
) -> None:
    """R2: the bucket is created with no location constraint, and region is skipped."""
    setup = setup_for(r2_data(missing_bucket), {"r2": moto_url}, create_bucket=True)

    result = setup.run(vault)

    assert result.ok, result.message
    assert statuses(result.reports)["region"] == "skipped"
    assert s3_admin.head_bucket(Bucket=missing_bucket)
    assert stored_jurisdiction(vault, result.integration_id or "") == "default"


def test_region_mismatch_stops_at_the_region_step(vault: Vault, moto_url: str) -> None:
    """A bucket in eu-west-1 set up as us-east-1 stops at "region matches", naming eu-west-1."""
    name = f"eu-{uuid.uuid4().hex[:16]}"
    admin_client(moto_url, "eu-west-1").create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    result = setup_for(s3_data(name), {"s3": moto_url}).run(vault)

    assert result.stopped_at is StepId.REGION
    assert "eu-west-1" in result.message
    assert vault.ids() == []


# -- permissions and failures after the write ------------------------------------------


def test_key_denied_put_object_stops_at_the_write_step(
    vault: Vault, locked_server: LockedServer
) -> None:
    """A key whose policy denies PutObject fails the write step, naming PutObject; not saved."""
    data = locked_data(locked_server, locked_server.no_put)

    result = setup_for(data, {"s3": locked_server.url}).run(vault)

    assert result.status is StepStatus.FAILED
    assert result.stopped_at is StepId.WRITE
    failed = result.reports[-1]
    assert failed.category is not None
    assert failed.category.value == "permission"
    assert "PutObject" in failed.message
    assert statuses(result.reports)["bucket"] == "passed"
    assert StepId.DELETE not in [r.step for r in result.reports]
    assert probe_objects(locked_server.admin_client(), locked_server.bucket) == []
    assert vault.ids() == []
    assert default_target_id(vault) is None


def test_failed_read_after_the_write_still_deletes_the_probe(
    vault: Vault, locked_server: LockedServer
) -> None:
    """A key that may write but not read fails at read-back; the probe is deleted anyway."""
    data = locked_data(locked_server, locked_server.no_get)

    result = setup_for(data, {"s3": locked_server.url}).run(vault)

    assert result.stopped_at is StepId.READ
    assert "GetObject" in result.message
    assert statuses(result.reports)["delete"] == "passed"
    assert result.reports[-1].step is StepId.DELETE
    assert probe_objects(locked_server.admin_client(), locked_server.bucket) == []
    assert vault.ids() == []


def test_read_back_mismatch_fails_and_still_deletes_the_probe(
    vault: Vault, tampering_proxy: TamperingProxy, bucket: str, s3_admin: Any
) -> None:
    """When the bytes read back differ, the read step fails and the probe is still deleted."""
    result = setup_for(s3_data(bucket), {"s3": tampering_proxy.url}).run(vault)

    assert result.stopped_at is StepId.READ
    assert "differs" in result.message
    assert statuses(result.reports)["write"] == "passed"
    assert statuses(result.reports)["delete"] == "passed"
    assert probe_objects(s3_admin, bucket) == []
    assert vault.ids() == []


def test_cancel_after_the_write_deletes_the_probe_and_saves_nothing(
    vault: Vault, moto_url: str, bucket: str, s3_admin: Any
) -> None:
    """Cancel pressed during the write: the next step is cancelled, the probe is deleted."""
    cancel = threading.Event()

    def press_cancel(report: StepReport) -> None:
        if report.step is StepId.WRITE and report.status is StepStatus.RUNNING:
            cancel.set()

    setup = setup_for(s3_data(bucket), {"s3": moto_url})
    result = setup.run(vault, on_step=press_cancel, cancel=cancel)

    assert result.status is StepStatus.CANCELLED
    assert result.stopped_at is StepId.READ
    assert [r.step for r in result.reports][-2:] == [StepId.READ, StepId.DELETE]
    assert not setup.probe_pending
    assert probe_objects(s3_admin, bucket) == []
    assert vault.ids() == []


def test_ctrl_c_after_the_write_still_deletes_the_probe(
    vault: Vault, moto_url: str, bucket: str, s3_admin: Any
) -> None:
    """An interrupt (Ctrl+C in the CLI) right after the write still removes the probe."""

    def interrupt(report: StepReport) -> None:
        if report.step is StepId.WRITE and report.status is StepStatus.PASSED:
            raise KeyboardInterrupt

    setup = setup_for(s3_data(bucket), {"s3": moto_url})
    with pytest.raises(KeyboardInterrupt):
        setup.run(vault, on_step=interrupt)

    assert not setup.probe_pending
    assert probe_objects(s3_admin, bucket) == []
    assert vault.ids() == []


def test_offline_problems_stop_before_any_network_call(vault: Vault, closed_port_url: str) -> None:
    """A bad bucket name fails the offline step with the field named; nothing else runs."""
    data = s3_data("Not_A_Bucket")

    result = setup_for(data, {"s3": closed_port_url}).run(vault)

    assert [r.step for r in result.reports] == [StepId.OFFLINE]
    assert result.stopped_at is StepId.OFFLINE
    assert "bucket" in result.message


def test_gui_style_run_checks_on_a_worker_and_saves_on_the_vault_thread(
    vault: Vault, moto_url: str, bucket: str
) -> None:
    """The network steps run on another thread without the vault; saving follows on this one."""
    setup = setup_for(s3_data(bucket), {"s3": moto_url})
    checked: list[Any] = []
    worker = threading.Thread(target=lambda: checked.append(setup.run(stop_before=StepId.SAVE)))
    worker.start()
    worker.join(30)

    assert checked[0].ok
    assert StepId.SAVE not in [r.step for r in checked[0].reports]
    saved = setup.run(vault, start_at=StepId.SAVE)
    assert saved.ok
    assert default_target_id(vault) == saved.integration_id


# -- R2 jurisdictions ------------------------------------------------------------------


def test_r2_bucket_in_the_eu_is_reported_as_such_not_as_missing(
    vault: Vault, moto_url: str, eu_url: str
) -> None:
    """A bucket only on the EU endpoint, set up as default, says: choose EU."""
    name = f"eu-only-{uuid.uuid4().hex[:12]}"
    admin_client(eu_url).create_bucket(Bucket=name)
    endpoints = {"r2": moto_url, "r2:eu": eu_url}

    wrong = setup_for(r2_data(name), endpoints).run(vault)
    assert wrong.status is StepStatus.FAILED
    assert wrong.stopped_at is StepId.BUCKET
    assert "EU" in wrong.message
    assert "not found" not in wrong.message.lower()

    data = {**r2_data(name), "jurisdiction": "eu"}
    right = setup_for(data, endpoints).run(vault)
    assert right.ok, right.message
    assert right.integration_id is not None
    assert stored_jurisdiction(vault, right.integration_id) == "eu"
    target = default_target(vault)
    assert target is not None
    assert target.jurisdiction == "eu"
    assert R2_SECRET not in json.dumps(target.to_json())


def test_r2_endpoints_follow_the_jurisdiction() -> None:
    """The account id builds the endpoint; a jurisdiction adds its own label."""
    assert endpoint_for(R2_ACCOUNT) == f"https://{R2_ACCOUNT}.r2.cloudflarestorage.com"
    assert endpoint_for(R2_ACCOUNT, "default") == endpoint_for(R2_ACCOUNT)
    assert endpoint_for(R2_ACCOUNT, "eu") == f"https://{R2_ACCOUNT}.eu.r2.cloudflarestorage.com"
    assert (
        endpoint_for(R2_ACCOUNT, "fedramp")
        == f"https://{R2_ACCOUNT}.fedramp.r2.cloudflarestorage.com"
    )
    with pytest.raises(ValueError):
        endpoint_for(R2_ACCOUNT, "mars")


def test_endpoint_overrides_accept_r2_jurisdiction_keys_only() -> None:
    """ "r2:eu" and "r2:fedramp" are override keys; "s3:eu" and "r2:mars" are refused."""
    parsed = endpoint_overrides('{"r2:EU": "http://127.0.0.1:1/", "r2:fedramp": "http://h"}')
    assert parsed == {"r2:eu": "http://127.0.0.1:1", "r2:fedramp": "http://h"}
    for bad in ('{"s3:eu": "http://h"}', '{"r2:mars": "http://h"}'):
        with pytest.raises(UserFacingError):
            endpoint_overrides(bad)


def test_jurisdiction_is_refused_for_s3(vault: Vault, closed_port_url: str) -> None:
    """S3 has regions, not jurisdictions: the offline step says so."""
    data = {**s3_data("acme-exports"), "jurisdiction": "eu"}

    result = setup_for(data, {"s3": closed_port_url}).run(vault)

    assert result.stopped_at is StepId.OFFLINE
    assert "R2 only" in result.message


# -- the default target: one at a time, changed, cleared -------------------------------


def test_only_one_default_and_it_can_be_changed_and_cleared(
    vault: Vault, moto_url: str, bucket: str, s3_admin: Any
) -> None:
    """A second setup (another bucket) replaces the default; clear removes it; the
    integrations stay."""
    other = f"{bucket}-2"
    s3_admin.create_bucket(Bucket=other)
    first = setup_for(s3_data(bucket, label="First"), {"s3": moto_url}).run(vault)
    second = setup_for(s3_data(other, label="Second"), {"s3": moto_url}).run(vault)

    assert default_target_id(vault) == second.integration_id
    assert set_default_target(vault, first.integration_id or "").label == "First"
    assert default_target_id(vault) == first.integration_id
    assert clear_default_target(vault) == first.integration_id
    assert default_target(vault) is None
    assert len(vault.ids()) == 2


def test_setup_run_again_the_same_way_updates_the_stored_integration(
    vault: Vault, moto_url: str, bucket: str
) -> None:
    """The same label, bucket and access key ID set up again update the stored integration
    instead of adding a copy, and the save step says so."""
    first = setup_for(s3_data(bucket, label="First"), {"s3": moto_url}).run(vault)
    again = setup_for(s3_data(bucket, label="first "), {"s3": moto_url}).run(vault)

    assert again.ok, again.message
    assert again.integration_id == first.integration_id
    assert vault.ids() == [first.integration_id]
    saved = next(r for r in again.reports if r.step is StepId.SAVE)
    assert "already held this label, bucket and access key ID" in saved.message


def test_setup_under_another_label_never_overwrites_a_stored_integration(
    vault: Vault, moto_url: str, bucket: str
) -> None:
    """Another label with the same bucket and key is a new integration; the first is kept."""
    first = setup_for(s3_data(bucket, label="Acme – synced export"), {"s3": moto_url}).run(vault)
    other = setup_for(s3_data(bucket, label="Wizard test"), {"s3": moto_url}).run(vault)

    assert other.ok, other.message
    assert other.integration_id != first.integration_id
    assert vault.get(first.integration_id or "").label == "Acme – synced export"
    assert len(vault.ids()) == 2


def test_deleted_default_target_reads_as_none(vault: Vault, moto_url: str, bucket: str) -> None:
    """Deleting the default integration leaves no dangling default behind."""
    result = setup_for(s3_data(bucket), {"s3": moto_url}).run(vault)

    vault.delete(result.integration_id or "")

    assert default_target_id(vault) is None
    assert default_target(vault) is None


def test_only_storage_integrations_can_be_the_default(vault: Vault) -> None:
    """A help-center integration cannot become the export target."""
    item = vault.add(parse_new(zendesk_data()))

    with pytest.raises(UserFacingError, match="S3 or R2"):
        set_default_target(vault, item.id)
    with pytest.raises(UserFacingError):
        form_for(vault, item.id)


def test_existing_integration_is_updated_in_place(vault: Vault, moto_url: str, bucket: str) -> None:
    """Setting up a stored integration keeps its id and makes it the default."""
    item = vault.add(parse_new(s3_data(bucket, label="Already here")))

    result = ExportTargetSetup(
        form_for(vault, item.id), endpoints={"s3": moto_url}, timeout_s=5.0
    ).run(vault)

    assert result.ok, result.message
    assert result.integration_id == item.id
    assert vault.ids() == [item.id]
    assert default_target_id(vault) == item.id


# -- pushing ---------------------------------------------------------------------------


def test_push_step_sends_the_new_target_to_the_remote_api(
    vault: Vault, moto_url: str, bucket: str
) -> None:
    """With push and a configured remote API, the saved integration is created there."""
    api = IntegrationApiDouble().start()
    try:
        vault.save_remote_config(RemoteConfig(api.url, SecretStr(api.api_key)))
        setup = setup_for(s3_data(bucket), {"s3": moto_url}, push=True)

        result = setup.run(vault)

        assert result.ok, result.message
        assert result.reports[-1].step is StepId.PUSH
        assert len(api.records) == 1
        assert vault.sync_info(result.integration_id or "")[0] == "synced"
    finally:
        api.stop()


def test_push_without_a_remote_api_fails_that_step_only(
    vault: Vault, moto_url: str, bucket: str
) -> None:
    """Push asked for with no remote API: the push step fails, the target is still saved."""
    result = setup_for(s3_data(bucket), {"s3": moto_url}, push=True).run(vault)

    assert result.stopped_at is StepId.PUSH
    assert "remote API is not configured" in result.message
    assert default_target_id(vault) == result.integration_id
