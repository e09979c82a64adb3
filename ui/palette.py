"""Light and dark: follow the system's colour scheme, with colours that read on both."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from ui import resources

log = logging.getLogger(__name__)

THEME_VARIABLE = "INTEGRATION_VAULT_THEME"  # "light" or "dark" overrides the system's choice


@dataclass(frozen=True)
class Accents:
    """The few colours the palette has no role for: outcomes and their badges."""

    ok: str
    failed: str
    stale: str
    busy: str
    muted: str
    ok_badge: str
    failed_badge: str
    stale_badge: str
    busy_badge: str
    none_badge: str
    star: str


LIGHT = Accents(
    ok="#1e7e34",
    failed="#b3261e",
    stale="#8a5300",
    busy="#1a5fb4",
    muted="#5f6368",
    ok_badge="#dcefe0",
    failed_badge="#fadcd9",
    stale_badge="#fbeacc",
    busy_badge="#d9e6f8",
    none_badge="#e8eaed",
    star="#c98a00",
)
DARK = Accents(
    ok="#7dd491",
    failed="#ff9a8f",
    stale="#f2c46d",
    busy="#8fb8f2",
    muted="#a0a4a8",
    ok_badge="#1f3d27",
    failed_badge="#4d2220",
    stale_badge="#4a3a17",
    busy_badge="#1e3350",
    none_badge="#3a3d41",
    star="#f2c46d",
)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether windows are drawn light on dark (judged from the palette, not the setting)."""
    if palette is None:
        app = QGuiApplication.instance()
        palette = QGuiApplication.palette() if app is not None else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def accents() -> Accents:
    return DARK if is_dark() else LIGHT


def dark_palette() -> QPalette:
    """A dark palette for platforms that report a dark scheme but supply no colours."""
    roles = QPalette.ColorRole
    palette = QPalette()
    colours = {
        roles.Window: "#2b2d30",
        roles.WindowText: "#e8eaed",
        roles.Base: "#1f2023",
        roles.AlternateBase: "#26282b",
        roles.ToolTipBase: "#3a3d41",
        roles.ToolTipText: "#e8eaed",
        roles.PlaceholderText: "#9aa0a6",
        roles.Text: "#e8eaed",
        roles.Button: "#35373b",
        roles.ButtonText: "#e8eaed",
        roles.BrightText: "#ffffff",
        roles.Light: "#4a4d52",
        roles.Midlight: "#3f4246",
        roles.Mid: "#55585d",
        roles.Dark: "#18191b",
        roles.Shadow: "#000000",
        roles.Highlight: "#3d6fb6",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#8ab4f8",
        roles.LinkVisited: "#c58af9",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#7c8086"))
    palette.setColor(disabled, roles.Highlight, QColor("#4a4d52"))
    return palette


def style_sheet(colours: Accents) -> str:
    """``resources/style.qss`` with its ``@name`` colour tokens filled in for ``colours``."""
    if not resources.STYLE_SHEET.is_file():
        return ""
    text = resources.STYLE_SHEET.read_text(encoding="utf-8")
    tokens = sorted(vars(colours).items(), key=lambda item: len(item[0]), reverse=True)
    for name, value in tokens:
        text = text.replace(f"@{name}", value)
    return text


class Theme(QObject):
    """Applies the palette and style sheet, and again whenever the system scheme changes."""

    theme_changed = Signal(bool)  # dark

    def __init__(self, app: QApplication, forced: str | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._forced = forced if forced in ("light", "dark") else None
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)
        self.apply()

    def apply(self) -> None:
        """Pick the palette (forced, or the platform's) and the matching style sheet."""
        app = self._app
        if self._forced is not None:
            app.setStyle(QStyleFactory.create("Fusion"))
            dark = self._forced == "dark"
            app.setPalette(dark_palette() if dark else app.style().standardPalette())
        elif app.styleHints().colorScheme() == Qt.ColorScheme.Dark and not is_dark():
            # The platform says "dark" but its style drew light colours: supply them.
            app.setStyle(QStyleFactory.create("Fusion"))
            app.setPalette(dark_palette())
        dark = is_dark(app.palette())
        resources.forget_icons()
        app.setStyleSheet(style_sheet(DARK if dark else LIGHT))
        log.debug("%s theme applied", "dark" if dark else "light")
        self.theme_changed.emit(dark)

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._forced is None:
            self._app.setPalette(self._app.style().standardPalette())
            self.apply()


def install_theme(app: QApplication, forced: str | None = None) -> Theme:
    """Follow the system scheme; ``forced`` (or $INTEGRATION_VAULT_THEME) picks one."""
    return Theme(app, forced or os.environ.get(THEME_VARIABLE, "").strip().lower() or None)
