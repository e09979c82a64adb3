"""S3 and R2 verification against a real S3 server (moto) on loopback, with real boto3."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests
from pytest_httpserver import HTTPServer

from app import timefmt
from app.models import Integration, parse_new
from app.verification import CheckOptions, verify_integration
from providers import r2, s3
from providers.base import Category, VerificationResult, VerifyContext
from providers.storage import PROBE_PREFIX
from tests.conftest import (
    R2_ACCOUNT,
    R2_KEY_ID,
    R2_SECRET,
    S3_KEY_ID,
    S3_SECRET,
    admin_client,
    free_port,
    r2_data,
    s3_data,
)

CATEGORIES = {
    "ok",
    "auth",
    "permission",
    "not_found",
    "network",
    "timeout",
    "rate_limited",
    "misconfigured",
    "unknown",
}


def check_s3(
    bucket: str,
    endpoint: str,
    *,
    region: str = "us-east-1",
    key_id: str = S3_KEY_ID,
    secret: str = S3_SECRET,
    write_probe: bool = False,
    timeout_s: float = 5.0,
) -> VerificationResult:
    creds = s3.S3Credentials.model_validate(
        {"bucket": bucket, "region": region, "accessKeyId": key_id, "secretAccessKey": secret}
    )
    ctx = VerifyContext(timeout_s=timeout_s, endpoint=endpoint, write_probe=write_probe)
    return s3.verify(creds, ctx)


def check_r2(
    bucket: str,
    endpoint: str,
    *,
    key_id: str = R2_KEY_ID,
    secret: str = R2_SECRET,
    timeout_s: float = 5.0,
) -> VerificationResult:
    creds = r2.R2Credentials.model_validate(
        {
            "bucket": bucket,
            "accountId": R2_ACCOUNT,
            "accessKeyId": key_id,
            "secretAccessKey": secret,
        }
    )
    return r2.verify(creds, VerifyContext(timeout_s=timeout_s, endpoint=endpoint))


def _probe_objects(client: Any, bucket: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket, Prefix=PROBE_PREFIX)
    return [item["Key"] for item in listing.get("Contents", [])]


# -- moto without authentication -------------------------------------------------------


def test_existing_s3_bucket_is_ok(moto_url: str, bucket: str) -> None:
    """An S3 bucket that exists, in the stated region, verifies ok with a message and timing."""
    result = check_s3(bucket, moto_url)

    assert result.ok, result.message
    assert result.category is Category.OK
    assert bucket in result.message
    assert isinstance(result.elapsed_ms, int)
    assert result.elapsed_ms >= 0
    assert [s.name for s in result.steps if not s.ok] == []


def test_existing_r2_bucket_is_ok(moto_url: str, bucket: str) -> None:
    """An R2 bucket that exists verifies ok."""
    result = check_r2(bucket, moto_url)

    assert result.ok, result.message
    assert result.category is Category.OK
    assert "R2" in result.message


def test_missing_s3_bucket_is_not_found(moto_url: str, missing_bucket: str) -> None:
    """An S3 bucket that does not exist is not_found, naming the bucket."""
    result = check_s3(missing_bucket, moto_url)

    assert not result.ok
    assert result.category is Category.NOT_FOUND
    assert missing_bucket in result.message


def test_missing_r2_bucket_is_not_found(moto_url: str, missing_bucket: str) -> None:
    """An R2 bucket that does not exist is not_found, naming the bucket."""
    result = check_r2(missing_bucket, moto_url)

    assert not result.ok
    assert result.category is Category.NOT_FOUND
    assert missing_bucket in result.message


def test_bucket_in_another_region_is_misconfigured(moto_url: str) -> None:
    """A bucket in eu-west-1 checked as us-east-1 is misconfigured and names eu-west-1."""
    name = f"eu-{uuid.uuid4().hex[:16]}"
    admin_client(moto_url, "eu-west-1").create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    result = check_s3(name, moto_url, region="us-east-1")
    assert not result.ok
    assert result.category is Category.MISCONFIGURED
    assert "eu-west-1" in result.message
    assert check_s3(name, moto_url, region="eu-west-1").ok


def test_write_probe_leaves_no_object_behind(moto_url: str, bucket: str, s3_admin: Any) -> None:
    """The write probe writes, reads back and deletes its object: nothing stays in the bucket."""
    result = check_s3(bucket, moto_url, write_probe=True)

    assert result.ok, result.message
    steps = {s.name: s for s in result.steps}
    assert steps["write probe object"].detail.startswith(PROBE_PREFIX)
    assert steps["delete probe object"].ok
    assert _probe_objects(s3_admin, bucket) == []


def test_write_probe_is_skipped_unless_asked(moto_url: str, bucket: str) -> None:
    """Without the write probe, no write step runs."""
    result = check_s3(bucket, moto_url)

    assert result.ok
    assert not any(s.name == "write probe object" for s in result.steps)
    assert any(s.skipped and s.name == "write probe" for s in result.steps)


@pytest.mark.parametrize("check", [check_s3, check_r2], ids=["s3", "r2"])
def test_unreachable_endpoint_is_network(check, closed_port_url: str) -> None:
    """An endpoint where nothing listens gives network, quickly."""
    started = time.monotonic()
    result = check("acme-exports", closed_port_url, timeout_s=1.0)

    assert not result.ok
    assert result.category is Category.NETWORK
    assert time.monotonic() - started < 10


def test_endpoint_that_never_answers_is_timeout() -> None:
    """An endpoint that accepts the connection but never answers gives timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        result = check_r2("acme-exports", url, timeout_s=0.3)

    assert not result.ok
    assert result.category is Category.TIMEOUT
    assert time.monotonic() - started < 10


def test_r2_endpoint_is_built_from_the_account_id() -> None:
    """Without an override, R2 is reached at <account>.r2.cloudflarestorage.com."""
    assert r2.endpoint_for(R2_ACCOUNT) == f"https://{R2_ACCOUNT}.r2.cloudflarestorage.com"
    assert r2.endpoint_for(R2_ACCOUNT, "eu") == f"https://{R2_ACCOUNT}.eu.r2.cloudflarestorage.com"


def test_app_check_uses_the_endpoint_override_and_one_result_shape(
    moto_url: str, bucket: str, missing_bucket: str
) -> None:
    """Checks run through the app give the same result type for s3 and r2, as JSON too."""
    options = CheckOptions(timeout_s=5.0, endpoints={"s3": moto_url, "r2": moto_url})
    moment = timefmt.now()
    results = []
    for data in (s3_data(bucket), r2_data(missing_bucket)):
        new = parse_new(data)
        item = Integration(
            str(uuid.uuid4()),
            new.label,
            new.provider,
            new.platform,
            new.credentials,
            moment,
            moment,
        )
        results.append(verify_integration(item, options))

    assert [(r.ok, r.category) for r in results] == [
        (True, Category.OK),
        (False, Category.NOT_FOUND),
    ]
    for result in results:
        shown = result.to_json()
        assert {"ok", "category", "message", "elapsedMs"} <= set(shown)
        assert shown["category"] in CATEGORIES
        assert isinstance(shown["elapsedMs"], int)


# -- moto with authentication on, in its own process -----------------------------------


@dataclass(frozen=True)
class AuthServer:
    url: str
    bucket: str
    reader_key_id: str
    reader_secret: str


@pytest.fixture(scope="module")
def auth_server() -> Iterator[AuthServer]:
    """A second moto server, in a child process, that checks signatures and IAM policies.

    moto keeps its "authenticate after N requests" setting per process, so the server runs
    apart from the session one. Setup (bucket, IAM user, key) happens with auth still off;
    then ``/moto-api/reset-auth`` with 0 turns it on for every later request.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    child = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(url)
        setup = {
            "endpoint_url": url,
            "region_name": "us-east-1",
            "aws_access_key_id": "setup",
            "aws_secret_access_key": "setup",
        }
        name = f"locked-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", **setup).create_bucket(Bucket=name)
        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="reader")
        # moto authorises HeadBucket as its own s3:HeadBucket action, where AWS uses
        # s3:ListBucket; granting both keeps the policy "read-only" in AWS terms.
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:ListBucket", "s3:HeadBucket", "s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                }
            ],
        }
        iam.put_user_policy(
            UserName="reader", PolicyName="read-only", PolicyDocument=json.dumps(policy)
        )
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        turned_on = requests.post(f"{url}/moto-api/reset-auth", data=b"0", timeout=5)
        turned_on.raise_for_status()
        yield AuthServer(url, name, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        child.terminate()
        child.wait(timeout=10)


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/moto-api/data.json", timeout=0.5)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start")


def test_auth_server_accepts_the_read_only_key(auth_server: AuthServer) -> None:
    """The read-only IAM key verifies ok without the write probe (the setup works)."""
    result = check_s3(
        auth_server.bucket,
        auth_server.url,
        key_id=auth_server.reader_key_id,
        secret=auth_server.reader_secret,
    )
    assert result.ok, result.message


def test_unknown_access_key_is_auth(auth_server: AuthServer) -> None:
    """An access key id the service does not know gives auth."""
    result = check_s3(auth_server.bucket, auth_server.url, key_id="AKIAUNKNOWNKEY000000")

    assert not result.ok
    assert result.category is Category.AUTH
    assert "access key" in result.message.lower()


def test_wrong_secret_is_auth(auth_server: AuthServer) -> None:
    """A known access key id with the wrong secret gives auth, about the secret."""
    result = check_s3(
        auth_server.bucket,
        auth_server.url,
        key_id=auth_server.reader_key_id,
        secret="x" * 40,
    )
    assert not result.ok
    assert result.category is Category.AUTH
    assert "secret" in result.message.lower()
    assert auth_server.reader_secret not in result.message


def test_unknown_r2_key_is_auth(auth_server: AuthServer) -> None:
    """R2 (no STS step) also reports an unknown key as auth, from the bucket request."""
    result = check_r2(auth_server.bucket, auth_server.url)

    assert not result.ok
    assert result.category is Category.AUTH


def test_read_only_key_fails_the_write_probe_with_permission(auth_server: AuthServer) -> None:
    """A key allowed only to list and read gives permission on the write probe, naming PutObject."""
    result = check_s3(
        auth_server.bucket,
        auth_server.url,
        key_id=auth_server.reader_key_id,
        secret=auth_server.reader_secret,
        write_probe=True,
    )
    assert not result.ok
    assert result.category is Category.PERMISSION
    assert "PutObject" in result.message
    assert [s.name for s in result.steps if not s.ok] == ["write probe object"]


# -- an address that answers, but not as S3 does -------------------------------------------

SIGN_IN_PAGE = "<!DOCTYPE html><html><body><h1>Sign in to continue</h1></body></html>"


@pytest.fixture
def not_s3() -> Iterator[HTTPServer]:
    """A local web server that is not S3: each test says how it answers."""
    server = HTTPServer(host="127.0.0.1", port=free_port())
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.mark.parametrize("check", [check_s3, check_r2])
def test_a_web_page_at_the_endpoint_is_not_taken_for_a_bucket(not_s3: Any, check: Any) -> None:
    """A proxy's sign-in page answering 200 fails as not_found naming a web page, never ok."""
    not_s3.expect_request("").respond_with_data(SIGN_IN_PAGE, content_type="text/html")
    not_s3.expect_request("/", method="HEAD").respond_with_data("", content_type="text/html")

    result = check("support-shots", not_s3.url_for("/"))

    assert not result.ok
    assert result.category is Category.NOT_FOUND
    assert "web page instead of the S3 API" in result.message


@pytest.mark.parametrize("check", [check_s3, check_r2])
def test_a_redirect_to_another_host_is_named_not_followed(not_s3: Any, check: Any) -> None:
    """A 302 to a login host is misconfigured and names that host; no parser class names."""
    not_s3.expect_request("").respond_with_data(
        "", status=302, headers={"Location": "https://login.example.net/sso"}
    )

    result = check("support-shots", not_s3.url_for("/"))

    assert result.category is Category.MISCONFIGURED
    assert "login.example.net" in result.message
    assert "Error" not in result.message


def test_a_429_without_s3_xml_is_rate_limited_with_its_wait(not_s3: Any) -> None:
    """A plain 429 with Retry-After is rate_limited and carries the wait, not 'unknown'."""
    not_s3.expect_request("").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "7"}
    )

    result = check_s3("support-shots", not_s3.url_for("/"))

    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 7


def test_a_server_error_page_is_trouble_on_the_way_not_a_missing_bucket(not_s3: Any) -> None:
    """An HTML 500 page is reported as the service's trouble (unknown), not as not_found."""
    not_s3.expect_request("").respond_with_data(SIGN_IN_PAGE, status=500, content_type="text/html")

    result = check_s3("support-shots", not_s3.url_for("/"))

    assert result.category is Category.UNKNOWN
    assert "HTTP 500 with an error page" in result.message
