"""Intercom: credentials and verification (``GET /me`` on the workspace's regional host)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any, Literal

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

PRODUCT = "Intercom"
HOSTS = {
    "us": "https://api.intercom.io",
    "eu": "https://api.eu.intercom.io",
    "au": "https://api.au.intercom.io",
}
API_VERSION = "2.11"
_APP_PAGE = "Intercom Developer Hub › your app › Configure › Authentication"


class IntercomCredentials(CredentialsModel):
    """An Intercom access token and the region of its workspace."""

    access_token: SecretStr = field(
        "accessToken",
        "Access token",
        "The access token of your Intercom app.",
        "dG9rOjEyMzQ1…",
        _APP_PAGE + ".",
    )
    region: Literal["us", "eu", "au"] | None = field(
        "region",
        "Region",
        "Where your workspace is hosted: us, eu or au (default us). A token used in the wrong "
        "region is refused as if it were wrong.",
        "us",
        "The address you use Intercom at: app.eu.intercom.com means eu, "
        "app.au.intercom.com means au, app.intercom.com means us.",
        default=None,
    )

    _token = field_validator("access_token")(secret_not_blank)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().lower() or None
        return value


def api_base(creds: IntercomCredentials, endpoint: str | None) -> str:
    """The API host for the credentials' region, unless an endpoint override replaces it."""
    return http.base_url(HOSTS[creds.region or "us"], endpoint)


RULES = http.StatusRules(
    product=PRODUCT,
    key_page=_APP_PAGE,
    credential="access token",
    wait=http.WaitSignal.RESET_EPOCH,
    # Intercom counts requests in 10-second windows; used when a 429 carries no reset time.
    fallback_wait_s=10.0,
    permission_message=(
        "Intercom accepted the access token but will not show who it belongs to or the "
        "workspace's admins. Give the app permission to read admins in {key_page}."
    ),
)


def _rules(region: str) -> http.StatusRules:
    """The rules, with a 401 message that names the region checked."""
    return replace(
        RULES,
        auth_message=(
            f"Intercom did not accept the access token on its {region} host. A token for a "
            "workspace in another region looks exactly like a wrong token, so first check the "
            "Region field (app.eu.intercom.com means eu, app.au.intercom.com means au). If the "
            "region is right, copy the token again from {key_page}."
        ),
    )


def verify(creds: IntercomCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = api_base(creds, ctx.endpoint)
    region = (creds.region or "us").upper()
    try:
        fetch = partial(_me_or_admins, base, creds, ctx)
        reply = http.sign_in(rec, _rules(region), ctx, base + "/me", fetch=fetch)
        if reply.url.endswith("/me"):
            with rec.step("read the signed-in admin") as note:
                admin, workspace = _admin_summary(reply.body)
                note["detail"] = f"{admin} in {workspace}"
            return rec.passed(
                f"Signed in to the Intercom workspace {workspace} ({region}) as {admin}."
            )
        with rec.step("read the workspace's admins") as note:
            count = _admin_count(reply.body)
            note["detail"] = f"{count} admins, read from /admins"
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"The Intercom access token works ({region}); it can see {count} admins.")


def _me_or_admins(base: str, creds: IntercomCredentials, ctx: VerifyContext) -> http.Reply:
    reply = _get(base + "/me", creds, ctx)
    if reply.status in (401, 403):
        # Older API references call /me "OAuth only"; an app's own access token may be
        # refused there yet still read the admin list, so one second try settles it.
        reply = _get(base + "/admins", creds, ctx)
    return reply


def _get(url: str, creds: IntercomCredentials, ctx: VerifyContext) -> http.Reply:
    return http.get(
        url,
        product=PRODUCT,
        timeout_s=ctx.timeout_s,
        fixed_host=True,
        headers={
            "Authorization": f"Bearer {creds.access_token.get_secret_value()}",
            "Accept": "application/json",
            "Intercom-Version": API_VERSION,
        },
    )


def _admin_summary(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict) or body.get("type") != "admin" or body.get("id") is None:
        raise RULES.unexpected("the admin who owns the token")
    app = body.get("app")
    if not isinstance(app, dict):
        app = {}
    admin = str(body.get("email") or body.get("name") or f"admin #{body['id']}")
    workspace = str(app.get("name") or app.get("id_code") or "(unnamed)")
    return admin, workspace


def _admin_count(body: Any) -> int:
    admins = body.get("admins") if isinstance(body, dict) else None
    if not isinstance(admins, list):
        raise RULES.unexpected("the list of admins")
    return len(admins)


SPEC = ProviderSpec(
    name="intercom",
    title="Intercom",
    platform="helpcenter",
    credentials=IntercomCredentials,
    verify=verify,
    summary="Import screenshots from Intercom articles.",
)
