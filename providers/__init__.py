"""The provider registry: every supported provider, by name and by platform."""

from __future__ import annotations

from providers import freshdesk, helpjuice, helpscout, intercom, knowledgeowl, r2, s3, zendesk
from providers.base import (
    Category,
    CredentialsModel,
    ProviderSpec,
    Step,
    VerificationResult,
    VerifyContext,
)

_ALL = (s3, r2, zendesk, intercom, helpscout, helpjuice, freshdesk, knowledgeowl)
PROVIDERS: dict[str, ProviderSpec] = {module.SPEC.name: module.SPEC for module in _ALL}


def by_platform(platform: str) -> list[ProviderSpec]:
    """The providers of one platform, in display order."""
    return [spec for spec in PROVIDERS.values() if spec.platform == platform]


def get(name: str) -> ProviderSpec | None:
    return PROVIDERS.get(name.strip().lower())


__all__ = [
    "PROVIDERS",
    "Category",
    "CredentialsModel",
    "ProviderSpec",
    "Step",
    "VerificationResult",
    "VerifyContext",
    "by_platform",
    "get",
]
