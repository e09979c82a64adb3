"""A credential form generated from a provider's Pydantic model: one row per field."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldProblem
from app.models import MASK
from providers.base import CredentialsModel, is_secret
from ui.resources import icon

SAVED_SECRET_PLACEHOLDER = "Saved — type to replace"
DEFAULT_CHOICE = "Default"


@dataclass(frozen=True)
class FieldSpec:
    """What the form needs to know about one credential field."""

    wire: str
    title: str
    help: str
    example: str
    where: str
    secret: bool
    required: bool
    choices: tuple[str, ...] = ()


def field_specs(model: type[CredentialsModel]) -> list[FieldSpec]:
    """The fields of ``model`` in declaration order, with their titles, help and examples."""
    specs = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        specs.append(
            FieldSpec(
                wire=info.alias or name,
                title=info.title or name.replace("_", " ").capitalize(),
                help=info.description or "",
                example=str(info.examples[0]) if info.examples else "",
                where=str(extra.get("where", "")),
                secret=is_secret(info),
                required=info.is_required(),
                choices=_literal_choices(info.annotation),
            )
        )
    return specs


def _literal_choices(annotation: Any) -> tuple[str, ...]:
    """The values of a ``Literal[...]`` (or ``Literal[...] | None``) annotation, else ()."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(v) for v in typing.get_args(annotation))
    for member in typing.get_args(annotation):
        if typing.get_origin(member) is typing.Literal:
            return tuple(str(v) for v in typing.get_args(member))
    return ()


@dataclass
class _Row:
    spec: FieldSpec
    editor: QLineEdit | QComboBox
    error: QLabel
    reveal: QToolButton | None = None


class CredentialForm(QWidget):
    """Inputs for one provider's credentials, with help text and an error line per field.

    Secrets are never loaded into the form: for a stored integration a secret field starts
    empty ("Saved — type to replace") and ``values()`` leaves an untouched secret out, so
    merging the values into the stored credentials keeps the stored secret.
    """

    edited = Signal()
    secret_reveal_requested = Signal(str)  # wire name of a stored secret to show

    def __init__(self, model: type[CredentialsModel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._rows: dict[str, _Row] = {}
        self._has_stored_secrets = False
        self._revealed: dict[str, str] = {}  # stored secrets shown on request, by wire name

        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setVerticalSpacing(10)
        for spec in field_specs(model):
            label, column = self._build_row(spec)
            layout.addRow(label, column)

    # -- building ---------------------------------------------------------------------------

    def _build_row(self, spec: FieldSpec) -> tuple[QLabel, QWidget]:
        column = QWidget(self)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)

        editor, reveal = self._build_editor(spec, column)
        if reveal is None:
            box.addWidget(editor)
        else:
            line = QHBoxLayout()
            line.setSpacing(4)
            line.addWidget(editor)
            line.addWidget(reveal)
            box.addLayout(line)

        error = QLabel(column)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box.addWidget(error)
        if spec.help or spec.where:
            box.addWidget(self._help_label(spec, column))

        label = QLabel(spec.title + ("" if spec.required else " (optional)"), self)
        label.setObjectName("fieldLabel")
        label.setBuddy(editor)
        self._rows[spec.wire] = _Row(spec, editor, error, reveal)
        return label, column

    def _build_editor(
        self, spec: FieldSpec, parent: QWidget
    ) -> tuple[QLineEdit | QComboBox, QToolButton | None]:
        tip = spec.help + (f"\n\nWhere to find it: {spec.where}" if spec.where else "")
        if spec.choices:
            combo = QComboBox(parent)
            if not spec.required:
                combo.addItem(f"{DEFAULT_CHOICE} ({spec.example})" if spec.example else "", None)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.setToolTip(tip)
            combo.setAccessibleName(spec.title)
            combo.currentIndexChanged.connect(self.edited)
            return combo, None

        edit = QLineEdit(parent)
        edit.setPlaceholderText(spec.example)
        edit.setToolTip(tip)
        edit.setAccessibleName(spec.title)
        edit.setClearButtonEnabled(not spec.secret)
        edit.textEdited.connect(self.edited)
        if not spec.secret:
            return edit, None

        edit.setEchoMode(QLineEdit.EchoMode.Password)
        reveal = QToolButton(parent)
        reveal.setCheckable(True)
        reveal.setIcon(icon("eye"))
        reveal.setToolTip(f"Show the {spec.title.lower()}")
        reveal.setAccessibleName(f"Show {spec.title}")
        reveal.toggled.connect(lambda shown, wire=spec.wire: self._set_revealed(wire, shown))
        return edit, reveal

    @staticmethod
    def _help_label(spec: FieldSpec, parent: QWidget) -> QLabel:
        parts = [spec.help] if spec.help else []
        if spec.where:
            parts.append(f"Where to find it: {spec.where}")
        help_label = QLabel("\n".join(parts), parent)
        help_label.setObjectName("fieldHelp")
        help_label.setWordWrap(True)
        help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return help_label

    def prepend_row(self, label: QLabel, column: QWidget) -> None:
        """Put a row that is not a credential (the integration's label) above the fields."""
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        layout.insertRow(0, label, column)

    # -- values in and out ------------------------------------------------------------------

    def load(self, values: dict[str, Any], *, stored_secrets: bool) -> None:
        """Fill the non-secret fields; secret fields start empty whatever ``values`` holds."""
        self._has_stored_secrets = stored_secrets
        self._revealed.clear()
        for wire, row in self._rows.items():
            editor = row.editor
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                found = editor.findData(values.get(wire))
                editor.setCurrentIndex(max(found, 0))
            elif row.spec.secret:
                editor.clear()
                if stored_secrets:
                    editor.setPlaceholderText(SAVED_SECRET_PLACEHOLDER)
                if row.reveal is not None:
                    row.reveal.setChecked(False)
            else:
                value = values.get(wire)
                editor.setText("" if value is None else str(value))
            editor.blockSignals(False)
        self.clear_problems()

    def values(self) -> dict[str, Any]:
        """Wire name -> value of every field, leaving out secrets nobody typed."""
        out: dict[str, Any] = {}
        for wire, row in self._rows.items():
            editor = row.editor
            if isinstance(editor, QComboBox):
                out[wire] = editor.currentData()
                continue
            text = editor.text().strip()
            if row.spec.secret:
                if text and text != self._revealed.get(wire):
                    out[wire] = text
            elif text:
                out[wire] = text
            elif not row.spec.required:
                out[wire] = None
        return out

    def local_problems(self) -> list[FieldProblem]:
        """Problems found before the model is asked: empty required fields, a pasted mask."""
        problems = []
        for wire, row in self._rows.items():
            if isinstance(row.editor, QComboBox) or not row.spec.required:
                continue
            text = row.editor.text().strip()
            if row.spec.secret and text == MASK:
                problems.append(FieldProblem(f"credentials.{wire}", "type the real value"))
            elif not text and not (row.spec.secret and self._has_stored_secrets):
                problems.append(FieldProblem(f"credentials.{wire}", "required"))
        return problems

    # -- problems beside fields -------------------------------------------------------------

    def show_problems(self, problems: list[FieldProblem]) -> list[FieldProblem]:
        """Put each problem under its field (first one wins); return those with no field."""
        self.clear_problems()
        elsewhere = []
        for problem in problems:
            row = self._rows.get(problem.field.removeprefix("credentials."))
            if row is None or not problem.field.startswith("credentials."):
                elsewhere.append(problem)
            elif row.error.isHidden():
                row.error.setText(problem.message)
                row.error.show()
        return elsewhere

    def clear_problems(self) -> None:
        for row in self._rows.values():
            row.error.clear()
            row.error.hide()

    def focus_first_problem(self) -> bool:
        for row in self._rows.values():
            if not row.error.isHidden():
                row.editor.setFocus()
                return True
        return False

    # -- revealing stored secrets -----------------------------------------------------------

    def _set_revealed(self, wire: str, shown: bool) -> None:
        row = self._rows[wire]
        edit = row.editor
        assert isinstance(edit, QLineEdit)
        if row.reveal is not None:
            verb = "Hide" if shown else "Show"
            row.reveal.setIcon(icon("eye-off" if shown else "eye"))
            row.reveal.setToolTip(f"{verb} the {row.spec.title.lower()}")
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        if shown and self._has_stored_secrets and not edit.text():
            self.secret_reveal_requested.emit(wire)
        elif not shown and wire in self._revealed and edit.text() == self._revealed[wire]:
            # Hiding an unedited stored secret puts the field back to "saved, untouched".
            del self._revealed[wire]
            edit.clear()

    def show_stored_secret(self, wire: str, value: str) -> None:
        """Show a stored secret the person asked to see; it counts as unchanged."""
        row = self._rows.get(wire)
        if row is None or row.reveal is None or not row.reveal.isChecked():
            return
        edit = row.editor
        assert isinstance(edit, QLineEdit)
        if not edit.text():
            self._revealed[wire] = value
            edit.setText(value)

    # -- for tests and the editor -----------------------------------------------------------

    def editor_for(self, wire: str) -> QLineEdit | QComboBox:
        return self._rows[wire].editor

    def error_label_for(self, wire: str) -> QLabel:
        return self._rows[wire].error

    def reveal_button_for(self, wire: str) -> QToolButton | None:
        return self._rows[wire].reveal

    def wire_names(self) -> list[str]:
        return list(self._rows)
