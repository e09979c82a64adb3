"""``INTEGRATION_VAULT_ENDPOINTS``: send a provider's calls to a test server or mirror."""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

import providers
from app.errors import UserFacingError

ENV_VAR = "INTEGRATION_VAULT_ENDPOINTS"


def endpoint_overrides(raw: str | None = None) -> dict[str, str]:
    """Provider name -> base URL, from the environment (empty when unset)."""
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
        if providers.get(str(name)) is None:
            raise UserFacingError(f"{ENV_VAR}: unknown provider '{name}'")
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UserFacingError(f"{ENV_VAR}: '{name}' needs an http(s) URL")
        result[str(name).lower()] = str(url).rstrip("/")
    return result
