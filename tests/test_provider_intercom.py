"""Intercom verification against a local double of its regional API hosts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.intercom import HOSTS, IntercomCredentials, api_base, verify
from tests.doubles.intercom import IntercomDouble

TOKEN = "dG9rOmFjbWUtdXMtdG9rZW4="
EU_TOKEN = "dG9rOmFjbWUtZXUtdG9rZW4="
PRIVATE_APP_TOKEN = "dG9rOnByaXZhdGUtYXBw"
WRONG = "dG9rOndyb25nLXNlY3JldC0xMjM0"


@pytest.fixture(scope="module")
def double() -> Iterator[IntercomDouble]:
    server = IntercomDouble(delay_s=1.5)
    server.add_token("us", TOKEN, "support@acme.test", "Acme Help")
    server.add_token("eu", EU_TOKEN, "support@acme.test", "Acme Europe")
    server.add_token("us", PRIVATE_APP_TOKEN, "bot@acme.test", "Acme Help", me_refused=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[requests.PreparedRequest]:
    """Every request the verifier sends, whatever host it goes to."""
    seen: list[requests.PreparedRequest] = []
    real_send = requests.Session.send

    def spy(self: requests.Session, request: requests.PreparedRequest, **kwargs: object):
        seen.append(request)
        return real_send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", spy)
    return seen


def check(
    double: IntercomDouble,
    host: str,
    token: str = TOKEN,
    region: str | None = None,
    timeout_s: float = 2.0,
) -> VerificationResult:
    creds = IntercomCredentials(accessToken=token, region=region)
    return verify(creds, VerifyContext(timeout_s=timeout_s, endpoint=f"{double.url}/{host}"))


def test_valid_token_signs_in(double: IntercomDouble) -> None:
    """A working token shows the workspace name and the admin it belongs to."""
    result = check(double, "us")
    assert result.ok and result.category is Category.OK
    assert "Acme Help" in result.message and "support@acme.test" in result.message
    assert [s.name for s in result.steps] == [
        "reach host and authenticate",
        "read the signed-in admin",
    ]


def test_sends_bearer_token_and_api_version(double: IntercomDouble) -> None:
    """The check sends the token as Bearer, asks for JSON and names an API version."""
    check(double, "us")
    headers = double.headers_seen[-1]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/json"
    assert headers["Intercom-Version"]


def test_wrong_token_is_an_auth_failure(double: IntercomDouble) -> None:
    """A wrong token is refused, and the message points at Region and the token page."""
    result = check(double, "us", token=WRONG)
    assert not result.ok and result.category is Category.AUTH
    assert "Region" in result.message
    assert "Developer Hub" in result.message


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


def test_unknown_workspace_is_an_auth_failure(double: IntercomDouble) -> None:
    """A host that knows no workspace for the token answers like a wrong token."""
    result = check(double, "nowhere")
    assert result.category is Category.AUTH and "Region" in result.message


def test_rate_limit_waits_until_reset(double: IntercomDouble) -> None:
    """Over the limit, the user is told to wait until Intercom's reset time."""
    result = check(double, "ratelimited")
    assert result.category is Category.RATE_LIMITED
    assert "try again in about" in result.message
    assert result.retry_after_s is not None and 25 <= result.retry_after_s <= 31


def test_slow_answer_times_out(double: IntercomDouble) -> None:
    """A host slower than the timeout ends the check with a time-out message."""
    result = check(double, "slow", timeout_s=0.5)
    assert result.category is Category.TIMEOUT
    assert "did not answer within 0.5 seconds" in result.message


def test_html_error_page_is_server_trouble(double: IntercomDouble) -> None:
    """An HTML error page from the fixed host is reported as Intercom's own trouble."""
    result = check(double, "htmlerror")
    assert result.category is Category.UNKNOWN
    assert "problem of its own (HTTP 500)" in result.message


def test_redirect_is_not_followed(double: IntercomDouble, sent: list) -> None:
    """A redirect to another host stops the check, and the token never goes there."""
    before = len([r for r in double.requests_seen if r[0] == "redirect"])
    result = check(double, "redirect")
    assert result.category is Category.NOT_FOUND
    assert "login.example.net" in result.message
    assert len([r for r in double.requests_seen if r[0] == "redirect"]) == before + 1
    assert sent and all(urlsplit(r.url).hostname == "127.0.0.1" for r in sent)


def test_secret_never_in_results_or_logs(
    double: IntercomDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """However the check fails, the token never appears in the message, steps or logs."""
    caplog.set_level(logging.DEBUG)
    for host in ("us", "nowhere", "ratelimited", "htmlerror", "redirect"):
        result = check(double, host, token=WRONG)
        assert not result.ok
        assert WRONG not in str(result.to_json())
    assert WRONG not in caplog.text


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


def test_blank_token_is_rejected() -> None:
    """An empty access token is refused before any network call."""
    with pytest.raises(ValidationError):
        IntercomCredentials(accessToken="   ")


def test_token_hidden_in_repr() -> None:
    """Printing the credentials never shows the token."""
    creds = IntercomCredentials(accessToken=TOKEN, region="us")
    assert TOKEN not in repr(creds) and TOKEN not in str(creds)
