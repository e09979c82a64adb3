"""Amazon S3 as an export target: credentials and verification."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr, field_validator, model_validator

from providers.base import CredentialsModel, ProviderSpec, VerificationResult, VerifyContext
from providers.fields import bucket_name, field, host_label, not_blank, secret_not_blank
from providers.storage import StorageTarget, verify_storage

_IAM = "AWS console › IAM › Users › (user) › Security credentials › Create access key"


class S3Credentials(CredentialsModel):
    """An AWS access key pair and the bucket screenshots are exported to."""

    @model_validator(mode="before")
    @classmethod
    def _drop_account_id(cls, data: Any) -> Any:
        # The API's public example carries accountId for S3 too; it means nothing here.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in ("accountId", "account_id")}
        return data

    bucket: str = field(
        "bucket",
        "Bucket",
        "Name of the S3 bucket that receives the screenshots.",
        "acme-support-screenshots",
        "AWS console › S3 › Buckets (the Name column).",
    )
    region: str = field(
        "region",
        "Region",
        "AWS region the bucket lives in.",
        "us-east-1",
        "AWS console › S3 › Buckets (the AWS Region column), e.g. us-east-1.",
    )
    access_key_id: str = field(
        "accessKeyId",
        "Access key ID",
        "The public half of the access key, 20 characters starting with AKIA.",
        "AKIAIOSFODNN7EXAMPLE",
        _IAM,
    )
    secret_access_key: SecretStr = field(
        "secretAccessKey",
        "Secret access key",
        "The secret half of the access key, shown once when the key is created.",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        _IAM,
    )

    _bucket = field_validator("bucket")(bucket_name)
    _key_id = field_validator("access_key_id")(not_blank)
    _secret = field_validator("secret_access_key")(secret_not_blank)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return host_label(value, "the region")


def verify(creds: S3Credentials, ctx: VerifyContext) -> VerificationResult:
    target = StorageTarget(
        provider="s3",
        bucket=creds.bucket,
        region=creds.region,
        access_key_id=creds.access_key_id,
        secret_access_key=creds.secret_access_key,
        endpoint_url=ctx.endpoint,
    )
    return verify_storage(target, ctx)


SPEC = ProviderSpec(
    name="s3",
    title="Amazon S3",
    platform="cloud",
    credentials=S3Credentials,
    verify=verify,
    summary="Export screenshots to an Amazon S3 bucket.",
)
