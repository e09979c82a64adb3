"""The background-work helper: one result or error back on the GUI thread, cancellable."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from ui.tasks import run_blocking


def test_result_comes_back_on_the_gui_thread(qtbot: QtBot, qasync_loop: object) -> None:
    """The call runs on a worker thread; the awaiting code resumes on the GUI thread."""
    seen: dict[str, object] = {}

    async def work() -> None:
        seen["worker"] = await run_blocking(lambda: threading.current_thread().name)
        seen["resumed"] = threading.current_thread() is threading.main_thread()

    task = asyncio.ensure_future(work())
    qtbot.waitUntil(task.done)

    assert task.exception() is None
    assert str(seen["worker"]).startswith("ui-worker")
    assert seen["resumed"] is True


def test_an_error_is_raised_where_it_is_awaited(qtbot: QtBot, qasync_loop: object) -> None:
    """An exception in the worker is raised to the awaiting code, once."""

    def fail() -> None:
        raise ValueError("no such bucket")

    task = asyncio.ensure_future(run_blocking(fail))
    qtbot.waitUntil(task.done)

    with pytest.raises(ValueError, match="no such bucket"):
        task.result()


def test_cancelling_drops_a_late_result(qtbot: QtBot, qasync_loop: object) -> None:
    """Cancelling the awaiting task returns at once; the result arriving later goes nowhere."""
    delivered: list[str] = []
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "late"

    async def work() -> None:
        delivered.append(await run_blocking(slow))

    task = asyncio.ensure_future(work())
    qtbot.wait(50)
    task.cancel()
    qtbot.waitUntil(task.done)
    release.set()
    time.sleep(0.05)
    qtbot.wait(100)

    assert task.cancelled()
    assert delivered == []
