"""KnowledgeOwl: credentials and verification (``GET /api/head/project.json``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr, field_validator

from providers import http
from providers.base import (
    Category,
    CheckFailed,
    CredentialsModel,
    ProviderSpec,
    StepRecorder,
    VerificationResult,
    VerifyContext,
)
from providers.fields import field, secret_not_blank

PRODUCT = "KnowledgeOwl"
DEFAULT_BASE = "https://app.knowledgeowl.com"
# KnowledgeOwl documents no rate-limit header, so a 429 gets a fixed wait.
RATE_LIMIT_WAIT_S = 60.0
_KEY_PAGE = "KnowledgeOwl › Account › API"
_PROJECT_PAGE = "KnowledgeOwl › Settings › Basic"


class KnowledgeOwlCredentials(CredentialsModel):
    """A KnowledgeOwl API key and, optionally, the knowledge base to read."""

    api_key: SecretStr = field(
        "apiKey",
        "API key",
        "An API key allowed to use GET.",
        "5b8f0e…",
        _KEY_PAGE + " (Full Admin rights needed).",
    )
    project_id: str | None = field(
        "projectId",
        "Knowledge base ID",
        "Optional: the id of the knowledge base to import from.",
        "5f2a9c0d8e7b6a5f4e3d2c1b",
        _PROJECT_PAGE + ": the Knowledge base ID.",
        default=None,
    )

    _key = field_validator("api_key")(secret_not_blank)

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: str | None) -> str | None:
        return value or None


def verify(creds: KnowledgeOwlCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint)
    try:
        with rec.step("reach host and authenticate") as note:
            reply = http.get(
                f"{base}/api/head/project.json",
                product=PRODUCT,
                timeout_s=ctx.timeout_s,
                auth=(creds.api_key.get_secret_value(), "x"),
            )
            _raise_for_status(reply, base)
            note["detail"] = f"HTTP {reply.status}"
        with rec.step("read knowledge bases") as note:
            projects = _projects(reply.body)
            note["detail"] = f"{len(projects)} knowledge bases"
        if creds.project_id is None:
            rec.skipped("find the chosen knowledge base", "no Knowledge base ID given")
            return rec.passed(
                f"The KnowledgeOwl API key works; it can see {len(projects)} knowledge bases."
            )
        with rec.step("find the chosen knowledge base") as note:
            name = _project_name(projects, creds.project_id)
            note["detail"] = name
    except CheckFailed as failure:
        return rec.failed(failure)
    return rec.passed(f"The KnowledgeOwl API key works; it can read the knowledge base {name}.")


def _raise_for_status(reply: http.Reply, base: str) -> None:
    if reply.status == 401:
        raise _key_refused()
    if reply.status == 403:
        raise CheckFailed(
            Category.PERMISSION,
            "KnowledgeOwl accepted the API key but refused to list knowledge bases (HTTP "
            f"403). Allow the key to use GET in {_KEY_PAGE}.",
        )
    if reply.status == 429:
        raise http.rate_limited(PRODUCT, None, fallback_s=RATE_LIMIT_WAIT_S)
    if reply.status >= 500:
        raise http.server_trouble(PRODUCT, reply.status)
    if not reply.is_json or reply.status == 404:
        host = urlsplit(base).hostname or base
        raise CheckFailed(
            Category.NOT_FOUND,
            f"{host} answered HTTP {reply.status} with "
            f"{'a web page' if not reply.is_json else 'not found'} instead of the KnowledgeOwl "
            "API. A proxy on this network, or a wrong API address setting, is the likely cause.",
        )
    if isinstance(reply.body, dict) and reply.body.get("valid") is False:
        # KnowledgeOwl can refuse inside its envelope while the status still says 200.
        raise _key_refused()
    if reply.status != 200:
        raise CheckFailed(
            Category.UNKNOWN, f"KnowledgeOwl answered HTTP {reply.status} unexpectedly."
        )


def _key_refused() -> CheckFailed:
    return CheckFailed(
        Category.AUTH,
        f"KnowledgeOwl did not accept the API key. Check the key in {_KEY_PAGE}, and that it "
        "is allowed to use GET.",
    )


def _projects(body: Any) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) and body.get("valid") is True else None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise CheckFailed(
            Category.UNKNOWN,
            "KnowledgeOwl answered, but not with the list of knowledge bases; the key could "
            "not be confirmed. Try again, and if it keeps happening report it with the time of "
            "the check.",
        )
    return [project for project in data if isinstance(project, dict)]


def _project_name(projects: list[dict[str, Any]], project_id: str) -> str:
    for project in projects:
        if project_id in (str(project.get("id")), str(project.get("_id"))):
            return f"'{project.get('name') or project_id}'"
    raise CheckFailed(
        Category.NOT_FOUND,
        f"The API key works, but none of the {len(projects)} knowledge bases it can see has "
        f"the ID {project_id}. Check the Knowledge base ID in {_PROJECT_PAGE}, or use a key "
        "from the account that owns that knowledge base.",
    )


SPEC = ProviderSpec(
    name="knowledgeowl",
    title="KnowledgeOwl",
    platform="helpcenter",
    credentials=KnowledgeOwlCredentials,
    verify=verify,
    summary="Import screenshots from a KnowledgeOwl knowledge base.",
)
