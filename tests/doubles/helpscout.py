"""A Help Scout Docs API double: ``/v1/sites`` with Basic ``apiKey:X`` auth.

Behaviour follows providers.md 2.4. The Docs API has one fixed host, so the tenant is just a
Help Scout account's set of keys; a key no account knows gets 401. The 401 body is assumed
(providers.md marks it unconfirmed). Every answer carries a ``Correlation-Id``. Rate limits:
``ratelimited`` answers 429 with ``X-RateLimit-Retry-After``, ``ratelimited-standard`` with
only ``Retry-After``, and ``ratelimited-bare`` with no wait header at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, basic_credentials, json_response

UNAUTHORIZED = {"code": 401, "error": "Unauthorized"}  # assumed shape, see the module docstring
TOO_MANY = {"code": 429, "error": "Too Many Requests"}


@dataclass
class HelpScoutDouble(Double):
    # tenant -> api key -> the titles of the Docs sites that key can see
    accounts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    retry_after: int = 42

    def add_key(self, tenant: str, key: str, sites: list[str]) -> None:
        self.accounts.setdefault(tenant, {})[key] = sites

    def respond(self, request: Request) -> Response:
        response = super().respond(request)
        response.headers["Correlation-Id"] = str(uuid.uuid4())
        return response

    def too_many_requests(self) -> Response:
        return json_response(429, TOO_MANY, {"X-RateLimit-Retry-After": str(self.retry_after)})

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "ratelimited-standard":
            return json_response(429, TOO_MANY, {"Retry-After": str(self.retry_after)})
        if tenant == "ratelimited-bare":
            return json_response(429, TOO_MANY)
        key, _password = basic_credentials(request) or ("", "")
        sites = self.accounts.get(tenant, {}).get(key)
        if sites is None:
            return json_response(401, UNAUTHORIZED)
        if path != "/v1/sites":
            return json_response(404, {"code": 404, "error": "Not Found"})
        items = [
            {"id": f"5f{n:022d}", "status": "ACTIVE", "subDomain": title.lower(), "title": title}
            for n, title in enumerate(sites)
        ]
        return json_response(
            200, {"sites": {"page": 1, "pages": 1, "count": len(items), "items": items}}
        )
