"""A Freshdesk double: ``/api/v2/agents/me`` with Basic ``apiKey:X`` auth.

Behaviour follows providers.md 2.6: a wrong or missing key gets 401 ``invalid_credentials``
("You have to be logged in to perform this action."); an unknown subdomain gets a 404, here
an HTML page (the body is not documented); the ``ratelimited`` tenant answers 429 with
``Retry-After`` and the ``X-RateLimit-*`` headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, basic_credentials, json_response

INVALID_CREDENTIALS = {
    "code": "invalid_credentials",
    "message": "You have to be logged in to perform this action.",
}


@dataclass
class FreshdeskDouble(Double):
    # subdomain -> api key -> the agent's e-mail address
    accounts: dict[str, dict[str, str]] = field(default_factory=dict)
    retry_after: int = 23

    def add_agent(self, subdomain: str, key: str, email: str) -> None:
        self.accounts.setdefault(subdomain, {})[key] = email

    def knows(self, tenant: str) -> bool:
        return tenant in self.accounts

    def too_many_requests(self) -> Response:
        return json_response(
            429,
            {"code": "rate_limit_exceeded", "message": "Too many requests"},
            {
                "Retry-After": str(self.retry_after),
                "X-RateLimit-Total": "200",
                "X-RateLimit-Remaining": "0",
            },
        )

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if path != "/api/v2/agents/me":
            return json_response(404, {"code": "not_found", "message": "Not found"})
        key, _password = basic_credentials(request) or ("", "")
        email = self.accounts.get(tenant, {}).get(key)
        if email is None:
            return json_response(401, INVALID_CREDENTIALS)
        return json_response(
            200,
            {
                "id": 43000123456,
                "available": True,
                "occasional": False,
                "ticket_scope": 1,
                "type": "support_agent",
                "contact": {"active": True, "email": email, "name": "Support Agent"},
            },
        )
