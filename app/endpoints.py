"""``INTEGRATION_VAULT_ENDPOINTS``: send a provider's calls to a test server or mirror.

Keys are provider names (``"s3"``, ``"zendesk"``); an R2 jurisdiction has its own key,
``"r2:eu"``, ``"r2:fedramp"`` or ``"r2:us"``, while plain ``"r2"`` is the default one.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

import providers
from app.errors import UserFacingError
from providers.r2 import DEFAULT_JURISDICTION, JURISDICTIONS

ENV_VAR = "INTEGRATION_VAULT_ENDPOINTS"


def endpoint_overrides(raw: str | None = None) -> dict[str, str]:
    """Provider name (or ``r2:<jurisdiction>``) -> base URL, from the environment."""
    text = os.environ.get(ENV_VAR, "") if raw is None else raw
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        raise UserFacingError(f"{ENV_VAR} is not valid JSON") from None
    if not isinstance(data, dict):
        raise UserFacingError(f"{ENV_VAR} must be a JSON object of provider name to URL")
    result = {}
    for name, url in data.items():
        key = _checked_key(str(name))
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UserFacingError(f"{ENV_VAR}: '{name}' needs an http(s) URL")
        result[key] = str(url).rstrip("/")
    return result


def _checked_key(name: str) -> str:
    provider, sep, jurisdiction = name.strip().lower().partition(":")
    if providers.get(provider) is None:
        valid = [*providers.PROVIDERS, *(jurisdiction_key(j) for j in JURISDICTIONS)]
        known = ", ".join(dict.fromkeys(valid))
        raise UserFacingError(f"{ENV_VAR}: unknown provider '{name}'; valid keys: {known}")
    if not sep:
        return provider
    if provider != "r2" or jurisdiction not in JURISDICTIONS:
        known = ", ".join(f"r2:{j}" for j in JURISDICTIONS if j != DEFAULT_JURISDICTION)
        raise UserFacingError(f"{ENV_VAR}: '{name}' is not a known key (jurisdictions: {known})")
    return provider if jurisdiction == DEFAULT_JURISDICTION else f"{provider}:{jurisdiction}"


def jurisdiction_key(jurisdiction: str) -> str:
    """The override key of an R2 jurisdiction: ``"r2"`` for the default one, else ``"r2:eu"``."""
    return "r2" if jurisdiction in ("", DEFAULT_JURISDICTION) else f"r2:{jurisdiction}"
