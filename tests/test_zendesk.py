"""Zendesk verification against the local Zendesk double on loopback."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from werkzeug import Request, Response

from providers.base import Category, VerificationResult, VerifyContext
from providers.zendesk import ZendeskCredentials, verify
from tests.conftest import ZENDESK_TOKEN
from tests.doubles.zendesk import ZendeskDouble

AGENT = "agent@acme.test"
CUSTOMER = "customer@acme.test"
CUSTOMER_TOKEN = "cUsT0merT0kenValue000000000000000000000x"


@dataclass
class MovedZendeskDouble(ZendeskDouble):
    """A Zendesk double whose ``moved`` tenant redirects to another tenant on the same server,
    so a followed redirect would show up in ``requests_seen``."""

    def knows(self, tenant: str) -> bool:
        return tenant == "moved" or super().knows(tenant)

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "moved":
            return Response("", status=301, headers={"Location": f"{self.url}/acme{path}"})
        return super().answer(tenant, path, request)


@pytest.fixture(scope="module")
def server() -> Iterator[MovedZendeskDouble]:
    running = MovedZendeskDouble(delay_s=1.5)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def double(server: MovedZendeskDouble) -> MovedZendeskDouble:
    """The module's double with its accounts, settings and request log reset for this test."""
    server.accounts.clear()
    server.add_agent("acme", AGENT, ZENDESK_TOKEN)
    server.add_agent("acme", CUSTOMER, CUSTOMER_TOKEN, role="end-user")
    server.add_agent("acme", "admin@acme.test", ZENDESK_TOKEN, role="admin")
    server.retry_after = 17
    server.requests_seen.clear()
    return server


def seen(double: ZendeskDouble) -> list[tuple[str, str]]:
    """(tenant, path) of every request the double received."""
    return [(request.tenant, request.path) for request in double.requests_seen]


def check(
    double: ZendeskDouble,
    subdomain: str = "acme",
    username: str = AGENT,
    token: str = ZENDESK_TOKEN,
    timeout_s: float = 5.0,
) -> VerificationResult:
    creds = ZendeskCredentials.model_validate(
        {"subdomain": subdomain, "username": username, "token": token}
    )
    ctx = VerifyContext(timeout_s=timeout_s, endpoint=double.url + "/{subdomain}")
    return verify(creds, ctx)


def test_valid_agent_token_is_ok(double: ZendeskDouble) -> None:
    """An agent's e-mail and valid token verify ok, naming the account and agent."""
    result = check(double)

    assert result.ok, result.message
    assert result.category is Category.OK
    assert "acme" in result.message
    assert AGENT in result.message
    assert result.elapsed_ms >= 0
    assert seen(double) == [("acme", "/api/v2/users/me.json")]


def test_admin_token_is_ok(double: ZendeskDouble) -> None:
    """An admin's token verifies ok too."""
    assert check(double, username="admin@acme.test").ok


def test_pasted_full_address_reaches_the_same_account(double: ZendeskDouble) -> None:
    """A subdomain pasted as https://acme.zendesk.com/ verifies against the acme account."""
    result = check(double, subdomain="https://acme.zendesk.com/")

    assert result.ok, result.message
    assert seen(double) == [("acme", "/api/v2/users/me.json")]


def test_wrong_token_is_auth(double: ZendeskDouble) -> None:
    """A token Zendesk rejects with 401 gives auth, and the message never holds the token."""
    wrong = "WrongTokenValue0000000000000000000000000"
    result = check(double, token=wrong)

    assert not result.ok
    assert result.category is Category.AUTH
    assert wrong not in result.message


def test_anonymous_answer_is_auth_not_ok(double: ZendeskDouble) -> None:
    """A 200 answer as an anonymous visitor (an e-mail Zendesk does not know) gives auth, not ok."""
    result = check(double, username="stranger@acme.test")

    assert not result.ok
    assert result.category is Category.AUTH
    assert "anonymous" in result.message


def test_end_user_role_is_permission(double: ZendeskDouble) -> None:
    """A valid login of an end-user (not an agent) gives permission."""
    result = check(double, username=CUSTOMER, token=CUSTOMER_TOKEN)

    assert not result.ok
    assert result.category is Category.PERMISSION
    assert "end-user" in result.message


def test_rate_limit_reports_the_retry_after_header(double: ZendeskDouble) -> None:
    """A 429 with Retry-After gives rate_limited with retry_after_s equal to the header."""
    double.retry_after = 23
    result = check(double, subdomain="ratelimited")

    assert not result.ok
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 23
    assert "23 seconds" in result.message


def test_unknown_subdomain_web_page_is_not_found(double: ZendeskDouble) -> None:
    """An unknown subdomain that answers with an HTML page gives not_found."""
    result = check(double, subdomain="nosuchcompany")

    assert not result.ok
    assert result.category is Category.NOT_FOUND
    assert "nosuchcompany" in result.message


def test_server_error_page_is_not_blamed_on_the_credentials(double: ZendeskDouble) -> None:
    """A 500 HTML page is neither ok nor auth."""
    result = check(double, subdomain="htmlerror")

    assert not result.ok
    assert result.category not in (Category.OK, Category.AUTH)


def test_slow_answer_beyond_the_timeout_is_timeout(double: ZendeskDouble) -> None:
    """An answer slower than the timeout gives timeout, without waiting for the answer."""
    started = time.monotonic()
    result = check(double, subdomain="slow", timeout_s=0.3)
    waited = time.monotonic() - started

    assert not result.ok
    assert result.category is Category.TIMEOUT
    assert waited < double.delay_s


@pytest.mark.parametrize("subdomain", ["redirect", "moved"])
def test_redirect_is_not_followed_and_not_ok(double: MovedZendeskDouble, subdomain: str) -> None:
    """A redirect is reported as a failure and the credentials are not sent to the new place."""
    result = check(double, subdomain=subdomain)

    assert not result.ok
    assert result.category is not Category.OK
    assert seen(double) == [(subdomain, "/api/v2/users/me.json")]


def _resolver_knowing(*names: str) -> Callable[..., list[object]]:
    """A stand-in for DNS (none is reachable here) that knows only ``names``."""

    def lookup(host: str, port: object, *args: object, **kwargs: object) -> list[object]:
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 9))]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return lookup


def test_a_subdomain_that_does_not_resolve_is_a_typo_while_zendesk_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With zendesk.com resolving, an unknown subdomain is not_found and says to check it."""
    monkeypatch.setattr("socket.getaddrinfo", _resolver_knowing("zendesk.com"))
    creds = ZendeskCredentials.model_validate(
        {"subdomain": "umbrela", "username": AGENT, "token": ZENDESK_TOKEN}
    )

    result = verify(creds, VerifyContext(timeout_s=2))

    assert result.category is Category.NOT_FOUND
    assert "umbrela.zendesk.com does not exist" in result.message


def test_with_no_name_lookups_at_all_the_computer_is_offline_not_the_subdomain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When even zendesk.com does not resolve, the check blames the connection, not a typo."""
    monkeypatch.setattr("socket.getaddrinfo", _resolver_knowing())
    creds = ZendeskCredentials.model_validate(
        {"subdomain": "umbrella", "username": AGENT, "token": ZENDESK_TOKEN}
    )

    result = verify(creds, VerifyContext(timeout_s=2))

    assert result.category is Category.NETWORK
    assert "internet connection" in result.message
    assert "does not exist" not in result.message
