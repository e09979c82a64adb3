"""A client for the remote Integration API (see shared docs/integration-api.md).

Every call has a timeout. Only idempotent calls (GET, PUT, DELETE) are retried, with
back-off, and only after a connection error, a 429 or a 5xx. Every failure becomes a
``RemoteError`` whose message says what went wrong in the user's terms.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from pydantic import SecretStr

from app import timefmt
from app.errors import FieldProblem, InvalidInput, UserFacingError

log = logging.getLogger(__name__)

DEFAULT_HEADER = "Authorization"
DEFAULT_SCHEME = "Bearer"
DEFAULT_TIMEOUT_S = 15.0
RETRY_DELAYS_S = (0.5, 1.5, 4.0)
MAX_RETRY_WAIT_S = 30.0
_IDEMPOTENT = {"GET", "PUT", "DELETE"}


class RemoteError(UserFacingError):
    """A remote call failed; ``kind`` is network, auth, validation, not_found, server or
    bad_response."""

    exit_code = 1

    def __init__(
        self, kind: str, message: str, status: int | None = None, json_body: bool = False
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.json_body = json_body


@dataclass(frozen=True)
class RemoteConfig:
    """Where the API is and how to present the key."""

    url: str
    api_key: SecretStr
    header: str = DEFAULT_HEADER
    scheme: str = DEFAULT_SCHEME

    def __post_init__(self) -> None:
        check_url(self.url)
        if not self.header.strip() or any(c in self.header for c in ":\r\n "):
            raise InvalidInput(
                [FieldProblem("header", "a header name such as Authorization or X-Api-Key")]
            )
        if any(c in self.scheme for c in "\r\n"):
            raise InvalidInput([FieldProblem("scheme", "one word such as Bearer, or empty")])
        if not self.api_key.get_secret_value().strip():
            raise InvalidInput([FieldProblem("api key", "must not be empty")])

    def auth_header(self) -> dict[str, str]:
        key = self.api_key.get_secret_value().strip()
        value = f"{self.scheme.strip()} {key}" if self.scheme.strip() else key
        return {self.header.strip(): value}


# "Bearer abc…", "Token abc…" or a whole "Authorization: Basic abc…" header pasted as the key.
_KEY_PREFIX = re.compile(r"^\s*(authorization\s*:\s*)?(bearer|basic|token)(\s+|\s*[:=]\s*)", re.I)


def check_new_api_key(key: str) -> str:
    """A key about to be saved: refused when it carries its scheme or header in front, which
    the client adds itself (the server would then see "Bearer Bearer …" and answer 401)."""
    found = _KEY_PREFIX.match(key)
    if found:
        word = found.group(2).capitalize()
        raise InvalidInput(
            [
                FieldProblem(
                    "api key",
                    f"starts with '{word} '; give only the key itself (the scheme, "
                    f"'{word}', is a setting of its own and is added when the key is sent)",
                )
            ]
        )
    return key


def check_url(url: str) -> str:
    """HTTPS is required, except for loopback addresses (tests and local mirrors)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = f"'{url}' is" if url.strip() else "an empty address is"
        raise InvalidInput([FieldProblem("url", f"{shown} not a web address (https://…)")])
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise InvalidInput(
            [
                FieldProblem(
                    "url",
                    "the API key may only travel over HTTPS (plain http is allowed for "
                    "127.0.0.1 and localhost only)",
                )
            ]
        )
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class RemoteStamp:
    """What the server says after a create or update."""

    id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RemoteRecord:
    """A whole record as the server holds it."""

    id: str
    label: str
    platform: str
    provider: str
    credentials: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "platform": self.platform,
            "provider": self.provider,
            "credentials": self.credentials,
            "createdAt": timefmt.to_api(self.created_at),
            "updatedAt": timefmt.to_api(self.updated_at),
        }


class IntegrationApi:
    """The five calls of the Integration API."""

    def __init__(self, config: RemoteConfig, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.config = config
        self.timeout_s = timeout_s
        self.base = check_url(config.url)
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", **config.auth_header()})

    def close(self) -> None:
        self._session.close()

    def create(self, record: dict[str, Any], idempotency_key: str | None = None) -> RemoteStamp:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return _stamp(self._call("POST", "/integration", record, headers=headers))

    def update(self, remote_id: str, record: dict[str, Any]) -> RemoteStamp:
        return _stamp(self._call("PUT", "/integration", {"id": remote_id, **record}))

    def fetch(self, remote_id: str) -> RemoteRecord:
        return _record(self._call("GET", f"/integration/{_path_id(remote_id)}"))

    def delete(self, remote_id: str) -> None:
        self._call("DELETE", f"/integration/{_path_id(remote_id)}", expect_body=False)

    def verify(self, body: dict[str, Any]) -> tuple[bool, str]:
        data = self._call("POST", "/integration/verify", body)
        ok = data.get("isConnectionSuccessful")
        if not isinstance(ok, bool):
            raise RemoteError("bad_response", "the server's verify answer had no result")
        return ok, str(data.get("message") or ("connection works" if ok else "failed"))

    def test(self) -> str:
        """Prove that the URL answers and the key is accepted, without changing anything."""
        probe = str(uuid.uuid4())
        try:
            # One attempt: a connection test should answer within its timeout.
            self._call("GET", f"/integration/{probe}", retry=False)
        except RemoteError as exc:
            # Only the API's own JSON "not found" proves that this is the Integration API.
            if exc.kind == "not_found" and exc.json_body:
                return "connected: the server answered and accepted the API key"
            if exc.kind == "not_found":
                raise RemoteError(
                    "bad_response",
                    "something answers at this address, but not the Integration API; check the URL",
                    exc.status,
                ) from None
            raise
        return "connected: the server answered and accepted the API key"

    # -- plumbing -----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        expect_body: bool = True,
        retry: bool = True,
    ) -> dict[str, Any]:
        attempts = len(RETRY_DELAYS_S) + 1 if retry and method in _IDEMPOTENT else 1
        for attempt in range(attempts):
            try:
                response = self._request(method, path, body, headers)
            except requests.exceptions.Timeout:
                error = RemoteError(
                    "network", f"the server did not answer within {self.timeout_s:g} seconds"
                )
                wait = None
            except requests.exceptions.RequestException:
                error = RemoteError("network", f"cannot reach the server at {self.base}")
                wait = None
            else:
                if response.status_code < 300:
                    return _json_or_empty(response, expect_body)
                error = _error_for(response)
                if response.status_code != 429 and response.status_code < 500:
                    raise error
                wait = _retry_after(response)
            if attempt + 1 >= attempts:
                raise error
            delay = min(wait if wait is not None else RETRY_DELAYS_S[attempt], MAX_RETRY_WAIT_S)
            log.info(
                "%s %s failed (%s); retry %d in %.1f s",
                method,
                path,
                error.kind,
                attempt + 1,
                delay,
            )
            time.sleep(delay)
        raise AssertionError("unreachable")

    def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        headers: dict[str, str] | None,
    ) -> requests.Response:
        """One request whose whole answer must arrive within the timeout.

        ``requests`` applies its timeout to each read; a server trickling its answer a few
        bytes at a time would hold the call for ever, so the body is read against a deadline.
        """
        deadline = time.monotonic() + self.timeout_s
        response = self._session.request(
            method,
            self.base + path,
            json=body,
            headers=headers,
            timeout=self.timeout_s,
            allow_redirects=False,
            stream=True,
        )
        chunks = []
        with response:
            while True:
                # read1 returns whatever has arrived, so the deadline is checked often.
                chunk = response.raw.read1(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise requests.exceptions.ReadTimeout("answer not complete in time")
        response._content = b"".join(chunks)
        return response


def _path_id(remote_id: str) -> str:
    text = remote_id.strip()
    if not text or any(c in text for c in "/?#% "):
        raise RemoteError("validation", f"'{remote_id}' is not a remote id")
    return text


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _json_or_empty(response: requests.Response, expect_body: bool) -> dict[str, Any]:
    if not expect_body and not response.content.strip():
        return {}
    try:
        data = response.json()
    except ValueError:
        # Even an answer without content must not be a web page: a proxy or captive portal
        # answering 200 has not deleted anything.
        raise RemoteError(
            "bad_response",
            f"the server answered HTTP {response.status_code} but not with JSON; is the URL "
            "the Integration API?",
            response.status_code,
        ) from None
    if not isinstance(data, dict):
        if not expect_body:
            return {}
        raise RemoteError("bad_response", "the server's answer was not a JSON object")
    return data


def _error_for(response: requests.Response) -> RemoteError:
    status = response.status_code
    if status in (401, 403):
        return RemoteError(
            "auth",
            f"the server refused the API key (HTTP {status}); check the API key you configured",
            status,
        )
    if status == 404:
        is_json = "json" in response.headers.get("Content-Type", "").lower()
        return RemoteError("not_found", "no longer on the server (HTTP 404)", status, is_json)
    if status == 422:
        return RemoteError(
            "validation", f"the server rejected it: {server_message(response)}", status
        )
    if status == 429:
        return RemoteError("server", "the server is limiting requests (HTTP 429)", status)
    if status >= 500:
        return RemoteError("server", f"the server failed (HTTP {status}); try again later", status)
    if 300 <= status < 400:
        return RemoteError(
            "bad_response", f"the server redirected (HTTP {status}); check the URL", status
        )
    return RemoteError("bad_response", f"unexpected answer HTTP {status}", status)


def server_message(response: requests.Response) -> str:
    """The server's own words, whatever shape its error body has."""
    try:
        data = response.json()
    except ValueError:
        text = response.text.strip()
        return text[:300] if text and "<html" not in text.lower() else "no details given"
    return _message_from(data) or "no details given"


def _message_from(data: Any) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, list):
        return "; ".join(filter(None, (_message_from(item) for item in data)))
    if not isinstance(data, dict):
        return ""
    for key in ("message", "error", "detail", "errors", "msg", "title"):
        if key in data:
            found = _message_from(data[key])
            if found:
                where = data.get("field") or data.get("path") or data.get("loc")
                if isinstance(where, list):
                    where = ".".join(str(part) for part in where)
                return f"{where}: {found}" if where and key != "errors" else found
    return json.dumps(data)[:300]


def _stamp(data: dict[str, Any]) -> RemoteStamp:
    try:
        return RemoteStamp(
            str(data["id"]),
            timefmt.from_api(str(data["createdAt"])),
            timefmt.from_api(str(data["updatedAt"])),
        )
    except (KeyError, ValueError, TypeError):
        raise RemoteError(
            "bad_response", "the server's answer lacked id, createdAt or updatedAt"
        ) from None


def _record(data: dict[str, Any]) -> RemoteRecord:
    try:
        credentials = data["credentials"]
        if not isinstance(credentials, dict):
            raise TypeError("credentials")
        return RemoteRecord(
            str(data["id"]),
            str(data["label"]),
            str(data["platform"]),
            str(data["provider"]),
            credentials,
            timefmt.from_api(str(data["createdAt"])),
            timefmt.from_api(str(data["updatedAt"])),
        )
    except (KeyError, ValueError, TypeError):
        raise RemoteError("bad_response", "the server's record was incomplete") from None
