"""A Zendesk double: ``/api/v2/users/me.json`` with Basic ``email/token:TOKEN`` auth.

Behaviour follows providers.md 2.2: a wrong token gets 401 ``Couldn't authenticate you``
with ``WWW-Authenticate``; a request with no or malformed credentials gets 200 with an
anonymous user (null id, end-user role); an unknown subdomain gets an HTML page; the
``ratelimited`` tenant answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from werkzeug import Request, Response

from tests.doubles.base import Double, html_response, json_response

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

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        if tenant == "ratelimited":
            return json_response(
                429,
                {"error": "TooManyRequests", "description": "Rate limit exceeded"},
                {
                    "Retry-After": str(self.retry_after),
                    "X-Rate-Limit": "700",
                    "X-Rate-Limit-Remaining": "0",
                },
            )
        users = self.accounts.get(tenant)
        if users is None and tenant != "slow":
            return html_response(404)
        if path != "/api/v2/users/me.json":
            return json_response(404, {"error": "InvalidEndpoint", "description": "Not found"})
        email, token = _basic_token_auth(request)
        if email is None:
            return json_response(200, ANONYMOUS)
        known = (users or {}).get(email.lower())
        if tenant == "slow" or known is None or known[0] != token:
            return json_response(
                401,
                {"error": "Couldn't authenticate you"},
                {"WWW-Authenticate": 'Basic realm="Web Password"'},
            )
        return json_response(
            200, {"user": {"id": 90210, "name": "Agent", "email": email, "role": known[1]}}
        )


def _basic_token_auth(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None, None
    try:
        user, _, token = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None, None
    if not user.endswith("/token"):
        return None, None
    return user[: -len("/token")], token
