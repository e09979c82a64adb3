"""KnowledgeOwl: credentials and verification (``GET /api/head/project.json``)."""

from __future__ import annotations

from pydantic import SecretStr, field_validator

from providers.base import CredentialsModel, ProviderSpec, VerificationResult, VerifyContext
from providers.fields import field, secret_not_blank

PRODUCT = "KnowledgeOwl"
DEFAULT_BASE = "https://app.knowledgeowl.com"


class KnowledgeOwlCredentials(CredentialsModel):
    """A KnowledgeOwl API key and, optionally, the knowledge base to read."""

    api_key: SecretStr = field(
        "apiKey",
        "API key",
        "An API key allowed to use GET.",
        "5b8f0e…",
        "KnowledgeOwl › Account › API (Full Admin rights needed).",
    )
    project_id: str | None = field(
        "projectId",
        "Knowledge base ID",
        "Optional: the id of the knowledge base to import from.",
        "5f2a9c0d8e7b6a5f4e3d2c1b",
        "KnowledgeOwl › Settings › Basic: the Knowledge base ID.",
        default=None,
    )

    _key = field_validator("api_key")(secret_not_blank)

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: str | None) -> str | None:
        return value or None


def verify(creds: KnowledgeOwlCredentials, ctx: VerifyContext) -> VerificationResult:
    raise NotImplementedError("KnowledgeOwl verification is being written (issue 3)")


SPEC = ProviderSpec(
    name="knowledgeowl",
    title="KnowledgeOwl",
    platform="helpcenter",
    credentials=KnowledgeOwlCredentials,
    verify=verify,
    summary="Import screenshots from a KnowledgeOwl knowledge base.",
)
