"""The one way off the GUI thread: run a blocking call on a worker, await its result."""

from __future__ import annotations

import asyncio
import atexit
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_WORKERS = 4

_pool: ThreadPoolExecutor | None = None


def _workers() -> ThreadPoolExecutor:
    global _pool  # one pool for the whole process, made on first use
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="ui-worker")
        log.debug("started the worker pool (%d threads at most)", MAX_WORKERS)
    return _pool


async def run_blocking(fn: Callable[..., T], *args: object) -> T:
    """Run ``fn(*args)`` on a worker thread; return its result or raise its error here.

    Awaited from an ``asyncSlot``, so the result (or error) arrives on the GUI thread while
    the window keeps painting. Cancelling the awaiting task returns at once; the worker
    finishes on its own and its late result is dropped, never delivered.
    """
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_workers(), fn, *args)


def shutdown_workers() -> None:
    """Drop queued work and let running calls end on their own time-outs."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


atexit.register(shutdown_workers)
