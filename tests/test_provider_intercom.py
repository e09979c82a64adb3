"""Intercom verification against a local double of its regional API hosts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.intercom import API_VERSION, HOSTS, IntercomCredentials, api_base, verify
from tests.doubles.intercom import IntercomDouble

TOKEN = "dG9rOmFjbWUtdXMtdG9rZW4="
EU_TOKEN = "dG9rOmFjbWUtZXUtdG9rZW4="
PRIVATE_APP_TOKEN = "dG9rOnByaXZhdGUtYXBw"


@pytest.fixture(scope="module")
def double() -> Iterator[IntercomDouble]:
    server = IntercomDouble()
    server.add_token("us", TOKEN, "support@acme.test", "Acme Help")
    server.add_token("eu", EU_TOKEN, "support@acme.test", "Acme Europe")
    server.add_token("us", PRIVATE_APP_TOKEN, "bot@acme.test", "Acme Help", me_refused=True)
    server.start()
    yield server
    server.stop()


def check(
    double: IntercomDouble,
    host: str,
    token: str = TOKEN,
    region: str | None = None,
) -> VerificationResult:
    creds = IntercomCredentials(accessToken=token, region=region)
    return verify(creds, VerifyContext(timeout_s=2.0, endpoint=f"{double.url}/{host}"))


def test_valid_token_signs_in(double: IntercomDouble) -> None:
    """A working token shows the workspace name and the admin it belongs to."""
    result = check(double, "us")
    assert result.ok and result.category is Category.OK
    assert "Acme Help" in result.message and "support@acme.test" in result.message
    assert result.steps[-1].name == "read the signed-in admin"


def test_asks_for_json_in_a_named_api_version(double: IntercomDouble) -> None:
    """The check asks for JSON and names the Intercom API version it was written for."""
    check(double, "us")
    headers = double.seen("us")[-1].headers
    assert headers["Accept"] == "application/json"
    assert headers["Intercom-Version"] == API_VERSION


def test_token_for_another_region_hints_at_region(double: IntercomDouble) -> None:
    """An EU workspace's token checked on the US host tells the user to check Region."""
    result = check(double, "us", token=EU_TOKEN, region="us")
    assert result.category is Category.AUTH
    assert "US host" in result.message and "another region" in result.message


def test_token_for_right_region_passes(double: IntercomDouble) -> None:
    """The same EU token passes when checked on the EU host."""
    result = check(double, "eu", token=EU_TOKEN, region="eu")
    assert result.ok and "(EU)" in result.message and "Acme Europe" in result.message


def test_token_refused_by_me_passes_through_admin_list(double: IntercomDouble) -> None:
    """A token that /me refuses but that can read the admin list still counts as working."""
    result = check(double, "us", token=PRIVATE_APP_TOKEN)
    assert result.ok and "2 admins" in result.message
    assert result.steps[-1].name == "read the workspace's admins"
    assert [request.path for request in double.seen("us")[-2:]] == ["/me", "/admins"]


def test_unknown_workspace_is_an_auth_failure(double: IntercomDouble) -> None:
    """A host that knows no workspace for the token answers like a wrong token."""
    result = check(double, "nowhere")
    assert result.category is Category.AUTH and "Region" in result.message


def test_region_picks_the_api_host() -> None:
    """Region eu or au sends the check to that region's host; blank means US."""
    assert api_base(IntercomCredentials(accessToken=TOKEN, region=" EU "), None) == HOSTS["eu"]
    assert api_base(IntercomCredentials(accessToken=TOKEN, region="au"), None) == HOSTS["au"]
    assert api_base(IntercomCredentials(accessToken=TOKEN, region=""), None) == HOSTS["us"]
    override = "http://127.0.0.1:9/us/"
    assert api_base(IntercomCredentials(accessToken=TOKEN), override) == override.rstrip("/")


def test_unknown_region_is_rejected() -> None:
    """A region other than us, eu or au is refused beside the field."""
    with pytest.raises(ValidationError):
        IntercomCredentials(accessToken=TOKEN, region="asia")
