"""Helpjuice verification against a local double of its per-account API."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.helpjuice import HelpjuiceCredentials, verify
from tests.doubles.helpjuice import HelpjuiceDouble

KEY = "6f1c2b9a8d7e6f5a4b3c2d1e"
WRONG = "wrong-secret-key-0000beef"


@pytest.fixture(scope="module")
def double() -> Iterator[HelpjuiceDouble]:
    server = HelpjuiceDouble(delay_s=1.5)
    server.add_account("acme", KEY)
    server.add_account("openkb", KEY, require_token=False)
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
    double: HelpjuiceDouble, subdomain: str, key: str = KEY, timeout_s: float = 2.0
) -> VerificationResult:
    creds = HelpjuiceCredentials(subdomain=subdomain, apiKey=key)
    endpoint = f"{double.url}/{{subdomain}}"
    return verify(creds, VerifyContext(timeout_s=timeout_s, endpoint=endpoint))


def test_valid_key_lists_categories(double: HelpjuiceDouble) -> None:
    """A working key passes and says how many categories it can see."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert "acme.helpjuice.com" in result.message and "3 categories" in result.message
    assert [s.name for s in result.steps] == [
        "reach host and authenticate",
        "read categories",
        "confirm the key is required",
    ]
    assert "refuses (HTTP 401)" in result.steps[-1].detail


def test_key_sent_raw_in_header_never_in_url(double: HelpjuiceDouble, sent: list) -> None:
    """The key goes as the bare Authorization header, never as an api_key query parameter."""
    double.query_strings.clear()
    check(double, "acme")
    assert sent[0].headers["Authorization"] == KEY
    assert all(KEY not in r.url and "api_key" not in r.url for r in sent)
    assert double.query_strings and not any(double.query_strings)


def test_wrong_key_is_an_auth_failure(double: HelpjuiceDouble) -> None:
    """A wrong key is refused and the message says where the key is issued."""
    result = check(double, "acme", key=WRONG)
    assert not result.ok and result.category is Category.AUTH
    assert "did not accept the API key" in result.message
    assert "Settings › API Credentials" in result.message


def test_open_knowledge_base_cannot_prove_the_key(double: HelpjuiceDouble) -> None:
    """If categories are readable without a key, the user is told to require the token."""
    result = check(double, "openkb")
    assert result.category is Category.MISCONFIGURED
    assert "Require token for API?" in result.message and "even without a key" in result.message


def test_wrong_key_on_open_knowledge_base_does_not_pass(double: HelpjuiceDouble) -> None:
    """A wrong key never passes just because the knowledge base is public."""
    result = check(double, "openkb", key=WRONG)
    assert not result.ok and result.category is Category.MISCONFIGURED


def test_unexpected_body_is_a_failure(double: HelpjuiceDouble) -> None:
    """A 200 answer that is not a category list does not count as a pass."""
    result = check(double, "wrongshape")
    assert not result.ok and result.category is Category.UNKNOWN
    assert "not with the list of categories" in result.message


def test_unknown_subdomain_is_not_found(double: HelpjuiceDouble) -> None:
    """An account name Helpjuice does not know is reported as a wrong subdomain."""
    result = check(double, "nowhere")
    assert result.category is Category.NOT_FOUND
    assert "no Helpjuice knowledge base at nowhere.helpjuice.com" in result.message
    assert "subdomain" in result.message


def test_rate_limit_waits_one_minute(double: HelpjuiceDouble) -> None:
    """Helpjuice's 429 has no wait header, so the user is told to wait a minute."""
    result = check(double, "ratelimited")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 60 and "60 seconds" in result.message


def test_slow_answer_times_out(double: HelpjuiceDouble) -> None:
    """A host slower than the timeout ends the check with a time-out message."""
    result = check(double, "slow", timeout_s=0.5)
    assert result.category is Category.TIMEOUT
    assert "did not answer within 0.5 seconds" in result.message


def test_html_error_page_points_at_subdomain(double: HelpjuiceDouble) -> None:
    """An HTML page instead of API data is reported with a hint to check the subdomain."""
    result = check(double, "htmlerror")
    assert result.category is Category.NOT_FOUND
    assert "web page instead of API data (HTTP 500)" in result.message


def test_redirect_is_not_followed(double: HelpjuiceDouble, sent: list) -> None:
    """A redirect to another host stops the check, and the key never goes there."""
    before = len([r for r in double.requests_seen if r[0] == "redirect"])
    result = check(double, "redirect")
    assert result.category is Category.NOT_FOUND
    assert "login.example.net" in result.message
    assert len([r for r in double.requests_seen if r[0] == "redirect"]) == before + 1
    assert sent and all(urlsplit(r.url).hostname == "127.0.0.1" for r in sent)


def test_secret_never_in_results_or_logs(
    double: HelpjuiceDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """However the check fails, the key never appears in the message, steps or logs."""
    caplog.set_level(logging.DEBUG)
    for subdomain in ("acme", "openkb", "nowhere", "ratelimited", "htmlerror", "redirect"):
        result = check(double, subdomain, key=WRONG)
        assert not result.ok
        assert WRONG not in str(result.to_json())
    assert WRONG not in caplog.text


def test_pasted_address_becomes_subdomain() -> None:
    """A pasted full Helpjuice address is reduced to its subdomain."""
    creds = HelpjuiceCredentials(subdomain="https://Acme.helpjuice.com/en_US/billing", apiKey=KEY)
    assert creds.subdomain == "acme"
    assert HelpjuiceCredentials(subdomain="acme.helpjuice.com", apiKey=KEY).subdomain == "acme"


@pytest.mark.parametrize(
    "typed",
    ["acme/kb", "evil.test@acme", "acme#x", "acme.zendesk.com", "https://kb.acme.test/"],
)
def test_subdomain_that_could_mislead_is_rejected(typed: str) -> None:
    """A subdomain with '/', '@', '#' or another domain is refused beside the field."""
    with pytest.raises(ValidationError):
        HelpjuiceCredentials(subdomain=typed, apiKey=KEY)


def test_key_hidden_in_repr() -> None:
    """Printing the credentials never shows the key."""
    creds = HelpjuiceCredentials(subdomain="acme", apiKey=KEY)
    assert KEY not in repr(creds) and KEY not in str(creds)
