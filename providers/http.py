"""HTTP for help-center checks: one careful GET, and the status rules and steps they share."""

from __future__ import annotations

import json
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

import requests

from providers.base import Category, CheckFailed, StepRecorder, VerifyContext

log = logging.getLogger(__name__)

USER_AGENT = "IntegrationVault/0.1 (credential check)"
DEFAULT_RATE_LIMIT_WAIT_S = 60.0
_REPORT_IT = "Try again, and if it keeps happening report it with the time of the check."


@dataclass(frozen=True)
class Reply:
    """An HTTP answer already read: status, headers and the JSON body if there was one."""

    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: Any  # parsed JSON, or None when the body was not JSON
    is_json: bool
    url: str = ""  # what was asked, so a provider that tries two paths knows which answered

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class WaitSignal(Enum):
    """Where a provider's 429 answer says how long to wait before trying again."""

    RETRY_AFTER = "Retry-After"  # seconds or an HTTP date
    RESET_EPOCH = "X-RateLimit-Reset"  # the Unix time the window resets, then Retry-After
    RETRY_AFTER_SECONDS = "X-RateLimit-Retry-After"  # seconds, then Retry-After
    FIXED = ""  # nothing to read: always the fixed wait


@dataclass(frozen=True)
class StatusRules:
    """How one help-center provider's answers turn into check failures.

    Messages given here are templates: ``{product}``, ``{credential}``, ``{key_page}`` and
    ``{site}`` (the account's address, or the API host for a fixed-host provider) are filled in.

    Attributes:
        product: The provider's name as messages show it.
        key_page: Where in the provider's admin a new key or token is issued.
        subdomain_of: The domain under which each account has its own host
            (``freshdesk.com``); empty for providers whose API lives on fixed hosts.
        tenant: What one subdomain is called in messages ("helpdesk", "knowledge base").
        credential: What the user pasted, as messages name it.
        wait: Where a 429 says how long to wait.
        fallback_wait_s: The wait when a 429 does not say.
        auth_message: What a 401 means for this provider, when the default is too vague.
        permission_message: What a 403 means for this provider, likewise.
        request_id_header: A header naming the request for the provider's support; it is
            logged and shown in the step, as it identifies no user or key.
    """

    product: str
    key_page: str
    subdomain_of: str = ""
    tenant: str = "account"
    credential: str = "API key"
    wait: WaitSignal = WaitSignal.RETRY_AFTER
    fallback_wait_s: float = DEFAULT_RATE_LIMIT_WAIT_S
    auth_message: str = (
        "{product} did not accept the {credential} for {site}. Copy it again from {key_page}."
    )
    permission_message: str = (
        "{product} accepted the {credential} but refused access on {site} (HTTP 403). Check "
        "what the {credential} may do in {key_page}."
    )
    request_id_header: str = ""

    def say(self, template: str, site: str) -> str:
        return template.format(
            product=self.product, site=site, key_page=self.key_page, credential=self.credential
        )

    def refused(self, site: str) -> CheckFailed:
        """The failure for credentials the provider did not accept (a 401, or its equivalent)."""
        return CheckFailed(Category.AUTH, self.say(self.auth_message, site))

    def unexpected(self, what: str) -> CheckFailed:
        """The failure for an answer that passed the status rules but is not ``what``."""
        return CheckFailed(
            Category.UNKNOWN,
            f"{self.product} answered, but not with {what}; the {self.credential} could not be "
            f"confirmed. {_REPORT_IT}",
        )


def base_url(default: str, override: str | None, **parts: str) -> str:
    """The provider's base URL, or the override (which may use ``{subdomain}`` etc.)."""
    chosen = override or default
    for key, value in parts.items():
        chosen = chosen.replace("{" + key + "}", value)
    return chosen.rstrip("/")


def sign_in(
    rec: StepRecorder,
    rules: StatusRules,
    ctx: VerifyContext,
    url: str,
    *,
    site: str | None = None,
    auth: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
    fetch: Callable[[], Reply] | None = None,
    accept: Callable[[Reply], None] | None = None,
) -> Reply:
    """Run the two steps every help-center check opens with and return the signed-in answer.

    "reach host" connects to the host of ``url`` before any credential leaves this computer.
    "authenticate" then GETs ``url`` with ``auth`` or ``headers`` (or calls ``fetch``, for a
    provider that may need a second request), applies ``rules`` and finally ``accept``, the
    provider's own test that a 200 answer really signed in.

    Args:
        site: The address messages name; by default the host of ``url``.
    """
    site = site or urlsplit(url).hostname or url
    fixed = not rules.subdomain_of
    with rec.step("reach host") as note:
        note["detail"] = reach(
            url, product=rules.product, timeout_s=ctx.timeout_s, fixed_host=fixed
        )
    with rec.step("authenticate") as note:
        if fetch is not None:
            reply = fetch()
        else:
            reply = get(
                url,
                product=rules.product,
                timeout_s=ctx.timeout_s,
                headers=headers,
                auth=auth,
                fixed_host=fixed,
            )
        note["detail"] = _describe(reply, rules)
        raise_for_status(reply, rules, site=site)
        if accept is not None:
            accept(reply)
    return reply


def _describe(reply: Reply, rules: StatusRules) -> str:
    detail = f"HTTP {reply.status}"
    request_id = reply.header(rules.request_id_header) if rules.request_id_header else None
    if request_id:
        detail += f", {rules.request_id_header} {request_id}"
    log.debug("%s answered %s", rules.product, detail)
    return detail


def raise_for_status(reply: Reply, rules: StatusRules, *, site: str) -> None:
    """Raise the failure an answer means, unless it is a JSON 200.

    401, 403 and 429 mean the same whatever the body says. After those, the body decides: a
    subdomain provider that answers with anything but JSON (at any status) has no account at
    that subdomain. A fixed-host provider's 5xx is its own trouble; any other non-JSON answer
    comes from something between this computer and the API, such as a proxy.
    """
    status = reply.status
    if status == 401:
        raise rules.refused(site)
    if status == 403:
        raise CheckFailed(Category.PERMISSION, rules.say(rules.permission_message, site))
    if status == 429:
        raise too_many_requests(reply, rules)
    if rules.subdomain_of and (status == 404 or not reply.is_json):
        raise _no_such_tenant(rules, site, status)
    if status >= 500:
        raise server_trouble(rules.product, status)
    if status == 404 or not reply.is_json:
        what = "a web page" if not reply.is_json else "'not found'"
        raise CheckFailed(
            Category.NOT_FOUND,
            f"{site} answered HTTP {status} with {what} instead of the {rules.product} API. A "
            "proxy on this network, or a wrong INTEGRATION_VAULT_ENDPOINTS override, is the likely "
            "cause.",
        )
    if status != 200:
        raise CheckFailed(
            Category.UNKNOWN, f"{rules.product} answered HTTP {status} unexpectedly. {_REPORT_IT}"
        )


def _no_such_tenant(rules: StatusRules, site: str, status: int) -> CheckFailed:
    if status == 404:
        found, later = "answered 'not found'", ""
    else:
        found = f"answered with a web page instead of API data (HTTP {status})"
        later = f" If it is right, {rules.product} may be having trouble, so try again later."
    return CheckFailed(
        Category.NOT_FOUND,
        f"There seems to be no {rules.product} {rules.tenant} at {site}: it {found}. Check the "
        f"subdomain; it is the part before .{rules.subdomain_of} in your {rules.product} "
        f"address, not a custom domain.{later}",
    )


def reach(url: str, *, product: str, timeout_s: float, fixed_host: bool = False) -> str:
    """Resolve the host and open a connection (with TLS for https) without sending anything.

    Separates "the address is wrong or unreachable" from "the credentials are wrong" before
    any credential leaves this computer. Returns a short description for the step.
    ``fixed_host`` says the host is the provider's own API address rather than one the
    user's subdomain makes, so a host that does not resolve is a network problem.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise _unknown_host(host, product, fixed_host) from None
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw:
            if not secure:
                count = len(addresses)
                return f"{host} reached ({count} address{'' if count == 1 else 'es'})"
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
    fixed_host: bool = False,
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
        raise _connection_failure(exc, url, product, fixed_host) from None
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
    return Reply(response.status_code, response.headers, body, is_json, url)


def _json_body(response: requests.Response, raw: bytes) -> tuple[Any, bool]:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type.lower() and not raw.lstrip().startswith((b"{", b"[")):
        return None, False
    try:
        return json.loads(raw.decode(response.encoding or "utf-8", errors="replace")), True
    except ValueError:
        return None, False


def _connection_failure(exc: Exception, url: str, product: str, fixed_host: bool) -> CheckFailed:
    text = str(exc)
    host = urlsplit(url).hostname or url
    if (
        "NameResolutionError" in text
        or "Name or service not known" in text
        or ("nodename nor servname" in text or "getaddrinfo failed" in text)
    ):
        return _unknown_host(host, product, fixed_host)
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


def _unknown_host(host: str, product: str, fixed_host: bool) -> CheckFailed:
    # An account's own host failing to resolve means a wrong subdomain only while the
    # provider's domain itself still resolves; otherwise this computer is offline.
    if not fixed_host and not _resolves(host.partition(".")[2]):
        fixed_host = True
    if fixed_host:
        return CheckFailed(
            Category.NETWORK,
            f"This computer could not look up {host}, the address of the {product} API. Check "
            "the internet connection, DNS or proxy (and the INTEGRATION_VAULT_ENDPOINTS override, "
            "if one is set).",
        )
    return CheckFailed(
        Category.NOT_FOUND,
        f"The address {host} does not exist. Check the account name or subdomain.",
    )


def _resolves(domain: str) -> bool:
    if not domain or "." not in domain:
        return False
    try:
        socket.getaddrinfo(domain, 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    return True


def too_many_requests(reply: Reply, rules: StatusRules) -> CheckFailed:
    """The failure for a 429: when to try again, read the way this provider says it."""
    wait = rate_limit_wait(reply, rules.wait)
    if wait is None:
        wait = rules.fallback_wait_s
    return CheckFailed(
        Category.RATE_LIMITED,
        f"{rules.product} is limiting requests right now; try again in about {_human_wait(wait)}.",
        retry_after_s=wait,
    )


def rate_limit_wait(reply: Reply, signal: WaitSignal, now: float | None = None) -> float | None:
    """Seconds to wait after a 429, from the provider's own header, else ``Retry-After``."""
    if signal is WaitSignal.FIXED:
        return None
    now = time.time() if now is None else now
    own = _number(reply.header(signal.value))
    if own is not None:
        return max(0.0, own - now if signal is WaitSignal.RESET_EPOCH else own)
    retry_after = reply.header("Retry-After")
    if not retry_after:
        return None
    seconds = _number(retry_after)
    if seconds is not None:
        return max(0.0, seconds)
    try:  # the other form Retry-After may take: an HTTP date
        return max(0.0, parsedate_to_datetime(retry_after.strip()).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _number(value: str | None) -> float | None:
    try:
        return float(value.strip()) if value else None
    except ValueError:
        return None


def server_trouble(product: str, status: int) -> CheckFailed:
    return CheckFailed(
        Category.UNKNOWN,
        f"{product} had a problem of its own (HTTP {status}). Try again later; the "
        "credentials were not judged.",
    )


def _human_wait(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} seconds"
    return f"{round(seconds / 60)} minutes"
