"""KnowledgeOwl verification against a local double of its API."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import ValidationError

from providers.base import Category, VerificationResult, VerifyContext
from providers.knowledgeowl import KnowledgeOwlCredentials, verify
from tests.doubles.knowledgeowl import KnowledgeOwlDouble

KEY = "5b8f0e1d2c3b4a5968778695"
WRONG = "wrong-secret-key-0000beef"
HELP_KB = "5f2a9c0d8e7b6a5f4e3d2c1b"
DEV_KB = "5f2a9c0d8e7b6a5f4e3d2c1c"


@pytest.fixture(scope="module")
def double() -> Iterator[KnowledgeOwlDouble]:
    server = KnowledgeOwlDouble(delay_s=1.5)
    server.add_key("acme", KEY, {HELP_KB: "Acme Help", DEV_KB: "Acme Developers"})
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
    double: KnowledgeOwlDouble,
    tenant: str,
    key: str = KEY,
    project_id: str | None = None,
    timeout_s: float = 2.0,
) -> VerificationResult:
    creds = KnowledgeOwlCredentials(apiKey=key, projectId=project_id)
    return verify(creds, VerifyContext(timeout_s=timeout_s, endpoint=f"{double.url}/{tenant}"))


def test_valid_key_lists_knowledge_bases(double: KnowledgeOwlDouble) -> None:
    """A working key passes and says how many knowledge bases it can see."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert "2 knowledge bases" in result.message
    assert [s.name for s in result.steps] == [
        "reach host and authenticate",
        "read knowledge bases",
        "find the chosen knowledge base",
    ]
    assert result.steps[-1].skipped


def test_key_sent_as_basic_username(double: KnowledgeOwlDouble, sent: list) -> None:
    """The key goes as the Basic username with x as the password, never in the URL."""
    check(double, "acme")
    expected = "Basic " + base64.b64encode(f"{KEY}:x".encode()).decode()
    assert sent[-1].headers["Authorization"] == expected
    assert KEY not in sent[-1].url and sent[-1].url.endswith("/api/head/project.json")


def test_chosen_knowledge_base_is_found(double: KnowledgeOwlDouble) -> None:
    """With a Knowledge base ID set, the pass names that knowledge base."""
    result = check(double, "acme", project_id=DEV_KB)
    assert result.ok and "'Acme Developers'" in result.message


def test_missing_knowledge_base_is_not_found(double: KnowledgeOwlDouble) -> None:
    """A Knowledge base ID the key cannot see is reported with where to find the right ID."""
    result = check(double, "acme", project_id="000000000000000000000000")
    assert result.category is Category.NOT_FOUND
    assert "000000000000000000000000" in result.message
    assert "Settings › Basic" in result.message


def test_wrong_key_is_an_auth_failure(double: KnowledgeOwlDouble) -> None:
    """A wrong key is refused and the message says where keys are managed."""
    result = check(double, "acme", key=WRONG)
    assert not result.ok and result.category is Category.AUTH
    assert "did not accept the API key" in result.message and "Account › API" in result.message


def test_refusal_with_status_200_is_an_auth_failure(double: KnowledgeOwlDouble) -> None:
    """An answer of 200 with valid: false is still reported as a refused key."""
    result = check(double, "softfail")
    assert result.category is Category.AUTH and "allowed to use GET" in result.message


def test_unknown_account_is_an_auth_failure(double: KnowledgeOwlDouble) -> None:
    """A key no KnowledgeOwl account knows is refused like a wrong key."""
    result = check(double, "nobody")
    assert result.category is Category.AUTH and "API key" in result.message


def test_rate_limit_uses_fixed_wait(double: KnowledgeOwlDouble) -> None:
    """KnowledgeOwl sends no wait header on 429, so the user is told to wait a minute."""
    result = check(double, "ratelimited")
    assert result.category is Category.RATE_LIMITED
    assert result.retry_after_s == 60 and "60 seconds" in result.message


def test_slow_answer_times_out(double: KnowledgeOwlDouble) -> None:
    """A host slower than the timeout ends the check with a time-out message."""
    result = check(double, "slow", timeout_s=0.5)
    assert result.category is Category.TIMEOUT
    assert "did not answer within 0.5 seconds" in result.message


def test_html_error_page_is_server_trouble(double: KnowledgeOwlDouble) -> None:
    """An HTML error page from the fixed host is reported as KnowledgeOwl's own trouble."""
    result = check(double, "htmlerror")
    assert result.category is Category.UNKNOWN
    assert "problem of its own (HTTP 500)" in result.message


def test_redirect_is_not_followed(double: KnowledgeOwlDouble, sent: list) -> None:
    """A redirect to another host stops the check, and the key never goes there."""
    before = len([r for r in double.requests_seen if r[0] == "redirect"])
    result = check(double, "redirect")
    assert result.category is Category.NOT_FOUND
    assert "login.example.net" in result.message
    assert len([r for r in double.requests_seen if r[0] == "redirect"]) == before + 1
    assert sent and all(urlsplit(r.url).hostname == "127.0.0.1" for r in sent)


def test_secret_never_in_results_or_logs(
    double: KnowledgeOwlDouble, caplog: pytest.LogCaptureFixture
) -> None:
    """However the check fails, the key never appears in the message, steps or logs."""
    caplog.set_level(logging.DEBUG)
    for tenant in ("acme", "softfail", "nobody", "ratelimited", "htmlerror", "redirect"):
        result = check(double, tenant, key=WRONG)
        assert not result.ok
        assert WRONG not in str(result.to_json())
    assert WRONG not in caplog.text


def test_blank_knowledge_base_id_means_none() -> None:
    """Leaving the Knowledge base ID empty checks the key alone."""
    assert KnowledgeOwlCredentials(apiKey=KEY, projectId="  ").project_id is None


def test_blank_key_is_rejected() -> None:
    """An empty key is refused before any network call."""
    with pytest.raises(ValidationError):
        KnowledgeOwlCredentials(apiKey=" ")


def test_key_hidden_in_repr() -> None:
    """Printing the credentials never shows the key."""
    creds = KnowledgeOwlCredentials(apiKey=KEY, projectId=HELP_KB)
    assert KEY not in repr(creds) and KEY not in str(creds)
