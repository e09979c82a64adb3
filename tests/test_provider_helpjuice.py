"""Helpjuice verification against a local double of its per-account API."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from providers.base import Category, VerificationResult, VerifyContext
from providers.helpjuice import HelpjuiceCredentials, verify
from tests.doubles.helpjuice import HelpjuiceDouble

KEY = "6f1c2b9a8d7e6f5a4b3c2d1e"
WRONG = "wrong-secret-key-0000beef"


@pytest.fixture(scope="module")
def double() -> Iterator[HelpjuiceDouble]:
    server = HelpjuiceDouble()
    server.add_account("acme", KEY)
    server.add_account("openkb", KEY, require_token=False)
    server.start()
    yield server
    server.stop()


def check(double: HelpjuiceDouble, subdomain: str, key: str = KEY) -> VerificationResult:
    creds = HelpjuiceCredentials(subdomain=subdomain, apiKey=key)
    endpoint = f"{double.url}/{{subdomain}}"
    return verify(creds, VerifyContext(timeout_s=2.0, endpoint=endpoint))


def test_valid_key_lists_categories(double: HelpjuiceDouble) -> None:
    """A working key passes, says how many categories it sees, and is shown to be required."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert "acme.helpjuice.com" in result.message and "3 categories" in result.message
    assert [s.name for s in result.steps][2:] == ["read categories", "confirm the key is required"]
    assert "refuses (HTTP 401)" in result.steps[-1].detail


def test_confirming_request_carries_no_key(double: HelpjuiceDouble) -> None:
    """The second request, which shows the key is required, is sent without any key."""
    before = len(double.seen("acme"))
    check(double, "acme")
    keyed, keyless = double.seen("acme")[before:]
    assert keyed.headers["Authorization"] == KEY and "Authorization" not in keyless.headers
    assert not keyless.query and keyless.path == keyed.path


def test_open_knowledge_base_cannot_prove_the_key(double: HelpjuiceDouble) -> None:
    """If categories are readable without a key, the user is told to require the token."""
    result = check(double, "openkb")
    assert result.category is Category.MISCONFIGURED
    assert "Require token for API?" in result.message and "even without a key" in result.message


def test_wrong_key_on_open_knowledge_base_does_not_pass(
    double: HelpjuiceDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong key never passes just because the knowledge base is public, nor is it shown."""
    caplog.set_level(logging.DEBUG)
    result = check(double, "openkb", key=WRONG)
    assert not result.ok and result.category is Category.MISCONFIGURED
    assert WRONG not in str(result.to_json()) and WRONG not in caplog.text


def test_unexpected_body_is_a_failure(double: HelpjuiceDouble) -> None:
    """A 200 answer that is not a category list does not count as a pass."""
    result = check(double, "wrongshape")
    assert not result.ok and result.category is Category.UNKNOWN
    assert "not with the list of categories" in result.message
