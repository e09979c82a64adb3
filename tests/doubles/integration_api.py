"""A stateful double of the remote Integration API (shared docs/integration-api.md).

Records live in memory. Failures can be queued for the next requests, one per request:

- ``"500"``, ``"401"``, ``"403"``, ``"429"``: that status, nothing stored;
- ``"422"``: a validation error in the current ``validation_shape``;
- ``"drop"``: the connection is closed without an answer, nothing stored;
- ``"drop_after"``: the request is carried out, then the connection is closed without an
  answer (the change is stored, the answer is lost);
- ``"slow"``: the request is carried out after ``slow_s`` seconds;
- ``"trickle"``: the request is carried out at once, but the answer's body is sent a few
  bytes at a time, ``trickle_s`` apart (no single wait is long, the whole answer is);
- ``"html"``: 200 with an HTML page; ``"list"``: 200 with a JSON list; ``"incomplete"``:
  200 with a JSON object lacking the record's fields; nothing stored;
- ``"pass"``: this request is served normally (to aim a failure at a later request).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

PROVIDERS = {
    "cloud": {"s3", "r2"},
    "helpcenter": {"zendesk", "intercom", "helpscout", "helpjuice", "freshdesk", "knowledgeowl"},
}


FAILURE_KINDS = {
    "500",
    "401",
    "403",
    "429",
    "422",
    "drop",
    "drop_after",
    "slow",
    "trickle",
    "html",
    "list",
    "incomplete",
    "pass",
}


class _QuickStopServer(HTTPServer):
    """Polls for shutdown every 20 ms instead of 0.5 s, so a per-test double stops at once."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.02)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _json(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


@dataclass
class IntegrationApiDouble:
    api_key: str = "test-api-key"
    header: str = "Authorization"
    scheme: str = "Bearer"
    validation_shape: str = "message"  # message | errors | detail | error | text
    slow_s: float = 3.0
    trickle_s: float = 0.25
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    idempotency: dict[str, str] = field(default_factory=dict)
    server: HTTPServer | None = None
    _clock: datetime = field(default_factory=lambda: datetime.now(UTC))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- running ------------------------------------------------------------------------

    def start(self) -> IntegrationApiDouble:
        self.server = _QuickStopServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request(re.compile(".*")).respond_with_handler(self._handle)
        self.server.start()
        return self

    def stop(self) -> None:
        if self.server is not None and self.server.is_running():
            self.server.clear()
            self.server.stop()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    # -- test helpers -------------------------------------------------------------------

    def now(self) -> str:
        """A strictly increasing server clock, so every change gets a newer updatedAt."""
        with self._lock:
            self._clock = max(datetime.now(UTC), self._clock + timedelta(milliseconds=1))
            return _stamp(self._clock)

    def edit_on_server(self, remote_id: str, **changes: Any) -> None:
        """Someone else changes the record on the server."""
        record = self.records[remote_id]
        record.update(changes)
        record["updatedAt"] = self.now()

    def fail_next(self, *kinds: str) -> None:
        unknown = sorted(set(kinds) - FAILURE_KINDS)
        if unknown:
            raise ValueError(f"unknown failure kind(s) {unknown}; one of {sorted(FAILURE_KINDS)}")
        self.failures.extend(kinds)

    # -- the API ------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        with self._lock:
            self.calls.append((request.method, request.path))
            kind = self.failures.pop(0) if self.failures else "pass"
        injected = self._inject(kind, request)
        if injected is not None:
            return injected
        if kind == "drop_after":
            self._serve(request)
            return self._drop(request)
        if kind == "trickle":
            return self._trickle(self._serve(request))
        return self._serve(request)

    def _trickle(self, answer: Response) -> Response:
        body = answer.get_data()
        pieces = [body[i : i + 16] for i in range(0, len(body), 16)]

        def slowly() -> Iterator[bytes]:
            for piece in pieces:
                time.sleep(self.trickle_s)
                yield piece

        return Response(
            slowly(),
            status=answer.status_code,
            headers={"Content-Length": str(len(body))},
            content_type=answer.content_type,
            direct_passthrough=True,
        )

    def _serve(self, request: Request) -> Response:
        expected = f"{self.scheme} {self.api_key}".strip()
        if request.headers.get(self.header, "") != expected:
            return _json(401, {"message": "Unauthorized"})
        path = request.path.rstrip("/")
        if path == "/integration/verify" and request.method == "POST":
            return self._verify(request)
        if path == "/integration":
            if request.method == "POST":
                return self._create(request)
            if request.method == "PUT":
                return self._update(request)
        found = re.fullmatch(r"/integration/([^/]+)", path)
        if found and request.method == "GET":
            record = self.records.get(found.group(1))
            return _json(200, record) if record else _json(404, {"message": "Not found"})
        if found and request.method == "DELETE":
            if self.records.pop(found.group(1), None) is None:
                return _json(404, {"message": "Not found"})
            return _json(200, {"message": "Integration deleted"})
        return _json(404, {"message": "No such route"})

    def _inject(self, kind: str, request: Request) -> Response | None:
        if kind == "500":
            return _json(500, {"message": "Internal server error"})
        if kind == "401":
            return _json(401, {"message": "Unauthorized"})
        if kind == "422":
            return self._invalid("credentials.bucket", "bucket is required")
        if kind == "slow":
            time.sleep(self.slow_s)
            return None
        if kind in ("403", "429"):
            return _json(int(kind), {"message": "Forbidden" if kind == "403" else "Slow down"})
        if kind == "html":
            page = "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"
            return Response(page, status=200, content_type="text/html")
        if kind == "list":
            return _json(200, [{"id": "not-a-record"}])
        if kind == "incomplete":
            return _json(200, {"message": "ok"})
        if kind == "drop":
            return self._drop(request)
        return None

    @staticmethod
    def _drop(request: Request) -> Response:
        """Close the connection without an answer (the Response is never delivered)."""
        sock = request.environ.get("werkzeug.socket")
        if isinstance(sock, socket.socket):
            sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        return Response("", status=500)

    def _invalid(self, where: str, message: str) -> Response:
        shape = self.validation_shape
        if shape == "errors":
            return _json(422, {"errors": [{"field": where, "message": message}]})
        if shape == "detail":
            return _json(422, {"detail": [{"loc": where.split("."), "msg": message}]})
        if shape == "error":
            return _json(422, {"error": f"{where}: {message}"})
        if shape == "text":
            return Response(f"{where}: {message}", status=422, content_type="text/plain")
        return _json(422, {"message": f"{where}: {message}"})

    def _body(self, request: Request) -> dict[str, Any] | None:
        try:
            data = json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _check(self, body: dict[str, Any] | None) -> Response | None:
        if body is None:
            return self._invalid("body", "expected a JSON object")
        if not isinstance(body.get("label"), str) or not body["label"].strip():
            return self._invalid("label", "label is required")
        platform, provider = body.get("platform"), body.get("provider")
        if platform not in PROVIDERS:
            return self._invalid("platform", "platform must be cloud or helpcenter")
        if provider not in PROVIDERS[platform]:
            return self._invalid("provider", f"unknown provider for {platform}")
        if not isinstance(body.get("credentials"), dict):
            return self._invalid("credentials", "credentials must be an object")
        return None

    def _create(self, request: Request) -> Response:
        body = self._body(request)
        problem = self._check(body)
        if problem is not None:
            return problem
        assert body is not None
        key = request.headers.get("Idempotency-Key")
        if key and key in self.idempotency and self.idempotency[key] in self.records:
            existing = self.records[self.idempotency[key]]
            return _json(200, self._stamps(existing, "Integration already created"))
        stamp = self.now()
        new_id = str(uuid.uuid4())
        self.records[new_id] = {
            "id": new_id,
            **{k: body[k] for k in ("label", "platform", "provider", "credentials")},
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        if key:
            self.idempotency[key] = new_id
        return _json(201, self._stamps(self.records[new_id], "Integration created"))

    def _update(self, request: Request) -> Response:
        body = self._body(request)
        problem = self._check(body)
        if problem is not None:
            return problem
        assert body is not None
        record = self.records.get(str(body.get("id")))
        if record is None:
            return _json(404, {"message": "Not found"})
        record.update({k: body[k] for k in ("label", "platform", "provider", "credentials")})
        record["updatedAt"] = self.now()
        return _json(200, self._stamps(record, "Integration updated"))

    def _verify(self, request: Request) -> Response:
        body = self._body(request) or {}
        if "integrationId" in body:
            record = self.records.get(str(body["integrationId"]))
            if record is None:
                return _json(404, {"message": "Not found"})
            credentials = record["credentials"]
        elif isinstance(body.get("credentials"), dict):
            credentials = body["credentials"]
        else:
            return self._invalid("integrationId", "give integrationId or credentials")
        broken = any("invalid" in str(value) for value in credentials.values())
        message = "Connection failed: credentials rejected" if broken else "Connection successful"
        return _json(200, {"isConnectionSuccessful": not broken, "message": message})

    @staticmethod
    def _stamps(record: dict[str, Any], message: str) -> dict[str, Any]:
        return {
            "id": record["id"],
            "createdAt": record["createdAt"],
            "updatedAt": record["updatedAt"],
            "message": message,
        }
