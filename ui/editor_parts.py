"""Pieces of the editor that need no logic of their own: the label field and the button row."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.resources import icon


class LabelField(QWidget):
    """The integration's label: a line edit with its error line under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("e.g. Acme support screenshots")
        self.edit.setAccessibleName("Label")
        self.edit.setToolTip("A name you recognise this integration by")
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(self.edit)
        column.addWidget(self.error)


class EditorButtons(QWidget):
    """Delete… and History… on the left, a short note in the middle, Verify and Save right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delete = QPushButton(icon("delete"), "Delete…", self)
        self.history = QPushButton("History…", self)
        self.history.setToolTip("Earlier versions of this integration, to look at or restore")
        self.verify = QPushButton(icon("verify"), "Verify", self)
        self.verify.setToolTip("Save any changes, then check the credentials (Ctrl+R)")
        self.save = QPushButton(icon("save"), "Save", self)
        self.save.setToolTip("Save the changes to the vault (Ctrl+S)")
        self.save.setDefault(True)
        self.notice = QLabel(self)
        self.notice.setObjectName("editorNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: palette(placeholder-text);")

        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.delete)
        line.addWidget(self.history)
        line.addWidget(self.notice, 1)
        line.addWidget(self.verify)
        line.addWidget(self.save)

    def in_tab_order(self) -> list[QWidget]:
        return [self.delete, self.history, self.verify, self.save]
