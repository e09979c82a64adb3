"""Help Scout Docs verification against a local double of the Docs API."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.helpscout import HelpScoutCredentials, verify
from tests.doubles.helpscout import HelpScoutDouble

KEY = "60783dd23ef0a1b2c3d4e5f6"
WRONG = "wrong-secret-key-0000beef"


@pytest.fixture(scope="module")
def double() -> Iterator[HelpScoutDouble]:
    server = HelpScoutDouble(delay_s=1.5)
    server.add_key("acme", KEY, ["Acme Docs", "Acme Partners"])
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
    double: HelpScoutDouble, tenant: str, key: str = KEY, timeout_s: float = 2.0
) -> VerificationResult:
    creds = HelpScoutCredentials(apiKey=key)
    return verify(creds, VerifyContext(timeout_s=timeout_s, endpoint=f"{double.url}/{tenant}"))


def test_valid_key_lists_sites(double: HelpScoutDouble) -> None:
    """A working key passes and says how many Docs sites it can see."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert "2 sites" in result.message
    assert [s.name for s in result.steps] == ["reach host and authenticate", "read sites"]
    assert "Correlation-Id" in result.steps[0].detail
    assert "Acme Docs" in result.steps[1].detail


def test_key_sent_as_basic_username(double: HelpScoutDouble, sent: list) -> None:
    """The key goes as the Basic username with X as the password, never in the URL."""
    check(double, "acme")
    expected = "Basic " + base64.b64encode(f"{KEY}:X".encode()).decode()
    assert sent[-1].headers["Authorization"] == expected
    assert KEY not in sent[-1].url and sent[-1].url.endswith("/v1/sites")


def test_wrong_key_is_an_auth_failure(double: HelpScoutDouble) -> None:
    """A wrong key is refused and the message says where the Docs API key is issued."""
    result = check(double, "acme", key=WRONG)
    assert not result.ok and result.category is Category.AUTH
    assert "did not accept the API key" in result.message
    assert "Authentication › API Keys" in result.message


def test_unknown_account_is_an_auth_failure(double: HelpScoutDouble) -> None:
    """A key no Help Scout account knows is refused like a wrong key."""
    result = check(double, "nobody")
    assert result.category is Category.AUTH and "Docs API key" in result.message


def test_rate_limit_reads_help_scout_header(double: HelpScoutDouble) -> None:
    """Over the limit, the wait comes from Help Scout's X-RateLimit-Retry-After."""
    result = check(double, "ratelimited")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 42 and "42 seconds" in result.message


def test_rate_limit_falls_back_to_retry_after(double: HelpScoutDouble) -> None:
    """Without Help Scout's own header, a standard Retry-After sets the wait."""
    result = check(double, "ratelimited-standard")
    assert result.category is Category.RATE_LIMITED and result.retry_after_s == 42


def test_rate_limit_without_header_uses_fixed_wait(double: HelpScoutDouble) -> None:
    """With no wait header at all, the user is told to try again in a minute."""
    result = check(double, "ratelimited-bare")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 60 and "60 seconds" in result.message


def test_slow_answer_times_out(double: HelpScoutDouble) -> None:
    """A host slower than the timeout ends the check with a time-out message."""
    result = check(double, "slow", timeout_s=0.5)
    assert result.category is Category.TIMEOUT
    assert "did not answer within 0.5 seconds" in result.message


def test_html_error_page_is_server_trouble(double: HelpScoutDouble) -> None:
    """An HTML error page from the fixed host is reported as Help Scout's own trouble."""
    result = check(double, "htmlerror")
    assert result.category is Category.UNKNOWN
    assert "problem of its own (HTTP 500)" in result.message


def test_redirect_is_not_followed(double: HelpScoutDouble, sent: list) -> None:
    """A redirect to another host stops the check, and the key never goes there."""
    before = len([r for r in double.requests_seen if r[0] == "redirect"])
    result = check(double, "redirect")
    assert result.category is Category.NOT_FOUND
    assert "login.example.net" in result.message
    assert len([r for r in double.requests_seen if r[0] == "redirect"]) == before + 1
    assert sent and all(urlsplit(r.url).hostname == "127.0.0.1" for r in sent)


def test_secret_never_in_results_or_logs(
    double: HelpScoutDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """However the check fails, the key never appears in the message, steps or logs."""
    caplog.set_level(logging.DEBUG)
    for tenant in ("acme", "nobody", "ratelimited", "htmlerror", "redirect"):
        result = check(double, tenant, key=WRONG)
        assert not result.ok
        assert WRONG not in str(result.to_json())
    assert WRONG not in caplog.text


def test_blank_key_is_rejected() -> None:
    """An empty key is refused before any network call."""
    with pytest.raises(ValidationError):
        HelpScoutCredentials(apiKey="  ")


def test_key_hidden_in_repr() -> None:
    """Printing the credentials never shows the key."""
    creds = HelpScoutCredentials(apiKey=KEY)
    assert KEY not in repr(creds) and KEY not in str(creds)
