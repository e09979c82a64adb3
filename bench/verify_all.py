"""Benchmark: ``verify --all`` engine over 200 integrations against doubles answering in 100 ms.

The ideal wall time is ceil(200 / concurrency) x 0.1 s. Prints the measured time and its
ratio to the ideal (target <= 1.3x) for concurrency 8 and 32.

The double runs in a child process (``bench.served``), as a real service runs elsewhere.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

from app.models import Integration, parse_new
from app.verification import CheckOptions, verify_many
from bench.served import tenant, zendesk_in_child

COUNT = 200
LATENCY_S = 0.1


def integrations(count: int) -> list[Integration]:
    from app import timefmt

    now = timefmt.now()
    items = []
    for n in range(count):
        new = parse_new(
            {
                "label": f"Help center {n}",
                "provider": "zendesk",
                "credentials": {
                    "subdomain": tenant(n)[0],
                    "username": tenant(n)[1],
                    "token": tenant(n)[2],
                },
            }
        )
        items.append(
            Integration(f"id-{n}", new.label, new.provider, new.platform, new.credentials, now, now)
        )
    return items


def run(concurrency: int, items: list[Integration], options: CheckOptions) -> tuple[float, int]:
    started = time.perf_counter()
    passed = sum(1 for _, result in verify_many(items, options, concurrency) if result.ok)
    return time.perf_counter() - started, passed


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    with zendesk_in_child(count, LATENCY_S) as url:
        os.environ["INTEGRATION_VAULT_ENDPOINTS"] = json.dumps({"zendesk": url + "/{subdomain}"})
        items = integrations(count)
        options = CheckOptions.from_environment(timeout_s=10)
        run(8, items[:8], options)  # warm-up: imports, first connections
        for concurrency in (8, 32):
            elapsed, passed = run(concurrency, items, options)
            ideal = math.ceil(count / concurrency) * LATENCY_S
            ratio = elapsed / ideal
            verdict = "met" if ratio <= 1.3 else "NOT met"
            print(
                f"concurrency {concurrency:>2}: {elapsed:6.2f} s for {count} checks "
                f"({passed} passed); ideal {ideal:.2f} s; ratio {ratio:.2f}x "
                f"(target <= 1.3x) -> {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
