"""Where the window was: geometry, splitter and list columns, kept with QSettings."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from ui.list_panel import IntegrationList

ORGANIZATION = "IntegrationVault"
APPLICATION = "Integration Vault"
GEOMETRY, WINDOW, SPLITTER, COLUMNS, COLUMNS_BY_HAND, VIEW = (
    "window/geometry",
    "window/state",
    "window/splitter",
    "list/header",
    "list/sized-by-hand",
    "list/view",
)


def settings() -> QSettings:
    """The per-user settings file (an INI file, so tests can point it at a temporary folder)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def _bytes(store: QSettings, key: str) -> QByteArray | None:
    value = store.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def restore(window: QMainWindow, listing: IntegrationList) -> str | None:
    """Put the window back as it was left; returns the side-list view that was shown.

    The splitter comes back with ``restore_splitter`` once the window is shown: before
    that it has no width to share out.
    """
    store = settings()
    geometry = _bytes(store, GEOMETRY)
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = _bytes(store, WINDOW)
    if state is not None:
        window.restoreState(state)
    by_hand = str(store.value(COLUMNS_BY_HAND, "false")).lower() == "true"
    listing.restore_header(_bytes(store, COLUMNS), by_hand)
    view = store.value(VIEW)
    return str(view) if view else None


def restore_splitter(splitter: QSplitter) -> None:
    sizes = _bytes(settings(), SPLITTER)
    if sizes is not None:
        splitter.restoreState(sizes)


def save(window: QMainWindow, splitter: QSplitter, listing: IntegrationList, view: str) -> None:
    store = settings()
    store.setValue(GEOMETRY, window.saveGeometry())
    store.setValue(WINDOW, window.saveState())
    store.setValue(SPLITTER, splitter.saveState())
    store.setValue(COLUMNS, listing.header_state())
    store.setValue(COLUMNS_BY_HAND, listing.sized_by_hand)
    store.setValue(VIEW, view)
    store.sync()
