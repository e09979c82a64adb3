"""A KnowledgeOwl double: ``/api/head/project.json`` with Basic ``apiKey:x`` auth.

Behaviour follows providers.md 2.7. KnowledgeOwl has one fixed host, so the tenant is just
an account's set of keys. Answers use the ``{"valid": ..., "data": ...}`` envelope. A key the
account does not know gets 401 with ``valid: false`` (assumed; providers.md has no source),
and the ``softfail`` tenant refuses every key with status 200 and ``valid: false``. The
``ratelimited`` tenant answers 429 with no wait header, as none is documented.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, json_response

REFUSED = {"valid": False, "message": "Invalid API key"}  # assumed, see the module docstring


@dataclass
class KnowledgeOwlDouble(Double):
    # tenant -> api key -> the knowledge bases (projects) that key can see, id -> name
    accounts: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def add_key(self, tenant: str, key: str, projects: dict[str, str]) -> None:
        self.accounts.setdefault(tenant, {})[key] = projects

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "ratelimited":
            return json_response(429, {"valid": False, "message": "Too many requests"})
        if tenant == "softfail":
            return json_response(200, REFUSED)
        projects = self.accounts.get(tenant, {}).get(_basic_user(request) or "")
        if projects is None:
            return json_response(401, REFUSED)
        if path != "/api/head/project.json":
            return json_response(404, {"valid": False, "message": "Not found"})
        data = [{"id": pid, "name": name, "status": "active"} for pid, name in projects.items()]
        return json_response(200, {"valid": True, "data": data})


def _basic_user(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        user, _, _password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return user
