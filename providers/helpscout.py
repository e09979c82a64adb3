"""Help Scout Docs: credentials and verification (Docs API, ``GET /v1/sites``)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

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
from providers.fields import field, secret_not_blank

log = logging.getLogger(__name__)

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


def verify(creds: HelpScoutCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint)
    try:
        with rec.step("reach host and authenticate") as note:
            reply = http.get(
                f"{base}/v1/sites",
                product=PRODUCT,
                timeout_s=ctx.timeout_s,
                auth=(creds.api_key.get_secret_value(), "X"),
            )
            # Help Scout support finds a request by this id; it names no user or key.
            correlation = reply.header("Correlation-Id")
            log.debug(
                "Help Scout Docs answered HTTP %s, Correlation-Id %s", reply.status, correlation
            )
            _raise_for_status(reply, base)
            note["detail"] = f"HTTP {reply.status}" + (
                f", Correlation-Id {correlation}" if correlation else ""
            )
        with rec.step("read sites") as note:
            names = _site_names(reply.body)
            note["detail"] = ", ".join(names) or "no sites"
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"The Help Scout Docs API key works; it can see {len(names)} sites.")


def _raise_for_status(reply: http.Reply, base: str) -> None:
    if reply.status == 401:
        raise CheckFailed(
            Category.AUTH,
            "Help Scout Docs did not accept the API key. Use the Docs API key (not a Mailbox "
            f"app id or secret) from {_KEY_PAGE}.",
        )
    if reply.status == 403:
        raise CheckFailed(
            Category.PERMISSION,
            "Help Scout Docs accepted the API key but will not list sites. The key's user "
            "needs the 'Docs: Create new, edit settings & Collections' permission, which an "
            "Account Owner or Administrator can grant.",
        )
    if reply.status == 429:
        raise http.rate_limited(
            PRODUCT, _rate_limit_wait(reply), fallback_s=http.DEFAULT_RATE_LIMIT_WAIT_S
        )
    if reply.status >= 500:
        raise http.server_trouble(PRODUCT, reply.status)
    if not reply.is_json or reply.status == 404:
        host = urlsplit(base).hostname or base
        raise CheckFailed(
            Category.NOT_FOUND,
            f"{host} answered HTTP {reply.status} with "
            f"{'a web page' if not reply.is_json else 'not found'} instead of the Help Scout "
            "Docs API. A proxy on this network, or a wrong API address setting, is the likely "
            "cause.",
        )
    if reply.status != 200:
        raise CheckFailed(
            Category.UNKNOWN, f"Help Scout Docs answered HTTP {reply.status} unexpectedly."
        )


def _rate_limit_wait(reply: http.Reply) -> float | None:
    # Help Scout's own header first (documented for the Mailbox API), then the standard one.
    value = reply.header("X-RateLimit-Retry-After")
    if value:
        try:
            return max(0.0, float(value.strip()))
        except ValueError:
            pass
    return http.retry_after_seconds(reply)


def _site_names(body: Any) -> list[str]:
    sites = body.get("sites") if isinstance(body, dict) else None
    items = sites.get("items") if isinstance(sites, dict) else None
    if not isinstance(items, list):
        raise CheckFailed(
            Category.UNKNOWN,
            "Help Scout Docs answered, but not with the list of sites; the key could not be "
            "confirmed. Try again, and if it keeps happening report it with the time of the "
            "check.",
        )
    return [str(site.get("title") or site.get("id")) for site in items if isinstance(site, dict)]


SPEC = ProviderSpec(
    name="helpscout",
    title="Help Scout",
    platform="helpcenter",
    credentials=HelpScoutCredentials,
    verify=verify,
    summary="Import screenshots from a Help Scout Docs site.",
)
