"""Freshdesk: credentials and verification (``GET /api/v2/agents/me``, key as username)."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr, field_validator

from providers import http
from providers.base import (
    Category,
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


def verify(creds: FreshdeskCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint, subdomain=creds.subdomain)
    site = f"{creds.subdomain}.freshdesk.com"
    try:
        with rec.step("reach host and authenticate") as note:
            reply = http.get(
                f"{base}/api/v2/agents/me",
                product=PRODUCT,
                timeout_s=ctx.timeout_s,
                auth=(creds.api_key.get_secret_value(), "X"),
            )
            _raise_for_status(reply, site)
            note["detail"] = f"HTTP {reply.status}"
        with rec.step("read the signed-in agent") as note:
            agent = _agent_name(reply.body)
            note["detail"] = agent
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"Signed in to {site} as {agent}.")


def _raise_for_status(reply: http.Reply, site: str) -> None:
    if reply.status == 401:
        raise CheckFailed(
            Category.AUTH,
            f"Freshdesk did not accept the API key for {site}. Copy the key again from "
            f"{_KEY_PAGE}; it changes when the agent resets it.",
        )
    if reply.status == 403:
        raise CheckFailed(
            Category.PERMISSION,
            f"Freshdesk accepted the API key but refused access on {site} (HTTP 403). The "
            "agent may be deactivated, or the account may not allow API access.",
        )
    if reply.status == 429:
        wait = http.retry_after_seconds(reply)
        raise http.rate_limited(PRODUCT, wait, fallback_s=http.DEFAULT_RATE_LIMIT_WAIT_S)
    if not reply.is_json or reply.status == 404:
        raise _no_helpdesk(site, reply.status)
    if reply.status >= 500:
        raise http.server_trouble(PRODUCT, reply.status)
    if reply.status != 200:
        raise CheckFailed(Category.UNKNOWN, f"Freshdesk answered HTTP {reply.status} unexpectedly.")


def _no_helpdesk(site: str, status: int) -> CheckFailed:
    if status == 404:
        found, later = "answered 'not found'", ""
    else:
        found = f"answered with a web page instead of API data (HTTP {status})"
        later = " If it is right, Freshdesk may be having trouble, so try again later."
    return CheckFailed(
        Category.NOT_FOUND,
        f"There seems to be no Freshdesk helpdesk at {site}: it {found}. Check the subdomain; "
        f"it must be your *.freshdesk.com address, not a custom domain.{later}",
    )


def _agent_name(body: Any) -> str:
    if not isinstance(body, dict) or body.get("id") is None:
        raise CheckFailed(
            Category.UNKNOWN,
            "Freshdesk answered, but not with the agent who owns the key; the key could not "
            "be confirmed. Try again, and if it keeps happening report it with the time of "
            "the check.",
        )
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
