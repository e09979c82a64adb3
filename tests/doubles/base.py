"""What every help-center double shares: a threaded loopback server and tenant routing.

A double serves every tenant on one loopback port. The tenant (subdomain or account) is
the first path segment, so a verifier reaches it through ``INTEGRATION_VAULT_ENDPOINTS``
with a base URL like ``http://127.0.0.1:PORT/{subdomain}``. Special tenant names make the
double misbehave the way the real service can: ``slow`` answers late, ``ratelimited``
answers 429, ``htmlerror`` answers with an HTML error page, ``redirect`` sends a 302 to
another host.
"""

from __future__ import annotations

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


@dataclass
class Double:
    """Base of a provider double: subclasses implement ``answer(tenant, path, request)``."""

    delay_s: float = SLOW_SECONDS
    latency_s: float = 0.0  # added to every answer, for benchmarks
    server: HTTPServer | None = None
    requests_seen: list[tuple[str, str]] = field(default_factory=list)

    def start(self) -> Double:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._dispatch)
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

    def _dispatch(self, request: Request) -> Response:
        parts = request.path.lstrip("/").split("/", 1)
        tenant, path = parts[0], "/" + (parts[1] if len(parts) > 1 else "")
        self.requests_seen.append((tenant, path))
        if self.latency_s:
            time.sleep(self.latency_s)
        if tenant == "slow":
            time.sleep(self.delay_s)
        if tenant == "htmlerror":
            return html_response(500)
        if tenant == "redirect":
            return Response("", status=302, headers={"Location": "https://login.example.net/sso"})
        return self.answer(tenant, path, request)

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        raise NotImplementedError
