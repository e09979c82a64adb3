"""Running credential checks: one at a time or many at once, never raising into the caller."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any

import providers
from app.endpoints import endpoint_overrides, jurisdiction_key
from app.models import Integration
from app.offline import blocking, check_integration
from app.vault import Vault
from providers.base import Category, Step, VerificationResult, VerifyContext

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_CONCURRENCY = 8
DEFAULT_MAX_WAIT_S = 30.0
_MAX_RETRIES = 2
_POLL_S = 0.05


@dataclass(frozen=True)
class CheckOptions:
    """How checks run: per-call timeout, the optional write probe, endpoint overrides."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    write_probe: bool = False
    endpoints: dict[str, str] = field(default_factory=dict)
    jurisdictions: dict[str, str] = field(default_factory=dict)  # R2 integration id -> name

    @classmethod
    def from_environment(cls, timeout_s: float = DEFAULT_TIMEOUT_S, **kwargs: Any) -> CheckOptions:
        return cls(timeout_s=timeout_s, endpoints=endpoint_overrides(), **kwargs)

    @classmethod
    def for_vault(
        cls, vault: Vault, timeout_s: float = DEFAULT_TIMEOUT_S, **kwargs: Any
    ) -> CheckOptions:
        """Options from the environment plus what the vault keeps (R2 jurisdictions)."""
        prefix = "r2.jurisdiction."
        chosen = {
            key.removeprefix(prefix): value
            for key, value in vault.settings_with_prefix(prefix).items()
            if value
        }
        return cls.from_environment(timeout_s, jurisdictions=chosen, **kwargs)

    def context_for(self, integration: Integration) -> VerifyContext:
        jurisdiction = ""
        endpoint = self.endpoints.get(integration.provider)
        if integration.provider == "r2":
            jurisdiction = self.jurisdictions.get(integration.id, "")
            endpoint = self.endpoints.get(jurisdiction_key(jurisdiction))
        return VerifyContext(
            timeout_s=self.timeout_s,
            endpoint=endpoint,
            write_probe=self.write_probe,
            jurisdiction=jurisdiction if jurisdiction != "default" else "",
        )


def verify_integration(integration: Integration, options: CheckOptions) -> VerificationResult:
    """Check one integration. Blocking: call it off the UI thread. Never raises."""
    spec = providers.get(integration.provider)
    if spec is None:
        return VerificationResult(
            False, Category.MISCONFIGURED, f"Unknown provider '{integration.provider}'.", 0
        )
    context = options.context_for(integration)
    offline_started = time.monotonic()
    findings = check_integration(integration)
    problems = blocking(findings)
    offline_ms = int((time.monotonic() - offline_started) * 1000)
    if problems:
        first = problems[0]
        message = f"{first.field}: {first.message}."
        step = Step("offline check", False, offline_ms, message)
        return VerificationResult(False, Category.MISCONFIGURED, message, offline_ms, (step,))
    try:
        result = spec.verify(integration.credentials, context)
    except Exception:
        # A verifier must classify every failure; reaching here is a bug in this program.
        log.exception("verifier for %s failed on integration %s", spec.name, integration.id)
        return VerificationResult(
            False,
            Category.UNKNOWN,
            "The check stopped on an internal error (a bug in Integration Vault). Details "
            "are in the log file.",
            0,
        )
    warnings = "; ".join(f"{f.field}: {f.message}" for f in findings)
    offline = Step("offline check", True, offline_ms, warnings or "no pasting mistakes found")
    result = replace(result, steps=(offline, *result.steps))
    if warnings and not result.ok:
        # A shape warning is often the real cause of a failure the service reports vaguely.
        result = replace(result, message=f"{result.message} Also check: {warnings}.")
    log.info(
        "verified %s (%s): %s in %d ms",
        integration.id,
        spec.name,
        result.category.value,
        result.elapsed_ms,
    )
    return result


def verify_many(
    integrations: list[Integration],
    options: CheckOptions,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    max_wait_s: float = DEFAULT_MAX_WAIT_S,
    on_wait: Callable[[Integration, float], None] | None = None,
) -> Iterator[tuple[Integration, VerificationResult]]:
    """Check several integrations at once, yielding each result as soon as it is known.

    At most ``concurrency`` checks run together. When a provider answers "too many
    requests", no new check for that account starts before the wait it asked for; the check
    is then tried again, unless the wait is longer than ``max_wait_s``, in which case the
    rate-limited result is reported as it is. ``on_wait(integration, seconds)`` hears of
    each such wait, so a person is not left looking at a check that seems stuck. Setting
    ``cancel`` stops new checks from starting; checks already under way finish and are
    still yielded.
    """
    cancel = cancel or threading.Event()
    concurrency = max(1, concurrency)  # below one, no check would ever start
    queue: deque[tuple[Integration, int]] = deque((item, 0) for item in integrations)
    not_before: dict[tuple[str, str], float] = {}
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="verify")
    running: dict[Future[VerificationResult], tuple[Integration, int]] = {}
    try:
        while (queue and not cancel.is_set()) or running:
            _start_ready(pool, queue, running, not_before, concurrency, cancel, options)
            if not running:
                _sleep_until_gate(queue, not_before, cancel)
                continue
            done, _ = wait(running, timeout=_POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                item, attempt = running.pop(future)
                result = future.result()
                wait_s = result.retry_after_s
                if (
                    result.category is Category.RATE_LIMITED
                    and wait_s is not None
                    and wait_s <= max_wait_s
                    and attempt < _MAX_RETRIES
                    and not cancel.is_set()
                ):
                    not_before[_account(item)] = time.monotonic() + wait_s
                    queue.appendleft((item, attempt + 1))
                    log.info("rate limited: %s waits %.1f s before a retry", item.id, wait_s)
                    if on_wait is not None:
                        on_wait(item, wait_s)
                    continue
                if result.category is Category.RATE_LIMITED and attempt:
                    # The waits already happened: say so, or "try again in…" reads as new.
                    tries = f"Still rate limited after {attempt + 1} tries with waits between. "
                    result = replace(result, message=tries + result.message)
                yield item, result
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_checks(
    integrations: list[Integration],
    options: CheckOptions,
    on_result: Callable[[Integration, VerificationResult], None],
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    on_wait: Callable[[Integration, float], None] | None = None,
) -> int:
    """Drive ``verify_many`` to the end, handing each result to ``on_result``; returns a count.

    ``on_result`` and ``on_wait`` run on the calling (worker) thread; a GUI passes functions
    that post to its own thread.
    """
    count = 0
    for item, result in verify_many(integrations, options, concurrency, cancel, on_wait=on_wait):
        on_result(item, result)
        count += 1
    return count


def _account(item: Integration) -> tuple[str, str]:
    """Rate limits are per provider account: the subdomain or account id when there is one."""
    wire = item.credentials.to_wire()
    return item.provider, str(wire.get("subdomain") or wire.get("accountId") or "")


def _start_ready(
    pool: ThreadPoolExecutor,
    queue: deque[tuple[Integration, int]],
    running: dict[Future[VerificationResult], tuple[Integration, int]],
    not_before: dict[tuple[str, str], float],
    concurrency: int,
    cancel: threading.Event,
    options: CheckOptions,
) -> None:
    now = time.monotonic()
    for entry in list(queue):
        if len(running) >= concurrency or cancel.is_set():
            return
        if not_before.get(_account(entry[0]), 0.0) > now:
            continue
        queue.remove(entry)
        running[pool.submit(verify_integration, entry[0], options)] = entry


def _sleep_until_gate(
    queue: deque[tuple[Integration, int]],
    not_before: dict[tuple[str, str], float],
    cancel: threading.Event,
) -> None:
    if not queue:
        return
    earliest = min(not_before.get(_account(item), 0.0) for item, _ in queue)
    cancel.wait(max(0.0, min(_POLL_S, earliest - time.monotonic())))
