"""Running credential checks: one at a time or many at once, never raising into the caller."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import providers
from app.endpoints import endpoint_overrides
from app.models import Integration
from providers.base import Category, VerificationResult, VerifyContext

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class CheckOptions:
    """How checks run: per-call timeout, the optional write probe, endpoint overrides."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    write_probe: bool = False
    endpoints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, timeout_s: float = DEFAULT_TIMEOUT_S, **kwargs: bool) -> CheckOptions:
        return cls(timeout_s=timeout_s, endpoints=endpoint_overrides(), **kwargs)


def verify_integration(integration: Integration, options: CheckOptions) -> VerificationResult:
    """Check one integration. Blocking: call it off the UI thread. Never raises."""
    spec = providers.get(integration.provider)
    if spec is None:
        return VerificationResult(
            False, Category.MISCONFIGURED, f"Unknown provider '{integration.provider}'.", 0
        )
    context = VerifyContext(
        timeout_s=options.timeout_s,
        endpoint=options.endpoints.get(spec.name),
        write_probe=options.write_probe,
    )
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
) -> Iterator[tuple[Integration, VerificationResult]]:
    """Check several integrations at once, yielding each result as soon as it is known.

    At most ``concurrency`` checks run together. Setting ``cancel`` stops new checks from
    starting; checks already under way finish and are still yielded.
    """
    cancel = cancel or threading.Event()
    pending = list(reversed(integrations))
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        running: dict[Future[VerificationResult], Integration] = {}
        while pending or running:
            while pending and len(running) < concurrency and not cancel.is_set():
                item = pending.pop()
                running[pool.submit(verify_integration, item, options)] = item
            if not running:
                break
            done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), future.result()
