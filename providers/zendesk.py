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


RULES = http.StatusRules(
    product=PRODUCT,
    key_page=_TOKEN_PAGE,
    subdomain_of="zendesk.com",
    credential="e-mail and token",
    wait=http.WaitSignal.RETRY_AFTER,
    auth_message=(
        "Zendesk rejected the e-mail and token for {site}. Check that the e-mail is the agent's "
        "and the token is still active ({key_page})."
    ),
    permission_message=(
        "Zendesk accepted the login but refuses API access. Turn on 'Token access' in "
        "{key_page} › Settings."
    ),
)


def verify(creds: ZendeskCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint, subdomain=creds.subdomain)
    site = f"{creds.subdomain}.zendesk.com"
    try:
        url = f"{base}/api/v2/users/me.json"
        login = (f"{creds.username}/token", creds.token.get_secret_value())
        reply = http.sign_in(rec, RULES, ctx, url, site=site, auth=login, accept=_not_anonymous)
        with rec.step("read the signed-in agent") as note:
            note["detail"] = _agent_summary(reply, creds)
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"Signed in to {site} as {creds.username}.")


def _not_anonymous(reply: http.Reply) -> None:
    """Zendesk answers a caller it could not sign in with status 200 and an anonymous user."""
    user = reply.body.get("user") if isinstance(reply.body, dict) else None
    if not isinstance(user, dict) or user.get("id") is None:
        raise CheckFailed(
            Category.AUTH,
            "Zendesk did not sign in with these details (it answered as an anonymous "
            "visitor). Check the agent e-mail and the API token, and that token access is on "
            f"in {_TOKEN_PAGE}.",
        )


def _agent_summary(reply: http.Reply, creds: ZendeskCredentials) -> str:
    user = reply.body["user"]
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
