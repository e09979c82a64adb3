"""The Qt desktop interface of Integration Vault: dialogs, the main window and its models."""

from ui.pyside_fix import guard_signal_emit

# Before any widget exists: PySide6 6.12 on Python 3.11 would abort after enough signals.
guard_signal_emit()
