"""Freshdesk: credentials and verification (``GET /api/v2/agents/me``, key as username)."""

from __future__ import annotations

from pydantic import SecretStr, field_validator

from providers.base import CredentialsModel, ProviderSpec, VerificationResult, VerifyContext
from providers.fields import field, secret_not_blank, tenant_subdomain

PRODUCT = "Freshdesk"
DEFAULT_BASE = "https://{subdomain}.freshdesk.com"


class FreshdeskCredentials(CredentialsModel):
    """A Freshdesk helpdesk subdomain and an agent's API key."""

    subdomain: str = field(
        "subdomain",
        "Helpdesk subdomain",
        "The first part of your Freshdesk address; a pasted full address is fine.",
        "example",
        "Your helpdesk address: for https://example.freshdesk.com it is 'example'.",
    )
    api_key: SecretStr = field(
        "apiKey",
        "API key",
        "The agent's personal API key.",
        "Ab12Cd34Ef56Gh78Ij90",
        "Freshdesk › your profile picture › Profile settings › View API key.",
    )

    _key = field_validator("api_key")(secret_not_blank)

    @field_validator("subdomain")
    @classmethod
    def _subdomain(cls, value: str) -> str:
        return tenant_subdomain(value, "freshdesk.com", PRODUCT)


def verify(creds: FreshdeskCredentials, ctx: VerifyContext) -> VerificationResult:
    raise NotImplementedError("Freshdesk verification is being written (issue 3)")


SPEC = ProviderSpec(
    name="freshdesk",
    title="Freshdesk",
    platform="helpcenter",
    credentials=FreshdeskCredentials,
    verify=verify,
    summary="Import screenshots from Freshdesk solution articles.",
)
