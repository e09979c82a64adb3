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


RULES = http.StatusRules(
    product=PRODUCT,
    key_page=_KEY_PAGE,
    # KnowledgeOwl documents no rate-limit header, so a 429 gets a fixed wait.
    wait=http.WaitSignal.FIXED,
    fallback_wait_s=60.0,
    auth_message=(
        "KnowledgeOwl did not accept the API key. Check the key in {key_page}, and that it is "
        "allowed to use GET."
    ),
    permission_message=(
        "KnowledgeOwl accepted the API key but refused to list knowledge bases (HTTP 403). "
        "Allow the key to use GET in {key_page}."
    ),
)


def verify(creds: KnowledgeOwlCredentials, ctx: VerifyContext) -> VerificationResult:
    rec = StepRecorder()
    base = http.base_url(DEFAULT_BASE, ctx.endpoint)
    try:
        url = f"{base}/api/head/project.json"
        key = (creds.api_key.get_secret_value(), "x")
        reply = http.sign_in(rec, RULES, ctx, url, auth=key, accept=_valid_envelope)
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


def _valid_envelope(reply: http.Reply) -> None:
    """KnowledgeOwl can refuse inside its envelope while the status still says 200."""
    if isinstance(reply.body, dict) and reply.body.get("valid") is False:
        raise RULES.refused(urlsplit(reply.url).hostname or reply.url)


def _projects(body: Any) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) and body.get("valid") is True else None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise RULES.unexpected("the list of knowledge bases")
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
