"""What every help-center double shares: a threaded loopback server and tenant routing.

A double serves every tenant on one loopback port. The tenant (subdomain or account) is
the first path segment, so a verifier reaches it through ``INTEGRATION_VAULT_ENDPOINTS``
with a base URL like ``http://127.0.0.1:PORT/{subdomain}``. Special tenant names make the
double misbehave the way the real service can: ``slow`` answers late, ``ratelimited``
answers 429 the way that provider does, ``htmlerror`` answers with an HTML error page (500),
``htmlpage`` with an HTML page and status 200 (as a proxy's sign-in page would), and
``redirect`` sends a 302 to another host. A double for a provider that gives every account
its own subdomain answers a tenant it does not know with an HTML 404.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

SLOW_SECONDS = 3.0
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Page not found</title></head>"
    "<body><h1>Oops</h1></body></html>"
)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def html_response(status: int) -> Response:
    return Response(HTML_PAGE, status=status, content_type="text/html; charset=utf-8")


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """The user name and password of a Basic ``Authorization`` header, if there is one."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:  # not base64, or not text
        return None
    return user, password


@dataclass(frozen=True)
class Seen:
    """One request as the double received it."""

    tenant: str
    path: str
    query: str
    headers: dict[str, str]


@dataclass
class Double:
    """Base of a provider double: subclasses implement ``answer(tenant, path, request)``.

    A subdomain provider's double also overrides ``knows``; a double whose 429 carries
    headers overrides ``too_many_requests``.
    """

    delay_s: float = SLOW_SECONDS
    latency_s: float = 0.0  # added to every answer, for benchmarks
    server: HTTPServer | None = None
    requests_seen: list[Seen] = field(default_factory=list)

    def start(self) -> Double:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request(re.compile(".*")).respond_with_handler(self.respond)
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.clear()
            if self.server.is_running():
                self.server.stop()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    def respond(self, request: Request) -> Response:
        """Record the request, then misbehave as a special tenant asks or let ``answer`` reply."""
        parts = request.path.lstrip("/").split("/", 1)
        tenant, path = parts[0], "/" + (parts[1] if len(parts) > 1 else "")
        query = request.query_string.decode()
        self.requests_seen.append(Seen(tenant, path, query, dict(request.headers)))
        if self.latency_s:
            time.sleep(self.latency_s)
        if tenant == "slow":
            time.sleep(self.delay_s)
        if tenant == "htmlerror":
            return html_response(500)
        if tenant == "htmlpage":
            return html_response(200)
        if tenant == "redirect":
            return Response("", status=302, headers={"Location": "https://login.example.net/sso"})
        if tenant == "ratelimited":
            return self.too_many_requests()
        if not self.knows(tenant) and tenant != "slow":
            return html_response(404)
        return self.answer(tenant, path, request)

    def seen(self, tenant: str) -> list[Seen]:
        """The requests this double received for one tenant."""
        return [request for request in self.requests_seen if request.tenant == tenant]

    def knows(self, tenant: str) -> bool:
        """Whether the tenant exists; for a subdomain provider an unknown one gets a web page."""
        return True

    def too_many_requests(self) -> Response:
        """The provider's 429; by default JSON with no header saying how long to wait."""
        return json_response(429, {"error": "Too Many Requests"})

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        raise NotImplementedError
