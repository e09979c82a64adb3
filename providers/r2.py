"""Cloudflare R2 as an export target: credentials and verification."""

from __future__ import annotations

from pydantic import SecretStr, field_validator

from providers.base import CredentialsModel, ProviderSpec, VerificationResult, VerifyContext
from providers.fields import bucket_name, field, host_label, not_blank, secret_not_blank
from providers.storage import StorageTarget, verify_storage

_TOKENS = "Cloudflare dashboard › R2 › Manage R2 API Tokens › Create API token"


class R2Credentials(CredentialsModel):
    """An R2 API token's S3 key pair, the account it belongs to and the bucket."""

    bucket: str = field(
        "bucket",
        "Bucket",
        "Name of the R2 bucket that receives the screenshots.",
        "acme-support-screenshots",
        "Cloudflare dashboard › R2 › Overview (the bucket list).",
    )
    account_id: str = field(
        "accountId",
        "Account ID",
        "Your Cloudflare account id: 32 hexadecimal characters.",
        "0123456789abcdef0123456789abcdef",
        "Cloudflare dashboard › R2 › Overview, right-hand column 'Account ID'.",
    )
    access_key_id: str = field(
        "accessKeyId",
        "Access key ID",
        "The token's S3 access key id (32 characters).",
        "e5c0d2a4f1b3c6d8e7f9a0b1c2d3e4f5",
        _TOKENS,
    )
    secret_access_key: SecretStr = field(
        "secretAccessKey",
        "Secret access key",
        "The token's S3 secret access key, shown once when the token is created.",
        "5f1e…(64 characters)",
        _TOKENS,
    )
    region: str = field(
        "region",
        "Region",
        "R2 ignores the region; keep 'auto'.",
        "auto",
        default="auto",
    )

    _bucket = field_validator("bucket")(bucket_name)
    _key_id = field_validator("access_key_id")(not_blank)
    _secret = field_validator("secret_access_key")(secret_not_blank)

    @field_validator("account_id")
    @classmethod
    def _account(cls, value: str) -> str:
        return host_label(value, "the account id")

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        # R2 ignores the region: anything left empty becomes the usual "auto".
        if value is None:
            return "auto"
        return value.strip().lower() or "auto" if isinstance(value, str) else value


# A bucket made in a jurisdiction is reachable only through that jurisdiction's endpoint.
DEFAULT_JURISDICTION = "default"
JURISDICTIONS: dict[str, str] = {
    DEFAULT_JURISDICTION: "Default",
    "eu": "European Union (EU)",
    "fedramp": "FedRAMP",
    "us": "United States (US)",
}


def jurisdiction_title(jurisdiction: str) -> str:
    """How a jurisdiction is named to a person, e.g. "European Union (EU)"."""
    return JURISDICTIONS.get(jurisdiction, jurisdiction)


def endpoint_for(account_id: str, jurisdiction: str = "") -> str:
    """The S3 endpoint of an R2 account (``eu`` / ``fedramp`` / ``us`` for a jurisdiction)."""
    name = "" if jurisdiction in ("", DEFAULT_JURISDICTION) else jurisdiction
    if name and name not in JURISDICTIONS:
        raise ValueError(f"unknown R2 jurisdiction '{jurisdiction}'")
    middle = f".{name}" if name else ""
    return f"https://{account_id}{middle}.r2.cloudflarestorage.com"


def verify(creds: R2Credentials, ctx: VerifyContext) -> VerificationResult:
    target = StorageTarget(
        provider="r2",
        bucket=creds.bucket,
        region="auto",
        access_key_id=creds.access_key_id,
        secret_access_key=creds.secret_access_key,
        endpoint_url=ctx.endpoint or endpoint_for(creds.account_id, ctx.jurisdiction),
    )
    return verify_storage(target, ctx)


SPEC = ProviderSpec(
    name="r2",
    title="Cloudflare R2",
    platform="cloud",
    credentials=R2Credentials,
    verify=verify,
    summary="Export screenshots to a Cloudflare R2 bucket.",
)
