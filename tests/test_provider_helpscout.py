"""Help Scout Docs verification against a local double of the Docs API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.base import Category, VerificationResult, VerifyContext
from providers.helpscout import HelpScoutCredentials, verify
from tests.doubles.helpscout import HelpScoutDouble

KEY = "60783dd23ef0a1b2c3d4e5f6"
WRONG = "wrong-secret-key-0000beef"


@pytest.fixture(scope="module")
def double() -> Iterator[HelpScoutDouble]:
    server = HelpScoutDouble()
    server.add_key("acme", KEY, ["Acme Docs", "Acme Partners"])
    server.start()
    yield server
    server.stop()


def check(double: HelpScoutDouble, tenant: str, key: str = KEY) -> VerificationResult:
    creds = HelpScoutCredentials(apiKey=key)
    return verify(creds, VerifyContext(timeout_s=2.0, endpoint=f"{double.url}/{tenant}"))


def test_valid_key_lists_sites(double: HelpScoutDouble) -> None:
    """A working key passes, names the sites it sees and keeps Help Scout's request id."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert "2 sites" in result.message
    assert [s.name for s in result.steps] == ["reach host", "authenticate", "read sites"]
    assert "Correlation-Id" in result.steps[1].detail
    assert "Acme Docs" in result.steps[2].detail


def test_wrong_key_is_an_auth_failure(double: HelpScoutDouble) -> None:
    """A wrong key is refused and the message says to use the Docs API key, and where it is."""
    result = check(double, "acme", key=WRONG)
    assert not result.ok and result.category is Category.AUTH
    assert "did not accept the API key" in result.message and "not a Mailbox" in result.message
    assert "Authentication › API Keys" in result.message


def test_unknown_account_is_an_auth_failure(double: HelpScoutDouble) -> None:
    """A key no Help Scout account knows is refused like a wrong key."""
    result = check(double, "nobody")
    assert result.category is Category.AUTH and "Docs API key" in result.message


def test_rate_limit_falls_back_to_retry_after(double: HelpScoutDouble) -> None:
    """Without Help Scout's own header, a standard Retry-After sets the wait."""
    result = check(double, "ratelimited-standard")
    assert result.category is Category.RATE_LIMITED and result.retry_after_s == 42


def test_rate_limit_without_header_uses_fixed_wait(double: HelpScoutDouble) -> None:
    """With no wait header at all, the user is told to try again in a minute."""
    result = check(double, "ratelimited-bare")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 60 and "60 seconds" in result.message
