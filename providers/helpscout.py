"""Help Scout Docs: credentials and verification (Docs API, ``GET /v1/sites``)."""

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
from providers.fields import field, secret_not_blank

PRODUCT = "Help Scout Docs"
DEFAULT_BASE = "https://docsapi.helpscout.net"
_KEY_PAGE = "Help Scout › your profile › Authentication › API Keys"


class HelpScoutCredentials(CredentialsModel):
    """A Help Scout Docs API key."""

    api_key: SecretStr = field(
        "apiKey",
        "Docs API key",
        "Your personal Docs API key (not a Mailbox app id or secret).",
        "a1b2c3d4e5f6…",
        _KEY_PAGE + " › Docs API key "
        "(needs the 'Docs: Create new, edit settings & Collections' permission).",
    )

    _key = field_validator("api_key")(secret_not_blank)


RULES = http.StatusRules(
    product=PRODUCT,
    key_page=_KEY_PAGE,
    # Help Scout's own header first (documented for the Mailbox API), then Retry-After.
    wait=http.WaitSignal.RETRY_AFTER_SECONDS,
    auth_message=(
        "Help Scout Docs did not accept the API key. Use the Docs API key (not a Mailbox app id "
        "or secret) from {key_page}."
    ),
    permission_message=(
        "Help Scout Docs accepted the API key but will not list sites. The key's user needs the "
        "'Docs: Create new, edit settings & Collections' permission, which an Account Owner or "
        "Administrator can grant."
    ),
    # Help Scout support finds a request by this id; it names no user or key.
    request_id_header="Correlation-Id",
)


def verify(creds: HelpScoutCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint)
    try:
        url = f"{base}/v1/sites"
        reply = http.sign_in(rec, RULES, ctx, url, auth=(creds.api_key.get_secret_value(), "X"))
        with rec.step("read sites") as note:
            names = _site_names(reply.body)
            note["detail"] = ", ".join(names) or "no sites"
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"The Help Scout Docs API key works; it can see {len(names)} sites.")


def _site_names(body: Any) -> list[str]:
    sites = body.get("sites") if isinstance(body, dict) else None
    items = sites.get("items") if isinstance(sites, dict) else None
    if not isinstance(items, list):
        raise RULES.unexpected("the list of sites")
    return [str(site.get("title") or site.get("id")) for site in items if isinstance(site, dict)]


SPEC = ProviderSpec(
    name="helpscout",
    title="Help Scout",
    platform="helpcenter",
    credentials=HelpScoutCredentials,
    verify=verify,
    summary="Import screenshots from a Help Scout Docs site.",
)
