"""A Zendesk double in a child process, for benchmarks: ``python -m bench.served COUNT LATENCY``.

A real service runs on another machine. Served from the benchmark's own process, the
double would share its interpreter lock, and its work would be counted against the engine
or the window being measured.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tests.doubles.zendesk import ZendeskDouble


def tenant(n: int) -> tuple[str, str, str]:
    """Subdomain, agent e-mail and token of the ``n``-th tenant the double knows."""
    return f"tenant{n}", f"agent{n}@example.com", f"token-{n:04d}-abcdef"


@contextmanager
def zendesk_in_child(count: int, latency_s: float) -> Iterator[str]:
    """Start the double for ``count`` tenants in a child process; yields its base URL."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.served", str(count), str(latency_s)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        yield child.stdout.readline().strip()
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def _serve(count: int, latency_s: float) -> None:
    """In the child: answer until the parent closes our standard input."""
    double = ZendeskDouble(latency_s=latency_s)
    for n in range(count):
        subdomain, email, token = tenant(n)
        double.add_agent(subdomain, email, token)
    double.start()
    print(double.url, flush=True)
    sys.stdin.read()
    double.stop()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), float(sys.argv[2]))
