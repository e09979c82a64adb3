"""Freshdesk verification against a local double of its per-helpdesk API."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.freshdesk import FreshdeskCredentials, verify
from tests.doubles.freshdesk import FreshdeskDouble

KEY = "Ab12Cd34Ef56Gh78Ij90"
WRONG = "wrong-secret-key-0000beef"


@pytest.fixture(scope="module")
def double() -> Iterator[FreshdeskDouble]:
    server = FreshdeskDouble(delay_s=1.5)
    server.add_agent("acme", KEY, "agent@acme.test")
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
    double: FreshdeskDouble, subdomain: str, key: str = KEY, timeout_s: float = 2.0
) -> VerificationResult:
    creds = FreshdeskCredentials(subdomain=subdomain, apiKey=key)
    endpoint = f"{double.url}/{{subdomain}}"
    return verify(creds, VerifyContext(timeout_s=timeout_s, endpoint=endpoint))


def test_valid_key_signs_in(double: FreshdeskDouble) -> None:
    """A working key passes and names the helpdesk and the agent who owns the key."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert result.message == "Signed in to acme.freshdesk.com as agent@acme.test."
    assert [s.name for s in result.steps] == [
        "reach host and authenticate",
        "read the signed-in agent",
    ]


def test_key_sent_as_basic_username(double: FreshdeskDouble, sent: list) -> None:
    """The key goes as the Basic username with X as the password, never in the URL."""
    check(double, "acme")
    expected = "Basic " + base64.b64encode(f"{KEY}:X".encode()).decode()
    assert sent[-1].headers["Authorization"] == expected
    assert KEY not in sent[-1].url and sent[-1].url.endswith("/acme/api/v2/agents/me")


def test_wrong_key_is_an_auth_failure(double: FreshdeskDouble) -> None:
    """A wrong key is refused and the message says where the key is shown."""
    result = check(double, "acme", key=WRONG)
    assert not result.ok and result.category is Category.AUTH
    assert "did not accept the API key for acme.freshdesk.com" in result.message
    assert "Profile settings › View API key" in result.message


def test_unknown_subdomain_is_not_found(double: FreshdeskDouble) -> None:
    """A helpdesk name Freshdesk does not know is reported as a wrong subdomain."""
    result = check(double, "nowhere")
    assert result.category is Category.NOT_FOUND
    assert "no Freshdesk helpdesk at nowhere.freshdesk.com" in result.message
    assert "not found" in result.message and "custom domain" in result.message


def test_rate_limit_reads_retry_after(double: FreshdeskDouble) -> None:
    """Over the limit, the wait comes from Freshdesk's Retry-After."""
    result = check(double, "ratelimited")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 23 and "23 seconds" in result.message


def test_slow_answer_times_out(double: FreshdeskDouble) -> None:
    """A host slower than the timeout ends the check with a time-out message."""
    result = check(double, "slow", timeout_s=0.5)
    assert result.category is Category.TIMEOUT
    assert "did not answer within 0.5 seconds" in result.message


def test_html_error_page_points_at_subdomain(double: FreshdeskDouble) -> None:
    """An HTML page instead of API data is reported with a hint to check the subdomain."""
    result = check(double, "htmlerror")
    assert result.category is Category.NOT_FOUND
    assert "web page instead of API data (HTTP 500)" in result.message
    assert "try again later" in result.message


def test_redirect_is_not_followed(double: FreshdeskDouble, sent: list) -> None:
    """A redirect to another host stops the check, and the key never goes there."""
    before = len([r for r in double.requests_seen if r[0] == "redirect"])
    result = check(double, "redirect")
    assert result.category is Category.NOT_FOUND
    assert "login.example.net" in result.message
    assert len([r for r in double.requests_seen if r[0] == "redirect"]) == before + 1
    assert sent and all(urlsplit(r.url).hostname == "127.0.0.1" for r in sent)


def test_secret_never_in_results_or_logs(
    double: FreshdeskDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """However the check fails, the key never appears in the message, steps or logs."""
    caplog.set_level(logging.DEBUG)
    for subdomain in ("acme", "nowhere", "ratelimited", "htmlerror", "redirect"):
        result = check(double, subdomain, key=WRONG)
        assert not result.ok
        assert WRONG not in str(result.to_json())
    assert WRONG not in caplog.text


def test_pasted_address_becomes_subdomain() -> None:
    """A pasted full Freshdesk address is reduced to its subdomain."""
    creds = FreshdeskCredentials(subdomain="https://Acme.freshdesk.com/a/solutions", apiKey=KEY)
    assert creds.subdomain == "acme"
    assert FreshdeskCredentials(subdomain="acme.freshdesk.com/", apiKey=KEY).subdomain == "acme"


@pytest.mark.parametrize(
    "typed",
    ["acme/support", "evil.test@acme", "acme#x", "acme.zendesk.com", "https://help.acme.test/"],
)
def test_subdomain_that_could_mislead_is_rejected(typed: str) -> None:
    """A subdomain with '/', '@', '#' or another domain (a custom CNAME) is refused."""
    with pytest.raises(ValidationError):
        FreshdeskCredentials(subdomain=typed, apiKey=KEY)


def test_key_hidden_in_repr() -> None:
    """Printing the credentials never shows the key."""
    creds = FreshdeskCredentials(subdomain="acme", apiKey=KEY)
    assert KEY not in repr(creds) and KEY not in str(creds)
