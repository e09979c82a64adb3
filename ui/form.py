"""A credential form generated from a provider's Pydantic model, grouped the way it is filled."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import SecretStr
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.errors import FieldProblem
from app.models import MASK
from providers.base import CredentialsModel
from providers.findings import Finding
from ui.field_spec import SECTION_TITLES, FieldSpec, field_specs
from ui.form_row import DEFAULT_CHOICE, FieldRow
from ui.resources import icon

__all__ = ["DEFAULT_CHOICE", "SAVED_SECRET_PLACEHOLDER", "CredentialForm", "FieldSpec"]

SAVED_SECRET_PLACEHOLDER = "Saved — type to replace"

# The form's own accents; the application style sheet may refine them.
FORM_STYLE = """
QLabel#formSection {
    font-weight: 600;
    color: palette(placeholder-text);
    padding: 10px 0 0 0;
}
QLabel#fieldError { color: #b3261e; }
QLabel#fieldWarning { color: #8a5300; }
QLabel#fieldHelp {
    background: palette(alternate-base);
    border-left: 3px solid palette(mid);
    padding: 4px 8px;
}
QToolButton#fieldHelpButton {
    border: 1px solid palette(mid);
    border-radius: 8px;
    min-width: 14px; max-width: 14px; min-height: 14px; max-height: 14px;
    margin-top: 5px;
    padding: 0;
    font-size: 8pt;
    font-weight: 600;
    color: palette(placeholder-text);
}
QToolButton#fieldHelpButton:hover { border-color: palette(highlight); }
QToolButton#fieldHelpButton:checked {
    background: palette(highlight);
    border-color: palette(highlight);
    color: palette(highlighted-text);
}
"""


class CredentialForm(QWidget):
    """Inputs for one provider's credentials in sections (Location, Credentials, Optional).

    Secrets are never loaded into the form: for a stored integration a secret field starts
    empty ("Saved — type to replace") and ``values()`` leaves an untouched secret out, so
    merging the values into the stored credentials keeps the stored secret. A stored secret
    reaches the screen only through its eye button (``secret_reveal_requested``).
    """

    edited = Signal()
    secret_reveal_requested = Signal(str)  # wire name of a stored secret to show
    secret_copy_requested = Signal(str)  # wire name of a secret to put on the clipboard

    def __init__(self, model: type[CredentialsModel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setStyleSheet(FORM_STYLE)
        self._rows: dict[str, FieldRow] = {}
        self._has_stored_secrets = False
        self._revealed: dict[str, str] = {}  # stored secrets shown on request, by wire name
        self._loaded: dict[str, Any] = {}  # what each field held after load()
        self._touched: set[str] = set()  # fields edited since load(): their findings show

        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setVerticalSpacing(8)
        section = ""
        for spec in field_specs(model):
            if spec.section != section:
                section = spec.section
                heading = QLabel(SECTION_TITLES[section], self)
                heading.setObjectName("formSection")
                layout.addRow(heading)
            row = FieldRow(spec, self)
            row.edited.connect(self._on_row_edited)
            row.reveal_toggled.connect(self._set_revealed)
            row.copy_requested.connect(self.secret_copy_requested)
            layout.addRow(row.label_cell, row.field_cell)
            self._rows[spec.wire] = row
        self._loaded = self._state()

    def prepend_row(self, label: QLabel, column: QWidget) -> None:
        """Put a row that is not a credential (the integration's label) above the fields."""
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        layout.insertRow(0, label, column)

    def _on_row_edited(self, wire: str) -> None:
        self._touched.add(wire)
        self._refresh_copy(wire)
        self.edited.emit()

    # -- values in and out ------------------------------------------------------------------

    def load(self, values: dict[str, Any], *, stored_secrets: bool) -> None:
        """Fill the non-secret fields; secret fields start empty whatever ``values`` holds."""
        self._has_stored_secrets = stored_secrets
        self._revealed.clear()
        self._touched.clear()
        for wire, row in self._rows.items():
            editor = row.editor
            editor.blockSignals(True)
            if isinstance(editor, QComboBox):
                found = editor.findData(values.get(wire))
                editor.setCurrentIndex(max(found, 0))
            elif row.spec.secret:
                editor.clear()
                editor.setEchoMode(QLineEdit.EchoMode.Password)
                if stored_secrets:
                    editor.setPlaceholderText(SAVED_SECRET_PLACEHOLDER)
                if row.reveal is not None:
                    row.reveal.blockSignals(True)
                    row.reveal.setChecked(False)
                    row.reveal.setIcon(icon("eye"))
                    row.reveal.blockSignals(False)
            else:
                value = values.get(wire)
                editor.setText("" if value is None else str(value))
            editor.blockSignals(False)
            self._refresh_copy(wire)
        self.clear_problems()
        self._loaded = self._state()

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

    def raw_values(self) -> dict[str, Any]:
        """The fields exactly as typed (spaces kept, for the offline check); blanks left out."""
        out: dict[str, Any] = {}
        for wire, row in self._rows.items():
            editor = row.editor
            if isinstance(editor, QComboBox):
                if editor.currentData() is not None:
                    out[wire] = editor.currentData()
            elif editor.text() and editor.text() != self._revealed.get(wire):
                out[wire] = editor.text()
        return out

    def typed_secret(self, wire: str) -> SecretStr | None:
        """The secret typed (or revealed) in ``wire``'s field, if there is one."""
        row = self._rows[wire]
        if not row.spec.secret or not isinstance(row.editor, QLineEdit):
            return None
        text = row.editor.text().strip()
        return SecretStr(text) if text else None

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

    # -- what changed -----------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for wire, row in self._rows.items():
            editor = row.editor
            if isinstance(editor, QComboBox):
                state[wire] = editor.currentData()
            elif editor.text() == self._revealed.get(wire):
                state[wire] = ""  # a revealed stored secret is still the stored one
            else:
                state[wire] = editor.text()
        return state

    def changed_fields(self) -> list[str]:
        """Titles of the fields that differ from what was loaded, in form order."""
        now = self._state()
        rows = self._rows.items()
        return [row.spec.title for wire, row in rows if now[wire] != self._loaded[wire]]

    @property
    def touched(self) -> frozenset[str]:
        return frozenset(self._touched)

    def touch_all(self) -> None:
        """From now on every field's findings show, edited or not (after a Save attempt)."""
        self._touched.update(self._rows)

    # -- findings beside fields -------------------------------------------------------------

    def show_findings(self, findings: Iterable[Finding], everywhere: bool = False) -> list[Finding]:
        """Each finding under its field (touched fields only, unless ``everywhere``).

        Returns the findings that name no field of this form.
        """
        errors: dict[str, list[str]] = {wire: [] for wire in self._rows}
        warnings: dict[str, list[str]] = {wire: [] for wire in self._rows}
        elsewhere = []
        for finding in findings:
            if finding.field not in self._rows:
                elsewhere.append(finding)
                continue
            kind = errors if finding.severity == "error" else warnings
            if finding.message not in kind[finding.field]:
                kind[finding.field].append(finding.message)
        for wire, row in self._rows.items():
            if everywhere or wire in self._touched:
                row.show_findings(errors[wire], warnings[wire])
            else:
                row.show_findings([], [])
        return elsewhere

    def show_problems(self, problems: list[FieldProblem]) -> list[FieldProblem]:
        """Put each validation problem under its field; return those naming no field."""
        findings = [
            Finding(p.field.removeprefix("credentials."), p.message)
            for p in problems
            if p.field.startswith("credentials.")
        ]
        self.show_findings(findings, everywhere=True)
        return [
            p
            for p in problems
            if p.field.removeprefix("credentials.") not in self._rows
            or not p.field.startswith("credentials.")
        ]

    def clear_problems(self) -> None:
        for row in self._rows.values():
            row.show_findings([], [])

    def focus_first_problem(self) -> bool:
        for row in self._rows.values():
            if not row.error.isHidden():
                row.editor.setFocus()
                return True
        return False

    # -- stored secrets: reveal and copy ----------------------------------------------------

    def _set_revealed(self, wire: str, shown: bool) -> None:
        row = self._rows[wire]
        edit = row.editor
        assert isinstance(edit, QLineEdit) and row.reveal is not None
        verb = "Hide" if shown else "Show"
        row.reveal.setIcon(icon("eye-off" if shown else "eye"))
        row.reveal.setToolTip(f"{verb} the {row.spec.title.lower()}")
        row.reveal.setAccessibleName(f"{verb} {row.spec.title}")
        edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        if shown and self._has_stored_secrets and not edit.text():
            self.secret_reveal_requested.emit(wire)
        elif not shown and wire in self._revealed and edit.text() == self._revealed[wire]:
            # Hiding an unedited stored secret puts the field back to "saved, untouched".
            del self._revealed[wire]
            edit.clear()

    def show_stored_secret(self, wire: str, value: SecretStr) -> None:
        """Show a stored secret the person asked to see; it counts as unchanged."""
        row = self._rows.get(wire)
        if row is None or row.reveal is None or not row.reveal.isChecked():
            return
        edit = row.editor
        assert isinstance(edit, QLineEdit)
        if not edit.text():
            self._revealed[wire] = value.get_secret_value()
            edit.setText(self._revealed[wire])

    def _refresh_copy(self, wire: str) -> None:
        row = self._rows[wire]
        if row.copy is not None and isinstance(row.editor, QLineEdit):
            row.copy.setEnabled(bool(row.editor.text().strip()) or self._has_stored_secrets)

    def set_copy_hint(self, text: str) -> None:
        """Add ``text`` (e.g. how soon the clipboard is cleared) to every Copy tooltip."""
        for row in self._rows.values():
            if row.copy is not None:
                row.copy.setToolTip(f"Copy the {row.spec.title.lower()} ({text})")

    # -- for the editor and tests -----------------------------------------------------------

    def focus_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in the order they are shown."""
        return [widget for row in self._rows.values() for widget in row.focus_widgets()]

    def editor_for(self, wire: str) -> QLineEdit | QComboBox:
        return self._rows[wire].editor

    def error_label_for(self, wire: str) -> QLabel:
        return self._rows[wire].error

    def warning_label_for(self, wire: str) -> QLabel:
        return self._rows[wire].warning

    def help_button_for(self, wire: str) -> QToolButton:
        return self._rows[wire].help_button

    def help_label_for(self, wire: str) -> QLabel:
        return self._rows[wire].help

    def reveal_button_for(self, wire: str) -> QToolButton | None:
        return self._rows[wire].reveal

    def copy_button_for(self, wire: str) -> QToolButton | None:
        return self._rows[wire].copy

    def title_for(self, wire: str) -> str:
        return self._rows[wire].spec.title

    def wire_names(self) -> list[str]:
        return list(self._rows)
