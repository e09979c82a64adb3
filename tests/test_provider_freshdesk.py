"""Freshdesk verification against a local double of its per-helpdesk API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.base import Category, VerificationResult, VerifyContext
from providers.freshdesk import FreshdeskCredentials, verify
from tests.doubles.freshdesk import FreshdeskDouble

KEY = "Ab12Cd34Ef56Gh78Ij90"


@pytest.fixture(scope="module")
def double() -> Iterator[FreshdeskDouble]:
    server = FreshdeskDouble()
    server.add_agent("acme", KEY, "agent@acme.test")
    server.start()
    yield server
    server.stop()


def check(double: FreshdeskDouble, subdomain: str, key: str = KEY) -> VerificationResult:
    creds = FreshdeskCredentials(subdomain=subdomain, apiKey=key)
    endpoint = f"{double.url}/{{subdomain}}"
    return verify(creds, VerifyContext(timeout_s=2.0, endpoint=endpoint))


def test_valid_key_signs_in(double: FreshdeskDouble) -> None:
    """A working key passes and names the helpdesk and the agent who owns the key."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert result.message == "Signed in to acme.freshdesk.com as agent@acme.test."
    assert result.steps[-1].name == "read the signed-in agent"
