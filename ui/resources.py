"""Icons and the style sheet shipped in ``resources/``, found next to the ``ui`` package."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STYLE_SHEET = RESOURCES / "style.qss"


@functools.cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``, or an empty icon when it is missing."""
    path = RESOURCES / "icons" / f"{name}.svg"
    if not path.is_file():
        log.warning("icon %s is missing", path)
        return QIcon()
    return QIcon(str(path))


def apply_style(app: QApplication) -> bool:
    """Load ``resources/style.qss`` when it is there; the platform look stays otherwise."""
    if not STYLE_SHEET.is_file():
        return False
    app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    return True
