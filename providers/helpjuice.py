"""Helpjuice: credentials and verification (``GET /api/v3/categories``, raw-key header)."""

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

PRODUCT = "Helpjuice"
DEFAULT_BASE = "https://{subdomain}.helpjuice.com"
_KEY_PAGE = "Helpjuice › Settings › API Credentials"


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
        _KEY_PAGE + " (Super Administrators only).",
    )

    _key = field_validator("api_key")(secret_not_blank)

    @field_validator("subdomain")
    @classmethod
    def _subdomain(cls, value: str) -> str:
        return tenant_subdomain(value, "helpjuice.com", PRODUCT)


RULES = http.StatusRules(
    product=PRODUCT,
    key_page=_KEY_PAGE,
    subdomain_of="helpjuice.com",
    tenant="knowledge base",
    # Helpjuice's 429 says "please wait one minute" and sends no header saying how long.
    wait=http.WaitSignal.FIXED,
    fallback_wait_s=60.0,
    auth_message=(
        "Helpjuice did not accept the API key for {site}. Copy the key again from {key_page} "
        "(only Super Administrators can see that page)."
    ),
)


def verify(creds: HelpjuiceCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint, subdomain=creds.subdomain)
    url = f"{base}/api/v3/categories"
    site = f"{creds.subdomain}.helpjuice.com"
    try:
        # The key goes in the header only: the api_key query form would put it in URLs, and
        # URLs end up in proxy and server logs.
        key = {"Authorization": creds.api_key.get_secret_value()}
        reply = http.sign_in(rec, RULES, ctx, url, site=site, headers=key)
        with rec.step("read categories") as note:
            categories = _categories(reply.body)
            if categories is None:
                raise RULES.unexpected("the list of categories")
            note["detail"] = f"{len(categories)} categories"
        with rec.step("confirm the key is required") as note:
            note["detail"] = _confirm_key_required(url, site, ctx)
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(
        f"The Helpjuice API key works for {site}; it can see {len(categories)} categories."
    )


def _categories(body: Any) -> list[Any] | None:
    """The category list from either shape Helpjuice may use, or None if it is neither."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get("categories"), list):
        return list(body["categories"])
    return None


def _confirm_key_required(url: str, site: str, ctx: VerifyContext) -> str:
    """Ask again without the key: if that also works, the first answer proved nothing."""
    try:
        anonymous = http.get(url, product=PRODUCT, timeout_s=ctx.timeout_s)
    except CheckFailed as failure:
        if failure.category is not Category.NOT_FOUND:
            raise
        # The host answered the keyed request, so this is a redirect to a sign-in page.
        return "without the key Helpjuice sends callers to sign in"
    if anonymous.status in (401, 403):
        return f"without the key Helpjuice refuses (HTTP {anonymous.status})"
    if anonymous.status == 429:
        raise http.too_many_requests(anonymous, RULES)
    if anonymous.status == 200 and _categories(anonymous.body) is not None:
        raise CheckFailed(
            Category.MISCONFIGURED,
            f"{site} shows its categories to anyone, even without a key, so this check cannot "
            "tell whether the key is right. Turn on 'Require token for API?' in "
            f"{_KEY_PAGE}, then check again.",
        )
    if anonymous.status >= 500:
        raise http.server_trouble(PRODUCT, anonymous.status)
    return f"without the key Helpjuice gives no categories (HTTP {anonymous.status})"


SPEC = ProviderSpec(
    name="helpjuice",
    title="Helpjuice",
    platform="helpcenter",
    credentials=HelpjuiceCredentials,
    verify=verify,
    summary="Import screenshots from a Helpjuice knowledge base.",
)
