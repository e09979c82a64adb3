"""One row of the credential form: title and help button, the input, its findings and its help."""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.field_spec import FieldSpec
from ui.resources import icon

DEFAULT_CHOICE = "Default"
WHERE_QUESTION = "Where do I find this?"
WARNING_MARK = "⚠"
# Findings are written to follow a field's name ("is wrapped in quotes"); such a message
# gets the field's title in front, so the line under the field reads as a sentence.
_FOLLOWS_A_NAME = ("is ", "has ", "contains ", "starts ", "ends ", "looks ", "must ", "may ")


class FieldRow(QObject):
    """The widgets of one credential field; the form lays out ``label_cell`` and ``field_cell``.

    Beside the input: for a secret, a reveal (eye) and a Copy button. Under it: the errors
    and warnings found for the field (each styled by severity), then the help that the
    "?" button beside the title (or F1 in the field) opens and closes.
    """

    edited = Signal(str)  # wire name
    reveal_toggled = Signal(str, bool)  # wire name, shown
    copy_requested = Signal(str)  # wire name

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.reveal: QToolButton | None = None
        self.copy: QToolButton | None = None

        self.editor = self._build_editor(parent)
        self.label_cell = self._build_label_cell(parent)
        self.error = self._message_label("fieldError", parent)
        self.warning = self._message_label("fieldWarning", parent)
        self.help = QLabel(self._help_html(), parent)
        self.help.setObjectName("fieldHelp")
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help.hide()
        self.field_cell = self._build_field_cell(parent)

        # F1 in the field opens its help, for those who never leave the keyboard.
        f1 = QShortcut(QKeySequence(Qt.Key.Key_F1), self.editor)
        f1.setContext(Qt.ShortcutContext.WidgetShortcut)
        f1.activated.connect(self.help_button.toggle)

    # -- building ---------------------------------------------------------------------------

    def _build_label_cell(self, parent: QWidget) -> QWidget:
        cell = QWidget(parent)
        line = QHBoxLayout(cell)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        self.title = QLabel(self.spec.title, cell)
        self.title.setObjectName("fieldLabel")
        self.title.setBuddy(self.editor)
        self.help_button = QToolButton(cell)
        self.help_button.setObjectName("fieldHelpButton")
        self.help_button.setText("?")
        self.help_button.setCheckable(True)
        self.help_button.setToolTip(f"{WHERE_QUESTION} (F1 in the field)")
        self.help_button.setAccessibleName(f"Help for {self.spec.title}")
        # Tab moves between inputs; the help opens with a click or F1 in the field.
        self.help_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.help_button.toggled.connect(self.help_shown_changed)
        line.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        line.addStretch(1)
        return cell

    def _build_editor(self, parent: QWidget) -> QLineEdit | QComboBox:
        spec = self.spec
        tip = spec.help + (f"\ne.g. {spec.example}" if spec.example else "")
        if spec.choices:
            combo = QComboBox(parent)
            if not spec.required:
                combo.addItem(f"{DEFAULT_CHOICE} ({spec.example})" if spec.example else "", None)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.setToolTip(tip)
            combo.setAccessibleName(spec.title)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(lambda _index: self.edited.emit(spec.wire))
            return combo

        edit = QLineEdit(parent)
        edit.setPlaceholderText(f"e.g. {spec.example}" if spec.example else "")
        edit.setToolTip(tip)
        edit.setAccessibleName(spec.title)
        edit.setClearButtonEnabled(not spec.secret)
        edit.textEdited.connect(lambda _text: self.edited.emit(spec.wire))
        if spec.secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.reveal = self._tool_button(parent, f"Show {spec.title}")
            self.reveal.setCheckable(True)
            self.reveal.setIcon(icon("eye"))
            self.reveal.setToolTip(f"Show the {spec.title.lower()}")
            self.reveal.toggled.connect(lambda shown: self.reveal_toggled.emit(spec.wire, shown))
            self.copy = self._tool_button(parent, f"Copy {spec.title}")
            self.copy.setText("Copy")
            self.copy.setToolTip(f"Copy the {spec.title.lower()}")
            self.copy.clicked.connect(lambda: self.copy_requested.emit(spec.wire))
        return edit

    @staticmethod
    def _tool_button(parent: QWidget, name: str) -> QToolButton:
        button = QToolButton(parent)
        button.setAccessibleName(name)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _build_field_cell(self, parent: QWidget) -> QWidget:
        cell = QWidget(parent)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        line = QHBoxLayout()
        line.setSpacing(4)
        line.addWidget(self.editor, 1)
        for button in (self.reveal, self.copy):
            if button is not None:
                line.addWidget(button)
        column.addLayout(line)
        column.addWidget(self.error)
        column.addWidget(self.warning)
        column.addWidget(self.help)
        return cell

    @staticmethod
    def _message_label(name: str, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    def _help_html(self) -> str:
        spec = self.spec
        parts = [html.escape(spec.help)] if spec.help else []
        if spec.where:
            parts.append(f"<b>{WHERE_QUESTION}</b> {html.escape(spec.where)}")
        if spec.example:
            parts.append(f"Example: <code>{html.escape(spec.example)}</code>")
        return "<br>".join(parts)

    # -- what the row shows -----------------------------------------------------------------

    def help_shown_changed(self, shown: bool) -> None:
        self.help.setVisible(shown)

    def show_findings(self, errors: list[str], warnings: list[str]) -> None:
        """Errors (red) and warnings (amber, marked ⚠) under the input; none hides both."""
        errors = [self._sentence(text) for text in errors]
        warnings = [self._sentence(text) for text in warnings]
        self.error.setText("\n".join(errors))
        self.error.setVisible(bool(errors))
        self.warning.setText("\n".join(f"{WARNING_MARK} {text}" for text in warnings))
        self.warning.setVisible(bool(warnings))
        spoken = [f"Error: {text}" for text in errors] + [f"Warning: {text}" for text in warnings]
        self.editor.setAccessibleDescription(" ".join(spoken))
        severity = "error" if errors else "warning" if warnings else ""
        if self.editor.property("finding") != severity:
            self.editor.setProperty("finding", severity)
            self.editor.style().unpolish(self.editor)
            self.editor.style().polish(self.editor)

    def _sentence(self, message: str) -> str:
        if message.startswith(_FOLLOWS_A_NAME):
            return f"{self.spec.title} {message}"
        return message[:1].upper() + message[1:]

    @property
    def has_findings(self) -> bool:
        return not (self.error.isHidden() and self.warning.isHidden())

    def focus_widgets(self) -> list[QWidget]:
        """The row's widgets that Tab visits, in the order they appear."""
        return [w for w in (self.editor, self.reveal, self.copy) if w is not None]
