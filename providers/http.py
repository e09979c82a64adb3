"""One careful HTTP GET for help-center checks: timeouts, no redirects, failures in words."""

from __future__ import annotations

import json
import socket
import ssl
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from providers.base import Category, CheckFailed

USER_AGENT = "IntegrationVault/0.1 (credential check)"
DEFAULT_RATE_LIMIT_WAIT_S = 60.0


@dataclass(frozen=True)
class Reply:
    """An HTTP answer already read: status, headers and the JSON body if there was one."""

    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: Any  # parsed JSON, or None when the body was not JSON
    is_json: bool

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def base_url(default: str, override: str | None, **parts: str) -> str:
    """The provider's base URL, or the override (which may use ``{subdomain}`` etc.)."""
    chosen = override or default
    for key, value in parts.items():
        chosen = chosen.replace("{" + key + "}", value)
    return chosen.rstrip("/")


def reach(url: str, *, product: str, timeout_s: float) -> str:
    """Resolve the host and open a connection (with TLS for https) without sending anything.

    Separates "the address is wrong or unreachable" from "the credentials are wrong" before
    any credential leaves this computer. Returns a short description for the step.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise CheckFailed(
            Category.NOT_FOUND,
            f"The address {host} does not exist. Check the account name or subdomain.",
        ) from None
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw:
            if not secure:
                return f"{host} reached ({len(addresses)} address(es))"
            context = ssl.create_default_context()
            with context.wrap_socket(raw, server_hostname=host) as tls:
                return f"{host} reached over {tls.version()}"
    except TimeoutError:
        raise CheckFailed(
            Category.TIMEOUT,
            f"{product} at {host} did not accept a connection within {timeout_s:g} seconds.",
        ) from None
    except ssl.SSLError:
        raise CheckFailed(
            Category.NETWORK,
            f"The secure connection to {host} failed (TLS). A proxy, a firewall or a wrong "
            "clock on this computer may be the cause.",
        ) from None
    except OSError:
        raise CheckFailed(
            Category.NETWORK,
            f"Cannot connect to {product} at {host}. Check this computer's internet "
            "connection or proxy.",
        ) from None


def get(
    url: str,
    *,
    product: str,
    timeout_s: float,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
) -> Reply:
    """GET ``url`` once; never follow a redirect, so credentials stay with their host.

    Raises ``CheckFailed`` for network trouble and time-outs. Every status comes back as a
    ``Reply`` for the provider to read, except redirects, which are refused here.
    """
    sent = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
    try:
        response = requests.get(
            url, headers=sent, auth=auth, timeout=timeout_s, allow_redirects=False
        )
        raw = response.content
    except requests.exceptions.Timeout:
        raise CheckFailed(
            Category.TIMEOUT,
            f"{product} did not answer within {timeout_s:g} seconds. Try again, or raise "
            "the timeout if the network is slow.",
        ) from None
    except requests.exceptions.ConnectionError as exc:
        raise _connection_failure(exc, url, product) from None
    except requests.exceptions.RequestException as exc:
        raise CheckFailed(
            Category.NETWORK, f"Could not talk to {product}: {type(exc).__name__}."
        ) from None

    if 300 <= response.status_code < 400:
        target = urlsplit(response.headers.get("Location", "")).hostname or "another address"
        raise CheckFailed(
            Category.NOT_FOUND,
            f"{product} sent the check to {target} instead of answering (HTTP "
            f"{response.status_code}); the credentials were not sent on. This usually means "
            "the account name or address is wrong.",
        )
    body, is_json = _json_body(response, raw)
    return Reply(response.status_code, response.headers, body, is_json)


def _json_body(response: requests.Response, raw: bytes) -> tuple[Any, bool]:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type.lower() and not raw.lstrip().startswith((b"{", b"[")):
        return None, False
    try:
        return json.loads(raw.decode(response.encoding or "utf-8", errors="replace")), True
    except ValueError:
        return None, False


def _connection_failure(exc: Exception, url: str, product: str) -> CheckFailed:
    text = str(exc)
    host = urlsplit(url).hostname or url
    if (
        "NameResolutionError" in text
        or "Name or service not known" in text
        or ("nodename nor servname" in text or "getaddrinfo failed" in text)
    ):
        return CheckFailed(
            Category.NOT_FOUND,
            f"The address {host} does not exist. Check the account name or subdomain.",
        )
    if "SSLError" in text or "CERTIFICATE" in text.upper():
        return CheckFailed(
            Category.NETWORK,
            f"The secure connection to {host} failed (TLS). A proxy or wrong clock may be "
            "the cause.",
        )
    return CheckFailed(
        Category.NETWORK,
        f"Cannot connect to {product} at {host}. Check this computer's internet connection.",
    )


def retry_after_seconds(reply: Reply, now: float | None = None) -> float | None:
    """Read ``Retry-After`` (seconds or an HTTP date), if the provider sent one."""
    value = reply.header("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (now if now is not None else time.time()))


def reset_epoch_seconds(reply: Reply, header: str, now: float | None = None) -> float | None:
    """Seconds until a Unix-time reset header such as Intercom's ``X-RateLimit-Reset``."""
    value = reply.header(header)
    if not value:
        return None
    try:
        return max(0.0, float(value) - (now if now is not None else time.time()))
    except ValueError:
        return None


def rate_limited(product: str, wait_s: float | None, *, fallback_s: float) -> CheckFailed:
    """The failure for a 429: when to try again, from the provider's signal or a fixed wait."""
    wait = wait_s if wait_s is not None else fallback_s
    return CheckFailed(
        Category.RATE_LIMITED,
        f"{product} is limiting requests right now; try again in about {_human_wait(wait)}.",
        retry_after_s=wait,
    )


def server_trouble(product: str, status: int) -> CheckFailed:
    return CheckFailed(
        Category.UNKNOWN,
        f"{product} had a problem of its own (HTTP {status}). Try again later; the "
        "credentials were not judged.",
    )


def not_json(product: str, status: int) -> CheckFailed:
    return CheckFailed(
        Category.NOT_FOUND,
        f"{product} answered with a web page instead of API data (HTTP {status}). The "
        "account name or subdomain is probably wrong.",
    )


def _human_wait(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    return f"{round(seconds / 60)} minutes"
