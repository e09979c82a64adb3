"""Zendesk Help Center: credentials and verification (``GET /api/v2/users/me.json``)."""

from __future__ import annotations

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
from providers.fields import email_address, field, secret_not_blank, tenant_subdomain

PRODUCT = "Zendesk"
DEFAULT_BASE = "https://{subdomain}.zendesk.com"
_TOKEN_PAGE = "Zendesk Admin Center › Apps and integrations › APIs › Zendesk API"


class ZendeskCredentials(CredentialsModel):
    """An agent's e-mail address and API token for one Zendesk account."""

    subdomain: str = field(
        "subdomain",
        "Subdomain",
        "The first part of your Zendesk address; a pasted full address is fine.",
        "example",
        "Your Zendesk address: for https://example.zendesk.com it is 'example'.",
    )
    username: str = field(
        "username",
        "Agent e-mail",
        "E-mail address of the agent or admin who owns the API token.",
        "agent@example.com",
        "Zendesk › your profile picture › View profile (the e-mail field).",
    )
    token: SecretStr = field(
        "token",
        "API token",
        "An API token; 'Token access' must be enabled.",
        "jP0…(40 characters)",
        _TOKEN_PAGE + " › Settings › Add API token.",
    )

    _token = field_validator("token")(secret_not_blank)
    _email = field_validator("username")(email_address)

    @field_validator("subdomain")
    @classmethod
    def _subdomain(cls, value: str) -> str:
        return tenant_subdomain(value, "zendesk.com", PRODUCT)


def verify(creds: ZendeskCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    url = http.base_url(DEFAULT_BASE, ctx.endpoint, subdomain=creds.subdomain)
    try:
        with rec.step("reach host") as note:
            note["detail"] = http.reach(url, product=PRODUCT, timeout_s=ctx.timeout_s)
        with rec.step("authenticate") as note:
            reply = http.get(
                f"{url}/api/v2/users/me.json",
                product=PRODUCT,
                timeout_s=ctx.timeout_s,
                auth=(f"{creds.username}/token", creds.token.get_secret_value()),
            )
            _raise_for_status(reply, creds)
            note["detail"] = f"HTTP {reply.status}"
        with rec.step("read the signed-in agent") as note:
            note["detail"] = _agent_summary(reply, creds)
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"Signed in to {creds.subdomain}.zendesk.com as {creds.username}.")


def _raise_for_status(reply: http.Reply, creds: ZendeskCredentials) -> None:
    if reply.status == 401:
        raise CheckFailed(
            Category.AUTH,
            "Zendesk rejected the e-mail and token. Check that the e-mail is the agent's and "
            f"the token is still active ({_TOKEN_PAGE}).",
        )
    if reply.status == 403:
        raise CheckFailed(
            Category.PERMISSION,
            "Zendesk accepted the login but refuses API access. Turn on 'Token access' in "
            f"{_TOKEN_PAGE} › Settings.",
        )
    if reply.status == 429:
        wait = http.retry_after_seconds(reply)
        raise http.rate_limited(PRODUCT, wait, fallback_s=http.DEFAULT_RATE_LIMIT_WAIT_S)
    if reply.status >= 500:
        raise http.server_trouble(PRODUCT, reply.status)
    if not reply.is_json or reply.status == 404:
        raise CheckFailed(
            Category.NOT_FOUND,
            f"There is no Zendesk account at {creds.subdomain}.zendesk.com (the address "
            f"answered with {'a web page' if not reply.is_json else 'not found'}). Check the "
            "subdomain.",
        )
    if reply.status != 200:
        raise CheckFailed(Category.UNKNOWN, f"Zendesk answered HTTP {reply.status} unexpectedly.")


def _agent_summary(reply: http.Reply, creds: ZendeskCredentials) -> str:
    user = reply.body.get("user") if isinstance(reply.body, dict) else None
    if not isinstance(user, dict) or user.get("id") is None:
        # Zendesk answers an unauthenticated caller with an anonymous user and status 200.
        raise CheckFailed(
            Category.AUTH,
            "Zendesk did not sign in with these details (it answered as an anonymous "
            "visitor). Check the agent e-mail and the API token, and that token access is on "
            f"in {_TOKEN_PAGE}.",
        )
    role = str(user.get("role", ""))
    if role not in ("agent", "admin"):
        raise CheckFailed(
            Category.PERMISSION,
            f"{creds.username} is a Zendesk '{role or 'unknown'}' user; help-center import "
            "needs an agent or admin account.",
        )
    return f"{role} #{user['id']}"


SPEC = ProviderSpec(
    name="zendesk",
    title="Zendesk",
    platform="helpcenter",
    credentials=ZendeskCredentials,
    verify=verify,
    summary="Import screenshots from a Zendesk help center.",
)
