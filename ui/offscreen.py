"""A headless proof that the Qt libraries and platform plugins load (used by --self-test)."""

from __future__ import annotations

import os


def render_check() -> str:
    """Render a label offscreen; returns the platform used, raises when nothing rendered."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    image = QLabel("Integration Vault").grab().toImage()
    if image.width() == 0 or app is None:
        raise RuntimeError("Qt rendered an empty image")
    return f"Qt platform {os.environ['QT_QPA_PLATFORM']}"
