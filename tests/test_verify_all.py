"""Checking many integrations at once (`verify --all`), its rate-limit waits, Ctrl+C and history.

Everything runs against local help-center doubles on loopback. The doubles here are steered by
the tests: they count the requests they are answering at once, hold chosen tenants until the
test lets them go, and answer a tenant's first requests with the provider's own 429.
"""

from __future__ import annotations

import base64
import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from werkzeug import Request, Response

from app import timefmt
from app.models import Integration, parse_new
from app.vault import Vault
from app.verification import CheckOptions, verify_many
from providers.base import Category, Step, VerificationResult
from tests.conftest import PASSWORD, Cli, zendesk_data
from tests.doubles.base import Double
from tests.doubles.helpjuice import HelpjuiceDouble
from tests.doubles.intercom import IntercomDouble
from tests.doubles.zendesk import ZendeskDouble

AGENT = "agent@acme.test"
INTERCOM_TOKEN = "dG9rOmFjbWUtdXMtdG9rZW4="
HELPJUICE_KEY = "6f1c2b9a8d7e6f5a4b3c2d1e"
HELD_S = 30.0  # the longest a held request waits when a test never lets it go
RESULT_KEYS = {"id", "label", "provider", "ok", "category", "message", "elapsedMs"}


# -- doubles the tests steer -----------------------------------------------------------


@dataclass
class Steering:
    """What the tests steer in a double; mixed in after a provider's double class.

    ``busy[tenant]`` is how many of that tenant's first requests get the provider's 429;
    tenants in ``held`` get no answer until ``release`` is set. ``gather(k)`` makes every
    request wait until k requests are in at once (a barrier), then answer a little late, so
    a request beyond the k would be seen while they are still in.
    """

    busy: dict[str, int] = field(default_factory=dict)
    held: set[str] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0
    peak: int = 0
    barrier: threading.Barrier | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def gather(self, count: int) -> None:
        self.barrier = threading.Barrier(count, timeout=5.0)

    def steer(self, tenant: str, answer: Callable[[], Response]) -> Response:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            if self.barrier is not None:
                # Fewer may come at once than expected; ``peak`` then shows it.
                with contextlib.suppress(threading.BrokenBarrierError):
                    self.barrier.wait()
                time.sleep(0.1)
            if tenant in self.held:
                self.release.wait(HELD_S)
            if len(self.seen(tenant)) <= self.busy.get(tenant, 0):
                return self.too_many_requests()
            return answer()
        finally:
            with self.lock:
                self.in_flight -= 1

    # Provided by the provider's double, which comes first in the class's bases.
    def seen(self, tenant: str) -> list[Any]:
        raise NotImplementedError

    def too_many_requests(self) -> Response:
        raise NotImplementedError


@dataclass
class SteeredZendesk(ZendeskDouble, Steering):
    def answer(self, tenant: str, path: str, request: Request) -> Response:
        return self.steer(tenant, lambda: ZendeskDouble.answer(self, tenant, path, request))


@dataclass
class SteeredIntercom(IntercomDouble, Steering):
    reset_soon: bool = False  # a 429 whose reset (whole seconds) is under half a second away

    def answer(self, tenant: str, path: str, request: Request) -> Response:
        return self.steer(tenant, lambda: IntercomDouble.answer(self, tenant, path, request))

    def too_many_requests(self) -> Response:
        if self.reset_soon:
            # Answer late in a clock second, with the reset at the next whole second.
            self.reset_in_s = 1
            while not 0.55 <= time.time() % 1 < 0.9:
                time.sleep(0.01)
        return super().too_many_requests()


def started(double: Double) -> Iterator[Any]:
    double.start()
    yield double
    if isinstance(double, Steering):
        double.release.set()
    double.stop()


@pytest.fixture
def zendesk() -> Iterator[SteeredZendesk]:
    yield from started(SteeredZendesk(retry_after=1))


@pytest.fixture
def intercom() -> Iterator[SteeredIntercom]:
    double = SteeredIntercom(reset_in_s=2)
    double.add_token("us", INTERCOM_TOKEN, AGENT, "Acme Help")
    yield from started(double)


@pytest.fixture
def helpjuice() -> Iterator[HelpjuiceDouble]:
    yield from started(HelpjuiceDouble())


# -- helpers ---------------------------------------------------------------------------


def add_zendesk(vault: Vault, double: ZendeskDouble, tenant: str) -> Integration:
    """A Zendesk integration whose agent the double knows on ``tenant``."""
    data = zendesk_data(tenant, label=f"Help center {tenant}")
    double.add_agent(tenant, AGENT, data["credentials"]["token"])
    return vault.add(parse_new(data))


def options(**endpoints: str) -> CheckOptions:
    return CheckOptions(timeout_s=5.0, endpoints=endpoints)


def zendesk_options(double: ZendeskDouble) -> CheckOptions:
    return options(zendesk=f"{double.url}/{{subdomain}}")


def seed_zendesk(cli: Cli, double: ZendeskDouble, *tenants: str) -> list[str]:
    """Zendesk integrations in the CLI's vault, one per tenant, with the CLI pointed at the
    double; returns their ids."""
    cli.endpoints["zendesk"] = f"{double.url}/{{subdomain}}"
    items = [zendesk_data(tenant, label=f"Help center {tenant}") for tenant in tenants]
    for tenant, data in zip(tenants, items, strict=True):
        double.add_agent(tenant, AGENT, data["credentials"]["token"])
    return cli.seed(*items)


def basic_credentials_user(headers: dict[str, str]) -> str:
    """The user name of a request's Basic ``Authorization`` header."""
    encoded = headers["Authorization"].removeprefix("Basic ")
    return base64.b64decode(encoded).decode().partition(":")[0]


def json_lines(text: str) -> list[dict[str, Any]]:
    """Each stdout line parsed on its own: fails on any line that is not one JSON object."""
    return [json.loads(line) for line in text.splitlines()]


def _sigint_as_usual() -> None:
    # A shell that starts a job in the background makes it ignore SIGINT, and a child would
    # inherit that; restore the default so the CLI sees Ctrl+C as it does in a terminal.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_cli(cli: Cli, *args: str) -> subprocess.Popen[str]:
    """`python -m app ARGS` running in the background, its output read as it comes."""
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--vault", str(cli.vault), *args],
        cwd=cli.home,
        env=cli.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_as_usual,
    )


def wait_until(condition: Callable[[], bool], within_s: float = 10.0) -> None:
    """Poll until ``condition`` holds; the time is a safety net, not what is tested."""
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.02)


def result(ok: bool, message: str, elapsed_ms: int = 42) -> VerificationResult:
    category = Category.OK if ok else Category.AUTH
    steps = (Step("reach host", True, 3, "reached"), Step("authenticate", ok, 39, "HTTP 200"))
    return VerificationResult(ok, category, message, elapsed_ms, steps)


# -- concurrency -----------------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 3])
def test_no_more_checks_run_at_once_than_the_concurrency_allows(
    concurrency: int, zendesk: SteeredZendesk, vault: Vault
) -> None:
    """Six slow checks with concurrency k: the service has k requests at once, never more."""
    items = [add_zendesk(vault, zendesk, f"desk{n}") for n in range(6)]
    zendesk.gather(concurrency)

    results = list(verify_many(items, zendesk_options(zendesk), concurrency=concurrency))

    assert sorted(item.id for item, _ in results) == sorted(item.id for item in items)
    assert all(found.ok for _, found in results), [found.message for _, found in results]
    assert zendesk.peak == concurrency


def test_cli_concurrency_option_bounds_the_checks_at_once(
    cli_vault: Cli, zendesk: SteeredZendesk
) -> None:
    """`verify --all --concurrency 2` keeps two requests at once in flight, never three."""
    seed_zendesk(cli_vault, zendesk, "desk0", "desk1", "desk2", "desk3")
    zendesk.gather(2)

    done = cli_vault.run("verify", "--all", "--concurrency", "2", "--json")

    assert done.returncode == 0, done.stderr
    assert len(json_lines(done.stdout)) == 4
    assert zendesk.peak == 2


@pytest.mark.parametrize("concurrency", [0, -2])
def test_a_concurrency_below_one_still_runs_the_checks_one_at_a_time(
    concurrency: int, zendesk: SteeredZendesk, vault: Vault
) -> None:
    """Asking for no concurrency at all runs the checks one at a time instead of never."""
    items = [add_zendesk(vault, zendesk, f"desk{n}") for n in range(2)]
    cancel = threading.Event()
    results: list[tuple[Integration, VerificationResult]] = []
    checks = verify_many(items, zendesk_options(zendesk), concurrency, cancel)
    runner = threading.Thread(target=lambda: results.extend(checks), daemon=True)
    runner.start()
    runner.join(timeout=30)  # a safety net: an engine that never starts a check ends here
    cancel.set()

    assert [found.ok for _, found in results] == [True, True]
    assert zendesk.peak == 1


# -- results as they complete ----------------------------------------------------------


def test_a_fast_check_is_reported_before_a_slow_one_started_earlier(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """A check that answers at once is yielded while an earlier, slower one is still waiting."""
    slow = add_zendesk(vault, zendesk, "slowdesk")
    fast = add_zendesk(vault, zendesk, "acme")
    zendesk.held.add("slowdesk")

    results = verify_many([slow, fast], zendesk_options(zendesk), concurrency=2)
    first_item, first = next(results)
    zendesk.release.set()
    second_item, second = next(results)

    assert [first_item.id, second_item.id] == [fast.id, slow.id]
    assert first.ok and second.ok, (first.message, second.message)
    assert list(results) == []


def test_cancelling_reports_the_checks_under_way_and_starts_no_more(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """Cancelled after the first result: the check under way is still reported, none starts."""
    fast = add_zendesk(vault, zendesk, "acme")
    slow = add_zendesk(vault, zendesk, "slowdesk")
    waiting = [add_zendesk(vault, zendesk, f"queued{n}") for n in range(2)]
    zendesk.held.add("slowdesk")
    cancel = threading.Event()

    results = verify_many([fast, slow, *waiting], zendesk_options(zendesk), 2, cancel)
    first_item, _ = next(results)
    cancel.set()
    zendesk.release.set()
    rest = list(results)

    assert [first_item.id, *(item.id for item, _ in rest)] == [fast.id, slow.id]
    assert all(found.ok for _, found in rest)
    assert zendesk.seen("queued0") == [] and zendesk.seen("queued1") == []


def test_cli_json_prints_one_result_object_per_line(
    cli_vault: Cli, zendesk: SteeredZendesk
) -> None:
    """`verify --all --json` prints one JSON object per check with the result's fields."""
    good, unknown = seed_zendesk(cli_vault, zendesk, "acme", "umbrella")
    zendesk.accounts.pop("umbrella")  # a subdomain Zendesk does not know

    done = cli_vault.run("verify", "--all", "--json")

    assert done.returncode == 1, done.stderr
    lines = json_lines(done.stdout)
    assert all(set(line) == RESULT_KEYS for line in lines), lines
    by_id = {line["id"]: line for line in lines}
    assert set(by_id) == {good, unknown}
    assert by_id[good]["ok"] is True and by_id[good]["category"] == "ok"
    assert by_id[good]["label"] == "Help center acme" and by_id[good]["provider"] == "zendesk"
    assert by_id[unknown]["ok"] is False and by_id[unknown]["category"] == "not_found"
    assert all(isinstance(line["elapsedMs"], int) for line in lines)
    assert all(line["message"] for line in lines)


def test_cli_json_prints_a_result_while_a_slower_check_is_still_running(
    cli_vault: Cli, zendesk: SteeredZendesk
) -> None:
    """The fast check's line is on stdout before the slow check has had any answer."""
    slow, fast = seed_zendesk(cli_vault, zendesk, "slowdesk", "acme")
    zendesk.held.add("slowdesk")

    process = start_cli(cli_vault, "verify", "--all", "--json")
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())
        zendesk.release.set()
        rest, errors = process.communicate(timeout=60)
    finally:
        process.kill()

    assert process.returncode == 0, errors
    assert first["id"] == fast and first["ok"] is True
    assert [line["id"] for line in json_lines(rest)] == [slow]


def test_verify_steps_shows_each_step_of_the_check(cli_vault: Cli, zendesk: SteeredZendesk) -> None:
    """`verify --steps` lists the steps under the result; with --json they are in the object."""
    (item,) = seed_zendesk(cli_vault, zendesk, "acme")

    text = cli_vault.run("verify", item, "--steps")
    as_json = cli_vault.run("verify", item, "--steps", "--json")

    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("ok   Help center acme (zendesk): Signed in")
    assert [line.split("(")[0].strip() for line in lines[1:]] == [
        "✓ offline check",
        "✓ reach host",
        "✓ authenticate",
        "✓ read the signed-in agent",
    ]
    (record,) = json_lines(as_json.stdout)
    assert [step["name"] for step in record["steps"]] == [
        "offline check",
        "reach host",
        "authenticate",
        "read the signed-in agent",
    ]
    assert all(step["ok"] for step in record["steps"])


# -- rate limits -----------------------------------------------------------------------


def test_retry_after_is_waited_out_and_the_check_tried_again(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """A 429 with Retry-After: 1 is retried after the wait; the check ends ok; on_wait hears 1 s."""
    item = add_zendesk(vault, zendesk, "acme")
    zendesk.busy["acme"] = 1
    waits: list[tuple[str, float]] = []

    results = list(
        verify_many([item], zendesk_options(zendesk), on_wait=lambda i, s: waits.append((i.id, s)))
    )

    assert [(found_item.id, found.ok) for found_item, found in results] == [(item.id, True)]
    assert waits == [(item.id, 1.0)]
    assert len(zendesk.seen("acme")) == 2


def test_intercom_reset_time_is_waited_out_and_the_check_tried_again(
    intercom: SteeredIntercom, vault: Vault
) -> None:
    """Intercom's 429 gives X-RateLimit-Reset (a Unix time): the check waits until then, ok."""
    item = vault.add(
        parse_new(
            {
                "label": "Acme messenger",
                "provider": "intercom",
                "credentials": {"accessToken": INTERCOM_TOKEN, "region": "us"},
            }
        )
    )
    intercom.busy["us"] = 1
    waits: list[float] = []

    results = list(
        verify_many(
            [item], options(intercom=f"{intercom.url}/us"), on_wait=lambda _, s: waits.append(s)
        )
    )

    (found,) = [found for _, found in results]
    assert found.ok, found.message
    assert len(waits) == 1 and 0 < waits[0] <= 2
    assert [seen.path for seen in intercom.seen("us")] == ["/me", "/me"]


def test_a_check_still_limited_after_two_retries_is_reported_rate_limited(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """An account that keeps answering 429 is tried three times, then reported rate limited."""
    item = add_zendesk(vault, zendesk, "acme")
    zendesk.busy["acme"] = 10
    waits: list[float] = []

    ((_, found),) = list(
        verify_many([item], zendesk_options(zendesk), on_wait=lambda _, s: waits.append(s))
    )

    assert found.category is Category.RATE_LIMITED
    assert found.message.startswith("Still rate limited after 3 tries")
    assert waits == [1.0, 1.0]
    assert len(zendesk.seen("acme")) == 3


def test_other_integrations_on_a_rate_limited_account_wait_too(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """After a 429, a second integration on the same subdomain is not sent before the wait."""
    first = add_zendesk(vault, zendesk, "acme")
    data = zendesk_data("acme", label="Second agent on acme")
    data["credentials"]["username"] = "second@acme.test"
    zendesk.add_agent("acme", "second@acme.test", data["credentials"]["token"])
    second = vault.add(parse_new(data))
    zendesk.busy["acme"] = 1

    results = list(verify_many([first, second], zendesk_options(zendesk), concurrency=1))

    assert [found.ok for _, found in results] == [True, True]
    users = [basic_credentials_user(seen.headers) for seen in zendesk.seen("acme")]
    assert users == [f"{AGENT}/token", f"{AGENT}/token", "second@acme.test/token"]


def test_a_wait_longer_than_the_cap_is_reported_not_retried(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """Retry-After: 17 with a 5 s cap: the check is reported rate limited, naming the wait."""
    item = add_zendesk(vault, zendesk, "acme")
    zendesk.busy["acme"] = 1
    zendesk.retry_after = 17
    waits: list[float] = []

    ((_, found),) = list(
        verify_many(
            [item], zendesk_options(zendesk), max_wait_s=5, on_wait=lambda _, s: waits.append(s)
        )
    )

    assert found.category is Category.RATE_LIMITED and not found.ok
    assert "17 seconds" in found.message
    assert found.retry_after_s == 17
    assert waits == []
    assert len(zendesk.seen("acme")) == 1


def test_a_provider_without_a_wait_header_gets_its_fixed_wait(
    helpjuice: HelpjuiceDouble, vault: Vault
) -> None:
    """Helpjuice's 429 names no wait: its fixed minute is over the default cap, so reported."""
    item = vault.add(
        parse_new(
            {
                "label": "Busy knowledge base",
                "provider": "helpjuice",
                "credentials": {"subdomain": "ratelimited", "apiKey": HELPJUICE_KEY},
            }
        )
    )
    waits: list[float] = []

    ((_, found),) = list(
        verify_many(
            [item], options(helpjuice=f"{helpjuice.url}/{{subdomain}}"), on_wait=waits.append
        )
    )

    assert found.category is Category.RATE_LIMITED
    assert "60 seconds" in found.message
    assert found.retry_after_s == 60
    assert waits == []
    assert len(helpjuice.seen("ratelimited")) == 1


def test_a_rate_limited_account_does_not_hold_up_other_accounts(
    zendesk: SteeredZendesk, vault: Vault
) -> None:
    """While one account waits out its Retry-After, another account's check is reported."""
    busy = add_zendesk(vault, zendesk, "busydesk")
    other = add_zendesk(vault, zendesk, "acme")
    zendesk.busy["busydesk"] = 1
    zendesk.held.add("acme")
    order: list[str] = []

    def heard_wait(item: Integration, _seconds: float) -> None:
        order.append(f"wait {item.id}")
        zendesk.release.set()  # the other account answers only once the wait has begun

    for item, found in verify_many([busy, other], zendesk_options(zendesk), on_wait=heard_wait):
        assert found.ok, found.message
        order.append(item.id)

    assert order == [f"wait {busy.id}", other.id, busy.id]


def test_cli_says_it_is_waiting_on_stderr_and_keeps_stdout_json(
    cli_vault: Cli, zendesk: SteeredZendesk
) -> None:
    """A rate-limited check prints "waiting 1 s: …" on stderr; stdout stays JSON lines only."""
    (item,) = seed_zendesk(cli_vault, zendesk, "acme")
    zendesk.busy["acme"] = 1

    done = cli_vault.run("verify", "--all", "--json")

    assert done.returncode == 0, done.stderr
    assert [(line["id"], line["ok"]) for line in json_lines(done.stdout)] == [(item, True)]
    assert (
        "waiting 1 s: Zendesk is rate limiting; “Help center acme” is checked again after that"
        in done.stderr.splitlines()
    )


def test_cli_waiting_line_rounds_a_wait_under_half_a_second_up(
    cli_vault: Cli, intercom: SteeredIntercom
) -> None:
    """Intercom's window resets in under half a second: stderr says "waiting 1 s", not 0 s."""
    cli_vault.endpoints["intercom"] = f"{intercom.url}/us"
    (item,) = cli_vault.seed(
        {
            "label": "Acme messenger",
            "provider": "intercom",
            "credentials": {"accessToken": INTERCOM_TOKEN, "region": "us"},
        }
    )
    intercom.busy["us"] = 1
    intercom.reset_soon = True

    done = cli_vault.run("verify", "--all", "--json")

    assert done.returncode == 0, done.stderr
    assert [line["id"] for line in json_lines(done.stdout)] == [item]
    assert (
        "waiting 1 s: Intercom is rate limiting; “Acme messenger” is checked again after that"
        in done.stderr.splitlines()
    )


# -- Ctrl+C ----------------------------------------------------------------------------


def test_ctrl_c_stops_verify_all_and_keeps_the_finished_results(
    cli_vault: Cli, zendesk: SteeredZendesk
) -> None:
    """Ctrl+C after the fast results: exit 130, "interrupted: 2 of 4", only those two saved."""
    ids = seed_zendesk(cli_vault, zendesk, "acme", "hang1", "globex", "hang2")
    fast = {ids[0], ids[2]}
    zendesk.held.update({"hang1", "hang2"})

    process = start_cli(cli_vault, "verify", "--all", "--json")
    try:
        assert process.stdout is not None
        printed = [json.loads(process.stdout.readline()) for _ in fast]
        wait_until(lambda: zendesk.in_flight == 2)  # both hanging checks are under way
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=30)
    finally:
        process.kill()

    assert process.returncode == 130, errors
    assert {line["id"] for line in printed} == fast and rest == ""
    assert "interrupted: 2 of 4 checks finished and were saved" in errors.splitlines()
    listed = json.loads(cli_vault.run("list", "--json").stdout)
    checked = {row["id"] for row in listed if row["lastCheck"] is not None}
    assert checked == fast
    shown = cli_vault.run("show", ids[1])
    assert "never checked" in shown.stdout


# -- history ---------------------------------------------------------------------------


def test_every_verify_keeps_a_record_with_outcome_steps_and_time(
    cli_vault: Cli, zendesk: SteeredZendesk
) -> None:
    """Two verifies of one integration leave two records: time, outcome, message, steps."""
    (item,) = seed_zendesk(cli_vault, zendesk, "acme")
    before = timefmt.now()

    cli_vault.run("verify", item)
    zendesk.accounts.pop("acme")  # the second time, Zendesk no longer knows the subdomain
    cli_vault.run("verify", item)

    with Vault.open(cli_vault.vault, PASSWORD) as opened:
        history = opened.history(item)
    assert [(r.ok, r.category) for r in history] == [(False, "not_found"), (True, "ok")]
    assert all(before <= r.checked_at <= timefmt.now() for r in history)
    assert history[1].message.startswith("Signed in to acme.zendesk.com")
    assert [s.name for s in history[1].steps][:3] == ["offline check", "reach host", "authenticate"]
    assert all(r.elapsed_ms >= 0 for r in history)


def test_show_prints_the_last_five_checks_newest_first(cli_vault: Cli) -> None:
    """`show ID` lists the five latest checks (of seven), newest first, with their outcome."""
    (item,) = cli_vault.seed(zendesk_data())
    start = timefmt.now() - timedelta(hours=7)
    with Vault.open(cli_vault.vault, PASSWORD) as opened:
        for n in range(7):
            opened.record_check(
                item, result(n % 2 == 0, f"check {n}"), at=start + timedelta(hours=n)
            )

    done = cli_vault.run("show", item)
    as_json = json.loads(cli_vault.run("show", item, "--json").stdout)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    listed = lines[lines.index("  recent checks:") + 1 :]
    assert [line.split(": ", 1)[1] for line in listed] == [f"check {n}" for n in (6, 5, 4, 3, 2)]
    assert "ok" in listed[0] and "failed (auth)" in listed[1]
    assert [c["message"] for c in as_json["checks"]] == [f"check {n}" for n in (6, 5, 4, 3, 2)]


def test_list_json_marks_a_check_older_than_30_days_as_stale(cli_vault: Cli) -> None:
    """A last check 31 days old is stale in `list --json`; one 29 days old is not."""
    old, recent = cli_vault.seed(
        zendesk_data(label="Old check"), zendesk_data("globex", label="Recent check")
    )
    with Vault.open(cli_vault.vault, PASSWORD) as opened:
        opened.record_check(old, result(True, "fine then"), at=timefmt.now() - timedelta(days=31))
        opened.record_check(recent, result(True, "fine"), at=timefmt.now() - timedelta(days=29))

    listed = json.loads(cli_vault.run("list", "--json").stdout)

    stale = {row["id"]: row["lastCheck"]["stale"] for row in listed}
    assert stale == {old: True, recent: False}


def test_list_shows_the_age_of_the_last_check_and_marks_an_old_one_stale(cli_vault: Cli) -> None:
    """`list` shows "31 days ago" and "stale" beside a check 31 days old."""
    (old,) = cli_vault.seed(zendesk_data(label="Old check"))
    with Vault.open(cli_vault.vault, PASSWORD) as opened:
        opened.record_check(old, result(True, "fine then"), at=timefmt.now() - timedelta(days=31))

    done = cli_vault.run("list")

    (line,) = [line for line in done.stdout.splitlines() if old in line]
    assert "31 days ago" in line and "stale" in line
