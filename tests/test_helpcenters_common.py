"""What every help-center check does alike, run against each provider's local double."""

from __future__ import annotations

import base64
import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from types import ModuleType
from urllib.parse import urlsplit

import pytest
import requests
from pydantic import ValidationError

from providers import freshdesk, helpjuice, helpscout, http, intercom, knowledgeowl, zendesk
from providers.base import Category, CredentialsModel, VerificationResult, VerifyContext
from tests.doubles.base import Double
from tests.doubles.freshdesk import FreshdeskDouble
from tests.doubles.helpjuice import HelpjuiceDouble
from tests.doubles.helpscout import HelpScoutDouble
from tests.doubles.intercom import IntercomDouble
from tests.doubles.knowledgeowl import KnowledgeOwlDouble
from tests.doubles.zendesk import ZendeskDouble

SECRET = "c2VjcmV0LWZvci10aGUtdGVzdHM0Mg"
WRONG = "d3Jvbmctc2VjcmV0LTAwMDBiZWVm"
AGENT = "agent@acme.test"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass(frozen=True)
class Provider:
    """One help-center provider as these tests drive it: its module, double and credentials."""

    module: ModuleType
    double: Callable[[], Double]  # a double where SECRET works on the tenant ``home``
    credentials: Callable[[str, str], CredentialsModel]  # (tenant, secret) -> credentials
    path: str  # what the check asks for first
    authorization: Callable[[str], str]  # the Authorization header that carries a secret
    wait_s: tuple[float, float]  # the retry_after_s its double's 429 must give
    home: str = "acme"

    @property
    def name(self) -> str:
        return str(self.module.SPEC.name)

    @property
    def domain(self) -> str:
        return str(self.module.RULES.subdomain_of)


def _zendesk() -> Double:
    double = ZendeskDouble(delay_s=1.5)
    double.add_agent("acme", AGENT, SECRET)
    return double


def _freshdesk() -> Double:
    double = FreshdeskDouble(delay_s=1.5)
    double.add_agent("acme", SECRET, AGENT)
    return double


def _helpjuice() -> Double:
    double = HelpjuiceDouble(delay_s=1.5)
    double.add_account("acme", SECRET)
    return double


def _intercom() -> Double:
    double = IntercomDouble(delay_s=1.5)
    double.add_token("us", SECRET, AGENT, "Acme Help")
    return double


def _helpscout() -> Double:
    double = HelpScoutDouble(delay_s=1.5)
    double.add_key("acme", SECRET, ["Acme Docs"])
    return double


def _knowledgeowl() -> Double:
    double = KnowledgeOwlDouble(delay_s=1.5)
    double.add_key("acme", SECRET, {"5f2a9c0d8e7b6a5f4e3d2c1b": "Acme Help"})
    return double


ZENDESK = Provider(
    zendesk,
    _zendesk,
    lambda tenant, secret: zendesk.ZendeskCredentials(
        subdomain=tenant, username=AGENT, token=secret
    ),
    "/api/v2/users/me.json",
    lambda secret: basic(f"{AGENT}/token", secret),
    wait_s=(17, 17),  # Retry-After
)
FRESHDESK = Provider(
    freshdesk,
    _freshdesk,
    lambda tenant, secret: freshdesk.FreshdeskCredentials(subdomain=tenant, apiKey=secret),
    "/api/v2/agents/me",
    lambda secret: basic(secret, "X"),
    wait_s=(23, 23),  # Retry-After
)
HELPJUICE = Provider(
    helpjuice,
    _helpjuice,
    lambda tenant, secret: helpjuice.HelpjuiceCredentials(subdomain=tenant, apiKey=secret),
    "/api/v3/categories",
    lambda secret: secret,  # the bare key
    wait_s=(60, 60),  # no header: one minute, as Helpjuice's message says
)
INTERCOM = Provider(
    intercom,
    _intercom,
    lambda _tenant, secret: intercom.IntercomCredentials(accessToken=secret),
    "/me",
    lambda secret: f"Bearer {secret}",
    wait_s=(25, 31),  # X-RateLimit-Reset, 30 seconds ahead
    home="us",
)
HELPSCOUT = Provider(
    helpscout,
    _helpscout,
    lambda _tenant, secret: helpscout.HelpScoutCredentials(apiKey=secret),
    "/v1/sites",
    lambda secret: basic(secret, "X"),
    wait_s=(42, 42),  # X-RateLimit-Retry-After
)
KNOWLEDGEOWL = Provider(
    knowledgeowl,
    _knowledgeowl,
    lambda _tenant, secret: knowledgeowl.KnowledgeOwlCredentials(apiKey=secret),
    "/api/head/project.json",
    lambda secret: basic(secret, "x"),
    wait_s=(60, 60),  # no header documented: the fixed wait
)
SUBDOMAIN_PROVIDERS = [ZENDESK, FRESHDESK, HELPJUICE]
FIXED_HOST_PROVIDERS = [INTERCOM, HELPSCOUT, KNOWLEDGEOWL]
ALL = pytest.mark.parametrize(
    "running",
    SUBDOMAIN_PROVIDERS + FIXED_HOST_PROVIDERS,
    indirect=True,
    ids=lambda provider: provider.name,
)
SUBDOMAIN = pytest.mark.parametrize(
    "running", SUBDOMAIN_PROVIDERS, indirect=True, ids=lambda provider: provider.name
)


@dataclass
class Running:
    """A provider with its double started on loopback."""

    provider: Provider
    double: Double

    def check(
        self,
        tenant: str | None = None,
        secret: str = SECRET,
        timeout_s: float = 2.0,
        url: str | None = None,
    ) -> VerificationResult:
        """Verify against the double (or ``url``), as ``tenant`` (by default the home one)."""
        tenant = tenant or self.provider.home
        root = url or self.double.url
        # A subdomain provider's double takes the subdomain as the first path segment; a
        # fixed-host provider's tenant is part of its (overridden) API address.
        endpoint = f"{root}/{{subdomain}}" if self.provider.domain else f"{root}/{tenant}"
        creds = self.provider.credentials(tenant, secret)
        return self.provider.module.verify(
            creds, VerifyContext(timeout_s=timeout_s, endpoint=endpoint)
        )


@pytest.fixture(scope="module")
def running(request: pytest.FixtureRequest) -> Iterator[Running]:
    provider: Provider = request.param
    double = provider.double().start()
    yield Running(provider, double)
    double.stop()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[requests.PreparedRequest]:
    """Every request the verifier sends, whatever host it goes to."""
    seen: list[requests.PreparedRequest] = []
    real_send = requests.Session.send

    def spy(self: requests.Session, request: requests.PreparedRequest, **kwargs: object):
        seen.append(request)
        return real_send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", spy)
    return seen


def step_names(result: VerificationResult) -> list[str]:
    return [step.name for step in result.steps]


@ALL
def test_valid_credentials_pass(running: Running) -> None:
    """Working credentials pass, after reaching the host, signing in and reading a resource."""
    result = running.check()
    assert result.ok and result.category is Category.OK, result.message
    assert step_names(result)[:2] == ["reach host", "authenticate"]
    assert step_names(result)[2].startswith("read ")
    assert all(step.ok for step in result.steps)
    assert "reached" in result.steps[0].detail and "HTTP 200" in result.steps[1].detail


@ALL
def test_secret_sent_only_in_the_authorization_header(running: Running) -> None:
    """The secret travels in the Authorization header the provider expects, never in the URL."""
    before = len(running.double.seen(running.provider.home))
    running.check()
    asked = running.double.seen(running.provider.home)[before:]
    assert asked[0].path == running.provider.path
    assert asked[0].headers["Authorization"] == running.provider.authorization(SECRET)
    assert not any(SECRET in request.path or SECRET in request.query for request in asked)


@ALL
def test_wrong_secret_fails_at_authenticate_and_names_key_page(running: Running) -> None:
    """A wrong key is refused at "authenticate", naming the account and where keys are issued."""
    result = running.check(secret=WRONG)
    assert result.category is Category.AUTH
    assert running.provider.module.RULES.key_page in result.message
    if running.provider.domain:
        assert f"acme.{running.provider.domain}" in result.message
    assert step_names(result) == ["reach host", "authenticate"]
    assert result.steps[0].ok and not result.steps[1].ok


@ALL
def test_unreachable_host_fails_before_credentials_are_sent(
    running: Running, sent: list[requests.PreparedRequest]
) -> None:
    """A host that refuses connections ends the check at "reach host"; nothing is sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = running.check(url=closed)
    assert result.category is Category.NETWORK
    assert "Cannot connect to" in result.message
    assert step_names(result) == ["reach host"] and not result.steps[0].ok
    assert sent == []


@ALL
def test_slow_answer_times_out(running: Running) -> None:
    """A host slower than the timeout ends the check with a time-out message."""
    result = running.check("slow", timeout_s=0.5)
    assert result.category is Category.TIMEOUT
    assert "did not answer within 0.5 seconds" in result.message
    assert step_names(result) == ["reach host", "authenticate"]


@ALL
def test_html_error_page(running: Running) -> None:
    """An HTML 500 page means a wrong subdomain, or a fixed API host's own trouble."""
    result = running.check("htmlerror")
    if running.provider.domain:
        assert result.category is Category.NOT_FOUND
        assert "web page instead of API data (HTTP 500)" in result.message
        assert "subdomain" in result.message and "try again later" in result.message
    else:
        assert result.category is Category.UNKNOWN
        assert "problem of its own (HTTP 500)" in result.message


@ALL
def test_html_page_with_status_200_is_not_found(running: Running) -> None:
    """An HTML page with 200 means a wrong subdomain, or a proxy in front of a fixed host."""
    result = running.check("htmlpage")
    assert result.category is Category.NOT_FOUND
    if running.provider.domain:
        assert "subdomain" in result.message and f".{running.provider.domain}" in result.message
    else:
        assert "proxy" in result.message and "HTTP 200 with a web page" in result.message


@ALL
def test_redirect_is_not_followed(running: Running, sent: list[requests.PreparedRequest]) -> None:
    """A redirect to another host stops the check, and the credentials never go there."""
    before = len(running.double.seen("redirect"))
    result = running.check("redirect")
    assert result.category is Category.NOT_FOUND
    assert "login.example.net" in result.message and "not sent on" in result.message
    assert len(running.double.seen("redirect")) == before + 1
    assert sent and all(urlsplit(request.url).hostname == "127.0.0.1" for request in sent)


@ALL
def test_rate_limit_gives_the_providers_wait(running: Running) -> None:
    """A 429 is reported as rate limited, with the wait read the way that provider says it."""
    result = running.check("ratelimited")
    assert result.category is Category.RATE_LIMITED
    assert "try again in about" in result.message
    low, high = running.provider.wait_s
    assert result.retry_after_s is not None and low <= result.retry_after_s <= high


@ALL
def test_secret_never_shown(running: Running, caplog: pytest.LogCaptureFixture) -> None:
    """Whether the check passes or fails, the secret is in no message, step, JSON or log."""
    caplog.set_level(logging.DEBUG)
    home = running.provider.home
    attempts = [(home, SECRET), (home, WRONG)] + [
        (tenant, SECRET) for tenant in ("htmlerror", "htmlpage", "redirect", "ratelimited")
    ]
    for tenant, secret in attempts:
        result = running.check(tenant, secret=secret)
        shown = [result.message, str(result.to_json()), *(step.detail for step in result.steps)]
        assert not any(secret in text for text in shown), tenant
    assert SECRET not in caplog.text and WRONG not in caplog.text


@ALL
def test_secret_hidden_in_repr(running: Running) -> None:
    """Printing the credentials never shows the secret."""
    creds = running.provider.credentials(running.provider.home, SECRET)
    assert SECRET not in repr(creds) and SECRET not in str(creds)


@ALL
def test_blank_secret_is_rejected(running: Running) -> None:
    """An empty key or token is refused beside the field, before any network call."""
    with pytest.raises(ValidationError):
        running.provider.credentials(running.provider.home, "   ")


@SUBDOMAIN
def test_unknown_subdomain_is_not_found(running: Running) -> None:
    """A subdomain the provider does not know is reported as a wrong subdomain, by name."""
    result = running.check("nowhere")
    assert result.category is Category.NOT_FOUND
    assert f"nowhere.{running.provider.domain}" in result.message
    assert "answered 'not found'" in result.message and "not a custom domain" in result.message


@SUBDOMAIN
def test_pasted_address_becomes_subdomain(running: Running) -> None:
    """A pasted full address, with or without a path, is reduced to its subdomain."""
    domain = running.provider.domain
    pasted_forms = (f"https://Acme.{domain}/hc/en-us/articles", f"acme.{domain}/", f"acme.{domain}")
    for pasted in (*pasted_forms, " ACME "):
        assert running.provider.credentials(pasted, SECRET).subdomain == "acme"


@SUBDOMAIN
@pytest.mark.parametrize(
    "typed",
    [
        "acme/support",
        "evil.test@acme",
        "acme#x",
        "acme:8443",
        "acme.helpscout.net",
        "https://help.acme.test/",
    ],
)
def test_subdomain_that_could_mislead_is_rejected(running: Running, typed: str) -> None:
    """A subdomain with '/', '@', '#' or another domain (a custom CNAME) is refused."""
    with pytest.raises(ValidationError):
        running.provider.credentials(typed, SECRET)


NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("signal", "headers", "wait"),
    [
        (http.WaitSignal.RETRY_AFTER, {"Retry-After": "17"}, 17.0),
        (http.WaitSignal.RETRY_AFTER, {"Retry-After": formatdate(NOW + 30, usegmt=True)}, 30.0),
        (http.WaitSignal.RETRY_AFTER, {"Retry-After": "soon"}, None),
        (http.WaitSignal.RESET_EPOCH, {"X-RateLimit-Reset": str(int(NOW) + 12)}, 12.0),
        (http.WaitSignal.RESET_EPOCH, {"X-RateLimit-Reset": str(int(NOW) - 5)}, 0.0),
        (http.WaitSignal.RETRY_AFTER_SECONDS, {"X-RateLimit-Retry-After": "42"}, 42.0),
        (http.WaitSignal.RETRY_AFTER_SECONDS, {"Retry-After": "9"}, 9.0),
        (http.WaitSignal.RETRY_AFTER_SECONDS, {}, None),
        (http.WaitSignal.FIXED, {"Retry-After": "9"}, None),
    ],
)
def test_rate_limit_wait_read_per_signal(
    signal: http.WaitSignal, headers: dict[str, str], wait: float | None
) -> None:
    """Each way a 429 says when to retry is read to seconds; None means the fixed wait applies."""
    reply = http.Reply(429, requests.structures.CaseInsensitiveDict(headers), None, False)
    assert http.rate_limit_wait(reply, signal, now=NOW) == wait


def test_reaching_a_host_counts_its_addresses_in_words() -> None:
    """The 'reach host' step says '1 address', not '1 address(es)'."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        said = http.reach(f"http://127.0.0.1:{port}", product="Zendesk", timeout_s=2)
    assert said == "127.0.0.1 reached (1 address)"
