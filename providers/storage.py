"""Verification shared by S3 and R2: boto3 clients built safely and S3 errors in plain words."""

from __future__ import annotations

import email.utils
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from providers.base import (
    Category,
    CheckFailed,
    StepRecorder,
    VerificationResult,
    VerifyContext,
)

log = logging.getLogger(__name__)

PROBE_PREFIX = ".integration-vault-probe/"
_PROBE_BODY = b"Integration Vault write probe: safe to delete.\n"
_STS_AUTH_CODES = {"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "AccessDenied"}
_R2_KEY_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "Unauthorized",
    "401",
    "RequestTimeTooSkewed",
    "ExpiredToken",
}


@dataclass(frozen=True)
class StorageTarget:
    """Where and how to reach one bucket."""

    provider: str  # "s3" or "r2"
    bucket: str
    region: str
    access_key_id: str
    secret_access_key: SecretStr
    endpoint_url: str | None = None

    @property
    def product(self) -> str:
        return "R2" if self.provider == "r2" else "S3"


def make_client(target: StorageTarget, service: str, timeout_s: float) -> Any:
    """A boto3 client that will not trip S3-compatible stores (see providers.md, 3.2)."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=timeout_s,
        read_timeout=timeout_s,
        retries={"total_max_attempts": 1},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        signature_version="s3v4" if service == "s3" else None,
        s3={"addressing_style": "path"} if target.endpoint_url else None,
        ignore_configured_endpoint_urls=True,  # type: ignore[call-arg]  # stubs lag botocore
    )
    session = boto3.session.Session()
    client = session.client(
        service,  # type: ignore[call-overload]
        region_name="us-east-1" if target.region == "auto" and service == "sts" else target.region,
        endpoint_url=target.endpoint_url,
        aws_access_key_id=target.access_key_id,
        aws_secret_access_key=target.secret_access_key.get_secret_value(),
        aws_session_token=None,
        config=config,
    )
    client.meta.events.register("before-parse", _answer_checker(target.product))
    return client


class NotTheApi(Exception):
    """The endpoint answered, but not as S3 does: a web page, a redirect, a rate limit."""

    def __init__(self, failure: CheckFailed) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _answer_checker(product: str) -> Callable[..., None]:
    """A boto3 hook that reads each raw answer before boto3 parses it.

    A proxy's sign-in page answers HEAD with 200 and would pass as "bucket found"; a
    redirect or a 429 without S3's XML would surface as a parser error's class name.
    """

    def check(response_dict: dict[str, Any], **_kwargs: Any) -> None:
        status = int(response_dict.get("status_code") or 0)
        headers = {k.lower(): v for k, v in (response_dict.get("headers") or {}).items()}
        kind = str(headers.get("content-type", "")).lower()
        if status == 429:
            raise NotTheApi(
                CheckFailed(
                    Category.RATE_LIMITED,
                    f"{product} is limiting requests (HTTP 429); try again in a minute.",
                    retry_after_s=_seconds(headers.get("retry-after")),
                )
            )
        s3_redirect = "x-amz-bucket-region" in headers or "xml" in kind
        if 300 <= status < 400 and not s3_redirect:
            host = urlsplit(str(headers.get("location", ""))).hostname or "another address"
            raise NotTheApi(
                CheckFailed(
                    Category.MISCONFIGURED,
                    f"The {product} address sent the check to {host} (HTTP {status}) instead "
                    "of answering; the credentials were not sent on. Check the endpoint and "
                    "any proxy on this network.",
                )
            )
        # By its body, not its Content-Type: some S3-compatible servers label empty or XML
        # answers text/html. A HEAD has no body; the key check before it (a GET or a POST)
        # has already seen the page.
        body = response_dict.get("body") or b""
        head = bytes(body[:512]).lower() if isinstance(body, bytes | bytearray) else b""
        page = b"<html" in head or b"<!doctype html" in head
        if page and status >= 500:
            raise NotTheApi(
                CheckFailed(
                    Category.UNKNOWN,
                    f"The {product} address answered HTTP {status} with an error page: the "
                    "service, or a proxy on the way, is in trouble. Try again later.",
                )
            )
        if page:
            raise NotTheApi(
                CheckFailed(
                    Category.NOT_FOUND,
                    f"The {product} address answered HTTP {status} with a web page instead of "
                    "the S3 API. A proxy's sign-in page, or a wrong endpoint, is the likely "
                    "cause.",
                )
            )

    return check


def _seconds(value: object) -> float | None:
    try:
        return max(0.0, float(str(value).strip())) if value is not None else None
    except ValueError:
        return None


def verify_storage(target: StorageTarget, ctx: VerifyContext) -> VerificationResult:
    """Run the storage checks in order; the first failing step decides the outcome."""
    rec = StepRecorder()
    try:
        s3 = make_client(target, "s3", ctx.timeout_s)
        _check_key(target, ctx, rec)
        bucket_region = _check_bucket(target, s3, rec)
        _check_region(target, bucket_region, rec)
        _check_list(target, s3, rec)
        if ctx.write_probe:
            _check_write(target, s3, rec)
        else:
            rec.skipped("write probe", "not requested")
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"{target.product} bucket '{target.bucket}' is reachable with this key.")


def _check_key(target: StorageTarget, ctx: VerifyContext, rec: StepRecorder) -> None:
    if target.provider != "s3":
        rec.skipped("credentials accepted", "R2 checks the key on the bucket request")
        return
    with rec.step("credentials accepted") as note:
        note["detail"] = check_key(target, ctx.timeout_s)


def check_key(target: StorageTarget, timeout_s: float) -> str:
    """Whether the service accepts the key pair at all, apart from any bucket permission.

    S3 asks STS who owns the key (a call that needs no permission). R2 has no STS, so it
    lists the account's buckets: a token scoped to some buckets is refused that listing with
    AccessDenied, which still proves the key itself is good. Returns a detail line; raises
    ``CheckFailed`` when the key is refused.
    """
    if target.provider != "s3":
        return _check_r2_key(target, timeout_s)
    sts = make_client(target, "sts", timeout_s)
    try:
        identity = sts.get_caller_identity()
    except Exception as exc:
        code = _error_code(exc)
        if code in _STS_AUTH_CODES or code == "RequestTimeTooSkewed":
            raise _classify(exc, target) from None
        if code is None and not _is_client_error(exc):
            raise _classify(exc, target) from None
        return "STS not offered by this endpoint; the key is checked on the bucket"
    return f"key belongs to account {identity.get('Account', '?')}"


def _check_r2_key(target: StorageTarget, timeout_s: float) -> str:
    s3 = make_client(target, "s3", timeout_s)
    try:
        s3.list_buckets()
    except Exception as exc:
        code = _error_code(exc)
        if code in _R2_KEY_CODES or code is None:
            raise _classify(exc, target) from None
        return "key accepted (it may not list every bucket, which is fine)"
    return "key accepted"


def _check_bucket(target: StorageTarget, s3: Any, rec: StepRecorder) -> str | None:
    with rec.step("bucket exists") as note:
        region = head_bucket(target, s3)
        note["detail"] = f"bucket found (region {region})" if region else "bucket found"
        return region


def head_bucket(target: StorageTarget, s3: Any) -> str | None:
    """The bucket's region when it exists and this key may see it; else ``CheckFailed``
    (category ``NOT_FOUND`` when there is no such bucket)."""
    try:
        head = s3.head_bucket(Bucket=target.bucket)
    except Exception as exc:
        if _error_code(exc) in {"403", "400", "401"}:
            # HeadBucket errors have no body; a listing names the real problem.
            _list_once(target, s3)
        raise _classify(exc, target) from None
    return _header(head, "x-amz-bucket-region")


def create_bucket(target: StorageTarget, timeout_s: float) -> None:
    """Create the bucket in the target's region (R2: no location, it picks one itself)."""
    if target.provider == "s3":
        s3 = make_client(target, "s3", timeout_s)
        options = (
            {}
            if target.region == "us-east-1"
            else {"CreateBucketConfiguration": {"LocationConstraint": target.region}}
        )
    else:
        # R2 reads the signing region "us-east-1" as "auto"; "auto" itself would make some
        # S3-compatible servers ask for a location constraint.
        s3 = make_client(replace(target, region="us-east-1"), "s3", timeout_s)
        options = {}
    try:
        s3.create_bucket(Bucket=target.bucket, **options)
    except Exception as exc:
        code = _error_code(exc)
        if code == "BucketAlreadyOwnedByYou":
            return
        if code == "BucketAlreadyExists":
            raise CheckFailed(
                Category.MISCONFIGURED,
                f"The bucket name '{target.bucket}' is already taken by another account "
                "(names are global). Choose another bucket name.",
            ) from None
        if code in {"AccessDenied", "403"}:
            raise CheckFailed(
                Category.PERMISSION,
                f"This key may not create buckets: create '{target.bucket}' in the "
                f"{target.product} console, or give the key CreateBucket.",
            ) from None
        raise _classify(exc, target) from None


def _check_region(target: StorageTarget, bucket_region: str | None, rec: StepRecorder) -> None:
    if target.provider != "s3":
        rec.skipped("region matches", "R2 has no regions")
        return
    with rec.step("region matches") as note:
        note["detail"] = check_region(target, bucket_region)


def check_region(target: StorageTarget, bucket_region: str | None) -> str:
    """A detail line when the bucket's region is the one asked for, else ``CheckFailed``."""
    if bucket_region and bucket_region != target.region:
        raise CheckFailed(
            Category.MISCONFIGURED,
            f"The bucket '{target.bucket}' lives in region {bucket_region}, but this "
            f"integration says {target.region}. Change Region to {bucket_region}.",
        )
    return target.region if bucket_region else "bucket did not report its region"


def _check_list(target: StorageTarget, s3: Any, rec: StepRecorder) -> None:
    with rec.step("list allowed"):
        _list_once(target, s3)


def _list_once(target: StorageTarget, s3: Any) -> None:
    try:
        s3.list_objects_v2(Bucket=target.bucket, MaxKeys=1)
    except Exception as exc:
        raise _classify(exc, target, action="list objects in") from None


def _check_write(target: StorageTarget, s3: Any, rec: StepRecorder) -> None:
    probe = new_probe()
    written = False
    try:
        with rec.step("write probe object") as note:
            write_probe(target, s3, probe)
            written = True
            note["detail"] = probe.key
        with rec.step("read probe back"):
            read_probe(target, s3, probe)
    finally:
        if written:
            with rec.step("delete probe object"):
                delete_probe(target, s3, probe)


@dataclass(frozen=True)
class Probe:
    """A small object written to prove the key may write: its key and its exact bytes."""

    key: str
    body: bytes


def new_probe() -> Probe:
    """A probe with a fresh key under ``PROBE_PREFIX`` and a body unique to this run."""
    token = uuid.uuid4()
    return Probe(f"{PROBE_PREFIX}{token}.txt", _PROBE_BODY + f"{token}\n".encode())


def write_probe(target: StorageTarget, s3: Any, probe: Probe) -> None:
    try:
        s3.put_object(Bucket=target.bucket, Key=probe.key, Body=probe.body)
    except Exception as exc:
        raise _classify(exc, target, action="write objects to") from None


def read_probe(target: StorageTarget, s3: Any, probe: Probe) -> None:
    """Read the probe back; ``CheckFailed`` when it cannot be read or differs."""
    try:
        body = s3.get_object(Bucket=target.bucket, Key=probe.key)["Body"].read()
    except Exception as exc:
        raise _classify(exc, target, action="read objects from") from None
    if body != probe.body:
        raise CheckFailed(
            Category.UNKNOWN,
            f"The probe object read back ({len(body)} bytes) differs from what was written "
            f"({len(probe.body)} bytes): something between this computer and the bucket, such "
            "as a proxy or gateway, alters uploads. Check it, then try again.",
        )


def delete_probe(target: StorageTarget, s3: Any, probe: Probe) -> None:
    try:
        s3.delete_object(Bucket=target.bucket, Key=probe.key)
    except Exception as exc:
        failure = _classify(exc, target, action="delete objects from")
        raise CheckFailed(
            failure.category,
            f"{failure.message} The probe object '{probe.key}' is still in the bucket; "
            "delete it by hand.",
        ) from None


def _is_client_error(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError)


def _error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code is not None else None
    return None


def _header(response: Any, name: str) -> str | None:
    headers = (response or {}).get("ResponseMetadata", {}).get("HTTPHeaders", {})
    value = headers.get(name)
    return str(value) if value else None


def _clock_message(exc: Exception) -> str:
    server_date = _header(getattr(exc, "response", None), "date")
    minutes = ""
    if server_date:
        try:
            server = email.utils.parsedate_to_datetime(server_date).timestamp()
            minutes = f" by about {round(abs(time.time() - server) / 60)} minutes"
        except (TypeError, ValueError):
            minutes = ""
    return (
        f"This computer's clock is off{minutes}; storage services refuse requests more than "
        "15 minutes out. Turn on automatic time setting, then verify again."
    )


def _classify(exc: Exception, target: StorageTarget, action: str = "reach") -> CheckFailed:
    """Turn a boto3 failure into a category and a message a support person can act on."""
    from botocore import exceptions as bx

    product, bucket = target.product, target.bucket
    if isinstance(exc, NotTheApi):
        return exc.failure
    if isinstance(exc, bx.ConnectTimeoutError | bx.ReadTimeoutError):
        return CheckFailed(
            Category.TIMEOUT,
            f"{product} did not answer in time. Check the network or raise the timeout.",
        )
    if isinstance(exc, bx.EndpointConnectionError | bx.ConnectionError):
        hint = (
            " Check this computer's internet connection, then the Account ID: it builds the "
            "R2 address."
            if target.provider == "r2"
            else " Check this computer's internet connection, then the Region."
        )
        return CheckFailed(Category.NETWORK, f"Cannot reach the {product} endpoint.{hint}")
    if isinstance(exc, bx.ParamValidationError):
        return CheckFailed(Category.MISCONFIGURED, f"The bucket name '{bucket}' is not allowed.")
    if not isinstance(exc, bx.ClientError):
        # Not S3's own error: the answer itself could not be understood.
        log.info("unreadable answer from %s: %s", product, type(exc).__name__)
        return CheckFailed(
            Category.UNKNOWN,
            f"{product} answered with something that is not the S3 API's answer. Check the "
            "endpoint and any proxy on this network.",
        )
    return _classify_code(exc, target, action)


def _classify_code(exc: Any, target: StorageTarget, action: str) -> CheckFailed:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    product, bucket = target.product, target.bucket
    where = (
        "Cloudflare dashboard › R2 › Manage R2 API Tokens"
        if target.provider == "r2"
        else "AWS console › IAM › Users › Security credentials"
    )
    if code in {"InvalidAccessKeyId", "InvalidClientTokenId", "Unauthorized", "401"}:
        return CheckFailed(
            Category.AUTH,
            f"{product} does not recognise this access key ID. Copy it again, or create a new "
            f"key in {where}.",
        )
    if code == "SignatureDoesNotMatch":
        if "expired" in str(error.get("Message", "")).lower():
            return CheckFailed(Category.MISCONFIGURED, _clock_message(exc))
        return CheckFailed(
            Category.AUTH,
            f"The secret access key does not match the access key ID. Paste the secret again "
            f"or create a new key in {where}.",
        )
    if code == "RequestTimeTooSkewed":
        return CheckFailed(Category.MISCONFIGURED, _clock_message(exc))
    if code == "ExpiredToken":
        return CheckFailed(
            Category.AUTH, "These temporary credentials have expired; make new ones."
        )
    if code in {"NoSuchBucket", "404", "NotFound"}:
        hint = (
            " If the bucket was made in a jurisdiction (EU, FedRAMP), it needs that "
            "jurisdiction's endpoint."
            if target.provider == "r2"
            else ""
        )
        return CheckFailed(
            Category.NOT_FOUND,
            f"Bucket '{bucket}' was not found. Check the spelling of the bucket name.{hint}",
        )
    if code in {"AccessDenied", "403", "AllAccessDisabled"}:
        missing = {
            "write objects to": "PutObject",
            "read objects from": "GetObject",
            "delete objects from": "DeleteObject",
        }.get(action, "ListBucket")
        return CheckFailed(
            Category.PERMISSION,
            f"This key is valid but may not {action} bucket '{bucket}': give it {missing} "
            f"on the bucket ({where}).",
        )
    if code in {"PermanentRedirect", "301", "AuthorizationHeaderMalformed", "400"} or (
        code == "IllegalLocationConstraintException"
    ):
        region = _header(exc.response, "x-amz-bucket-region") or error.get("Region")
        actual = f"region {region}" if region else "another region"
        return CheckFailed(
            Category.MISCONFIGURED,
            f"Bucket '{bucket}' lives in {actual}, not {target.region}. Change Region"
            + (f" to {region}." if region else "."),
        )
    if code == "InvalidBucketName":
        return CheckFailed(Category.MISCONFIGURED, f"The bucket name '{bucket}' is not allowed.")
    if code in {"SlowDown", "TooManyRequests", "429"}:
        return CheckFailed(Category.RATE_LIMITED, f"{product} asks to slow down; try again soon.")
    if code == "NotImplemented":
        return CheckFailed(
            Category.UNKNOWN,
            f"{product} rejected a request header (checksum). This is a bug in Integration "
            "Vault; please report it.",
        )
    return CheckFailed(
        Category.UNKNOWN, f"{product} answered with an unexpected error: {code or status}."
    )
