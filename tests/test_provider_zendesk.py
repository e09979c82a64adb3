"""Zendesk verification against a local double of its per-account API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.zendesk import ZendeskCredentials, verify
from tests.doubles.zendesk import ZendeskDouble

TOKEN = "jP0aXw7cRkT2mN9bQe4sLv6yHu3gZd8fKo1iWt5r"
AGENT = "agent@acme.test"


@pytest.fixture(scope="module")
def double() -> Iterator[ZendeskDouble]:
    server = ZendeskDouble()
    server.add_agent("acme", AGENT, TOKEN)
    server.start()
    yield server
    server.stop()


def check(
    double: ZendeskDouble, subdomain: str, username: str = AGENT, token: str = TOKEN
) -> VerificationResult:
    creds = ZendeskCredentials(subdomain=subdomain, username=username, token=token)
    endpoint = f"{double.url}/{{subdomain}}"
    return verify(creds, VerifyContext(timeout_s=2.0, endpoint=endpoint))


def test_anonymous_answer_is_an_auth_failure(double: ZendeskDouble) -> None:
    """A 200 with an anonymous user (an e-mail Zendesk does not know) is not a pass."""
    result = check(double, "acme", username="nobody@acme.test")
    assert not result.ok and result.category is Category.AUTH
    assert "anonymous visitor" in result.message and "token access" in result.message
    assert [s.name for s in result.steps] == ["reach host", "authenticate"]


def test_plain_text_429_is_still_rate_limited(double: ZendeskDouble) -> None:
    """A 429 in plain text with no Retry-After is rate limited with a one-minute wait."""
    result = check(double, "ratelimited-plain")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 60 and "60 seconds" in result.message


def test_username_must_be_an_email() -> None:
    """A user name that is not an e-mail address is refused beside the field."""
    with pytest.raises(ValidationError):
        ZendeskCredentials(subdomain="acme", username="agent", token=TOKEN)
