"""KnowledgeOwl verification against a local double of its API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.base import Category, VerificationResult, VerifyContext
from providers.knowledgeowl import KnowledgeOwlCredentials, verify
from tests.doubles.knowledgeowl import KnowledgeOwlDouble

KEY = "5b8f0e1d2c3b4a5968778695"
HELP_KB = "5f2a9c0d8e7b6a5f4e3d2c1b"
DEV_KB = "5f2a9c0d8e7b6a5f4e3d2c1c"


@pytest.fixture(scope="module")
def double() -> Iterator[KnowledgeOwlDouble]:
    server = KnowledgeOwlDouble()
    server.add_key("acme", KEY, {HELP_KB: "Acme Help", DEV_KB: "Acme Developers"})
    server.start()
    yield server
    server.stop()


def check(
    double: KnowledgeOwlDouble,
    tenant: str,
    key: str = KEY,
    project_id: str | None = None,
) -> VerificationResult:
    creds = KnowledgeOwlCredentials(apiKey=key, projectId=project_id)
    return verify(creds, VerifyContext(timeout_s=2.0, endpoint=f"{double.url}/{tenant}"))


def test_valid_key_lists_knowledge_bases(double: KnowledgeOwlDouble) -> None:
    """A working key passes and says how many knowledge bases it can see."""
    result = check(double, "acme")
    assert result.ok and result.category is Category.OK
    assert "2 knowledge bases" in result.message
    assert [s.name for s in result.steps][2:] == [
        "read knowledge bases",
        "find the chosen knowledge base",
    ]
    assert result.steps[-1].skipped


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


def test_refusal_with_status_200_is_an_auth_failure(double: KnowledgeOwlDouble) -> None:
    """An answer of 200 with valid: false is still reported as a refused key."""
    result = check(double, "softfail")
    assert result.category is Category.AUTH and "allowed to use GET" in result.message
    assert [s.name for s in result.steps] == ["reach host", "authenticate"]
    assert KEY not in str(result.to_json())


def test_unknown_account_is_an_auth_failure(double: KnowledgeOwlDouble) -> None:
    """A key no KnowledgeOwl account knows is refused like a wrong key."""
    result = check(double, "nobody")
    assert result.category is Category.AUTH and "API key" in result.message


def test_blank_knowledge_base_id_means_none() -> None:
    """Leaving the Knowledge base ID empty checks the key alone."""
    assert KnowledgeOwlCredentials(apiKey=KEY, projectId="  ").project_id is None
