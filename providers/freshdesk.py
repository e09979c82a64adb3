"""Freshdesk: credentials and verification (``GET /api/v2/agents/me``, key as username)."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr, field_validator

from providers import http
from providers.base import (
    CheckFailed,
    CredentialsModel,
    ProviderSpec,
    StepRecorder,
    VerificationResult,
    VerifyContext,
)
from providers.fields import field, secret_not_blank, tenant_subdomain

PRODUCT = "Freshdesk"
DEFAULT_BASE = "https://{subdomain}.freshdesk.com"
_KEY_PAGE = "Freshdesk › your profile picture › Profile settings › View API key"


class FreshdeskCredentials(CredentialsModel):
    """A Freshdesk helpdesk subdomain and an agent's API key."""

    subdomain: str = field(
        "subdomain",
        "Helpdesk subdomain",
        "The first part of your Freshdesk address (not a custom domain); a pasted full "
        "address is fine.",
        "example",
        "Your helpdesk address: for https://example.freshdesk.com it is 'example'.",
    )
    api_key: SecretStr = field(
        "apiKey",
        "API key",
        "The agent's personal API key.",
        "Ab12Cd34Ef56Gh78Ij90",
        _KEY_PAGE + ".",
    )

    _key = field_validator("api_key")(secret_not_blank)

    @field_validator("subdomain")
    @classmethod
    def _subdomain(cls, value: str) -> str:
        return tenant_subdomain(value, "freshdesk.com", PRODUCT)


RULES = http.StatusRules(
    product=PRODUCT,
    key_page=_KEY_PAGE,
    subdomain_of="freshdesk.com",
    tenant="helpdesk",
    wait=http.WaitSignal.RETRY_AFTER,
    auth_message=(
        "Freshdesk did not accept the API key for {site}. Copy the key again from {key_page}; "
        "it changes when the agent resets it."
    ),
    permission_message=(
        "Freshdesk accepted the API key but refused access on {site} (HTTP 403). The agent may "
        "be deactivated, or the account may not allow API access."
    ),
)


def verify(creds: FreshdeskCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint, subdomain=creds.subdomain)
    site = f"{creds.subdomain}.freshdesk.com"
    try:
        url = f"{base}/api/v2/agents/me"
        reply = http.sign_in(
            rec, RULES, ctx, url, site=site, auth=(creds.api_key.get_secret_value(), "X")
        )
        with rec.step("read the signed-in agent") as note:
            agent = _agent_name(reply.body)
            note["detail"] = agent
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"Signed in to {site} as {agent}.")


def _agent_name(body: Any) -> str:
    if not isinstance(body, dict) or body.get("id") is None:
        raise RULES.unexpected("the agent who owns the key")
    contact = body.get("contact")
    if not isinstance(contact, dict):
        contact = {}
    return str(contact.get("email") or contact.get("name") or f"agent #{body['id']}")


SPEC = ProviderSpec(
    name="freshdesk",
    title="Freshdesk",
    platform="helpcenter",
    credentials=FreshdeskCredentials,
    verify=verify,
    summary="Import screenshots from Freshdesk solution articles.",
)
