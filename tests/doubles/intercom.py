"""An Intercom double: ``/me`` and ``/admins`` with ``Authorization: Bearer`` auth.

Behaviour follows providers.md 2.3. Intercom has fixed hosts, so the tenant stands for one
regional host (``us``, ``eu``, ``au``) and knows only the tokens of workspaces hosted there:
a token sent to another region gets the same 401 ``error.list`` / ``unauthorized`` as a wrong
one. Tokens added with ``me_refused`` are refused by ``/me`` (older references call it
"OAuth only") but may read ``/admins``. The ``ratelimited`` tenant answers 429 with the
``X-RateLimit-*`` headers and no ``Retry-After``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

from tests.doubles.base import Double, json_response

UNAUTHORIZED = {
    "type": "error.list",
    "request_id": "000f2a1b3c4d5e6f",
    "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}],
}


@dataclass
class IntercomDouble(Double):
    # regional host -> token -> the admin that token signs in as
    hosts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    me_refused: set[str] = field(default_factory=set)
    reset_in_s: int = 30

    def add_token(
        self, host: str, token: str, email: str, workspace: str, *, me_refused: bool = False
    ) -> None:
        self.hosts.setdefault(host, {})[token] = {
            "type": "admin",
            "id": "991267",
            "email": email,
            "name": "Support Admin",
            "app": {"type": "app", "id_code": "abc123de", "name": workspace},
        }
        if me_refused:
            self.me_refused.add(token)

    def too_many_requests(self) -> Response:
        return json_response(
            429,
            {
                "type": "error.list",
                "errors": [
                    {
                        "code": "rate_limit_exceeded",
                        "message": "Exceeded rate limit of 167 in 10_seconds",
                    }
                ],
            },
            {
                "X-RateLimit-Limit": "167",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(int(time.time()) + self.reset_in_s),
            },
        )

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        token = header[len("Bearer ") :] if header.startswith("Bearer ") else None
        admin = self.hosts.get(tenant, {}).get(token or "")
        if path not in ("/me", "/admins"):
            return json_response(
                404,
                {"type": "error.list", "errors": [{"code": "not_found", "message": "Not found"}]},
            )
        if admin is None or (path == "/me" and token in self.me_refused):
            return json_response(401, UNAUTHORIZED)
        if path == "/me":
            return json_response(200, admin)
        return json_response(200, {"type": "admin.list", "admins": [admin, {**admin, "id": "2"}]})
