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
# Helpjuice's 429 says "please wait one minute" and sends no header saying how long.
RATE_LIMIT_WAIT_S = 60.0
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


def verify(creds: HelpjuiceCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint, subdomain=creds.subdomain)
    url = f"{base}/api/v3/categories"
    site = f"{creds.subdomain}.helpjuice.com"
    try:
        with rec.step("reach host and authenticate") as note:
            # The key goes in the header only: the api_key query form would put it in URLs,
            # and URLs end up in proxy and server logs.
            reply = http.get(
                url,
                product=PRODUCT,
                timeout_s=ctx.timeout_s,
                headers={"Authorization": creds.api_key.get_secret_value()},
            )
            _raise_for_status(reply, site)
            note["detail"] = f"HTTP {reply.status}"
        with rec.step("read categories") as note:
            categories = _categories(reply.body)
            if categories is None:
                raise CheckFailed(
                    Category.UNKNOWN,
                    "Helpjuice answered, but not with the list of categories; the key could "
                    "not be confirmed. Try again, and if it keeps happening report it with the "
                    "time of the check.",
                )
            note["detail"] = f"{len(categories)} categories"
        with rec.step("confirm the key is required") as note:
            note["detail"] = _confirm_key_required(url, site, ctx)
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(
        f"The Helpjuice API key works for {site}; it can see {len(categories)} categories."
    )


def _raise_for_status(reply: http.Reply, site: str) -> None:
    if reply.status == 401:
        raise CheckFailed(
            Category.AUTH,
            f"Helpjuice did not accept the API key for {site}. Copy the key again from "
            f"{_KEY_PAGE} (only Super Administrators can see that page).",
        )
    if reply.status == 403:
        raise CheckFailed(
            Category.PERMISSION,
            f"Helpjuice refused access to the categories of {site} (HTTP 403). Check that the "
            f"key is the current one in {_KEY_PAGE}.",
        )
    if reply.status == 429:
        raise http.rate_limited(PRODUCT, None, fallback_s=RATE_LIMIT_WAIT_S)
    if not reply.is_json or reply.status == 404:
        raise _no_account(site, reply.status)
    if reply.status >= 500:
        raise http.server_trouble(PRODUCT, reply.status)
    if reply.status != 200:
        raise CheckFailed(Category.UNKNOWN, f"Helpjuice answered HTTP {reply.status} unexpectedly.")


def _no_account(site: str, status: int) -> CheckFailed:
    if status == 404:
        found = "answered 'not found'"
    else:
        found = f"answered with a web page instead of API data (HTTP {status})"
    return CheckFailed(
        Category.NOT_FOUND,
        f"There seems to be no Helpjuice knowledge base at {site}: it {found}. Check the "
        "account subdomain; if it is right, Helpjuice may be having trouble, so try again later.",
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
        raise http.rate_limited(PRODUCT, None, fallback_s=RATE_LIMIT_WAIT_S)
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
