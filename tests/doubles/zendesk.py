"""A Zendesk double: ``/api/v2/users/me.json`` with Basic ``email/token:TOKEN`` auth.

Behaviour follows providers.md 2.2: a wrong token gets 401 ``Couldn't authenticate you``
with ``WWW-Authenticate``; a request with no, malformed or unknown-user credentials gets 200
with an anonymous user (null id, end-user role), as a user reported for a wrong username; an
unknown subdomain gets an HTML page. The ``ratelimited`` tenant answers 429 with
``Retry-After``; ``ratelimited-plain`` answers 429 in plain text with no ``Retry-After``, as a
community thread reports for one endpoint-specific limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, basic_credentials, json_response

ANONYMOUS = {
    "user": {
        "id": None,
        "name": "Anonymous user",
        "role": "end-user",
        "email": "invalid@example.com",
    }
}


@dataclass
class ZendeskDouble(Double):
    # subdomain -> email -> (token, role)
    accounts: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    retry_after: int = 17

    def add_agent(self, subdomain: str, email: str, token: str, role: str = "agent") -> None:
        self.accounts.setdefault(subdomain, {})[email.lower()] = (token, role)

    def knows(self, tenant: str) -> bool:
        return tenant in self.accounts or tenant == "ratelimited-plain"

    def too_many_requests(self) -> Response:
        return json_response(
            429,
            {"error": "TooManyRequests", "description": "Rate limit exceeded"},
            {
                "Retry-After": str(self.retry_after),
                "X-Rate-Limit": "700",
                "X-Rate-Limit-Remaining": "0",
            },
        )

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "ratelimited-plain":
            return Response("Too Many Requests", status=429, content_type="text/plain")
        if path != "/api/v2/users/me.json":
            return json_response(404, {"error": "InvalidEndpoint", "description": "Not found"})
        user, token = basic_credentials(request) or ("", "")
        email = user.removesuffix("/token")
        users = self.accounts.get(tenant, {})
        known = users.get(email.lower()) if user.endswith("/token") else None
        if known is None:
            return json_response(200, ANONYMOUS)
        if known[0] != token:
            return json_response(
                401,
                {"error": "Couldn't authenticate you"},
                {"WWW-Authenticate": 'Basic realm="Web Password"'},
            )
        return json_response(
            200, {"user": {"id": 90210, "name": "Agent", "email": email, "role": known[1]}}
        )
