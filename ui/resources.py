"""Icons and the style sheet shipped in ``resources/``, found next to the ``ui`` package.

Line icons are drawn in ``INK`` and recoloured to the palette's text colour, so they stay
visible on a dark palette; coloured icons (check marks, providers) are shown as they are.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STYLE_SHEET = RESOURCES / "style.qss"
INK = "#3c4043"  # the stroke colour of line icons, replaced by the palette's text colour
ICON_SIZES = (16, 18, 20, 24, 32, 48)
COLOURED_PREFIXES = ("provider-",)

_icons: dict[tuple[str, str], QIcon] = {}


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``, or an empty icon when it is missing."""
    ink = _ink()
    key = (name, ink)
    found = _icons.get(key)
    if found is None:
        found = _icons[key] = _load(name, ink)
    return found


def forget_icons() -> None:
    """Drop cached icons, after a palette change (icons already shown keep their colour)."""
    _icons.clear()


def _ink() -> str:
    if QGuiApplication.instance() is None:
        return INK
    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return INK if text.lightness() < 128 else text.name()


def _load(name: str, ink: str) -> QIcon:
    path = RESOURCES / "icons" / f"{name}.svg"
    if not path.is_file():
        log.warning("icon %s is missing", path)
        return QIcon()
    source = path.read_text(encoding="utf-8")
    coloured = name.startswith(COLOURED_PREFIXES)
    if not coloured and (ink == INK or INK not in source):
        return QIcon(str(path))
    renderer = QSvgRenderer(QByteArray(source.replace(INK, ink).encode("utf-8")))
    # Coloured icons keep their colours on a selected row instead of the style's tint.
    modes = (QIcon.Mode.Normal, QIcon.Mode.Selected) if coloured else (QIcon.Mode.Normal,)
    result = QIcon()
    for side in ICON_SIZES:
        for scale in (1, 2):
            pixmap = QPixmap(QSize(side * scale, side * scale))
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, side, side))
            painter.end()
            for mode in modes:
                result.addPixmap(pixmap, mode)
    return result


def apply_style(app: QApplication) -> bool:
    """Load ``resources/style.qss`` for the current palette; the platform look otherwise."""
    from ui.palette import accents, style_sheet  # palette imports this module

    text = style_sheet(accents())
    if not text:
        return False
    app.setStyleSheet(text)
    return True
