"""A KnowledgeOwl double: ``/api/head/project.json`` with Basic ``apiKey:x`` auth.

Behaviour follows providers.md 2.7. KnowledgeOwl has one fixed host, so the tenant is just
an account's set of keys. Answers use the ``{"valid": ..., "data": ...}`` envelope. A key the
account does not know gets 401 with ``valid: false`` (assumed; providers.md has no source),
and the ``softfail`` tenant refuses every key with status 200 and ``valid: false``. The
``ratelimited`` tenant answers 429 with no wait header, as none is documented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, basic_credentials, json_response

REFUSED = {"valid": False, "message": "Invalid API key"}  # assumed, see the module docstring


@dataclass
class KnowledgeOwlDouble(Double):
    # tenant -> api key -> the knowledge bases (projects) that key can see, id -> name
    accounts: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def add_key(self, tenant: str, key: str, projects: dict[str, str]) -> None:
        self.accounts.setdefault(tenant, {})[key] = projects

    def too_many_requests(self) -> Response:
        return json_response(429, {"valid": False, "message": "Too many requests"})

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "softfail":
            return json_response(200, REFUSED)
        key, _password = basic_credentials(request) or ("", "")
        projects = self.accounts.get(tenant, {}).get(key)
        if projects is None:
            return json_response(401, REFUSED)
        if path != "/api/head/project.json":
            return json_response(404, {"valid": False, "message": "Not found"})
        data = [{"id": pid, "name": name, "status": "active"} for pid, name in projects.items()]
        return json_response(200, {"valid": True, "data": data})
