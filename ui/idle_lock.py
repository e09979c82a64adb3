"""Noticing that nobody has used the application for a while, by the wall clock."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

Clock = Callable[[], float]

TICK_MS = 1000
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)


class IdleLock(QObject):
    """Notices the person's input anywhere in the application; asks for a lock after idling.

    Idle time is measured on the wall clock (``time.time``), not a monotonic one: a computer
    that slept past the limit has been idle all that time, and is locked as it wakes.
    """

    lock_requested = Signal()
    remaining_changed = Signal(object)  # seconds until the lock (float), None when off

    def __init__(
        self,
        limit_s: float | None,
        clock: Clock = time.time,
        tick_ms: int = TICK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._limit = limit_s
        self._last = clock()
        self._paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def limit_s(self) -> float | None:
        return self._limit

    def set_limit(self, limit_s: float | None) -> None:
        """A new idle limit (None: never), counted from now."""
        self._limit = limit_s
        self.touch()

    def touch(self) -> None:
        self._last = self._clock()

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._paused = False
        self.touch()
        self.check()

    def remaining(self) -> float | None:
        """Seconds left before the lock, or None when auto-lock is off."""
        if self._limit is None:
            return None
        now = self._clock()
        if now < self._last:  # the clock was set back: count from now
            self._last = now
        return self._limit - (now - self._last)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._last = self._clock()
        return False

    def check(self) -> None:
        if self._paused:
            return
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            self._paused = True
            self.lock_requested.emit()
            return
        self.remaining_changed.emit(remaining)
