"""Helpjuice: credentials and verification (``GET /api/v3/categories``, raw-key header)."""

from __future__ import annotations

from pydantic import SecretStr, field_validator

from providers.base import CredentialsModel, ProviderSpec, VerificationResult, VerifyContext
from providers.fields import field, secret_not_blank, tenant_subdomain

PRODUCT = "Helpjuice"
DEFAULT_BASE = "https://{subdomain}.helpjuice.com"


class HelpjuiceCredentials(CredentialsModel):
    """A Helpjuice account name and API key."""

    subdomain: str = field(
        "subdomain",
        "Account subdomain",
        "The first part of your Helpjuice address; a pasted full address is fine.",
        "example",
        "Your knowledge base address: for https://example.helpjuice.com it is 'example'.",
    )
    api_key: SecretStr = field(
        "apiKey",
        "API key",
        "The API key; 'Require token for API?' must be on.",
        "6f1c2b…",
        "Helpjuice › Settings › API Credentials (Super Administrators only).",
    )

    _key = field_validator("api_key")(secret_not_blank)

    @field_validator("subdomain")
    @classmethod
    def _subdomain(cls, value: str) -> str:
        return tenant_subdomain(value, "helpjuice.com", PRODUCT)


def verify(creds: HelpjuiceCredentials, ctx: VerifyContext) -> VerificationResult:
    raise NotImplementedError("Helpjuice verification is being written (issue 3)")


SPEC = ProviderSpec(
    name="helpjuice",
    title="Helpjuice",
    platform="helpcenter",
    credentials=HelpjuiceCredentials,
    verify=verify,
    summary="Import screenshots from a Helpjuice knowledge base.",
)
