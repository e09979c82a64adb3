"""The offline check of the editor's form, run a moment after each edit, shown by each field."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit

from app.errors import FieldProblem, InvalidInput
from app.models import validate_label
from app.offline import check_values
from providers.base import CredentialsModel
from providers.findings import Finding
from ui.form import CredentialForm

DELAY_MS = 150


def as_findings(problems: Iterable[FieldProblem]) -> list[Finding]:
    """Validation problems as error findings named by wire name ("credentials." dropped)."""
    return [Finding(p.field.removeprefix("credentials."), p.message) for p in problems]


class OfflineFindings(QObject):
    """Runs ``app.offline.check_values`` on the form's raw values and shows what it finds.

    The same findings as ``integration-vault check``: model errors and paste mistakes
    (a pasted "Bearer ", quotes, a key in the wrong field), as errors or warnings. A new
    form shows them only for fields the person has edited; a stored integration, or any
    form after a Save attempt, shows them for every field. Untouched stored secrets are
    checked as stored, without ever entering the form.
    """

    findings_shown = Signal(list)  # list[Finding], after each run

    def __init__(
        self,
        label_edit: QLineEdit,
        label_error: QLabel,
        general_error: QLabel,
        delay_ms: int = DELAY_MS,
    ) -> None:
        super().__init__(label_edit)
        self._label_edit = label_edit
        self._label_error = label_error
        self._general_error = general_error
        self._form: CredentialForm | None = None
        self._provider = ""
        self._stored: CredentialsModel | None = None
        self._label_touched = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.run)

    def watch(self, form: CredentialForm, provider: str, stored: CredentialsModel | None) -> None:
        """Check ``form`` from now on; a stored integration is checked (everywhere) at once."""
        self._form, self._provider, self._stored = form, provider, stored
        self._label_touched = stored is not None
        if stored is not None:
            form.touch_all()
        self.run()

    def stop(self) -> None:
        self._timer.stop()
        self._form = self._stored = None

    def schedule(self) -> None:
        """Check again once typing pauses."""
        self._timer.start()

    def label_edited(self) -> None:
        self._label_touched = True
        self.schedule()

    def show_everything(self, problems: Iterable[FieldProblem] = ()) -> None:
        """After a Save attempt: findings for every field, with the save's own problems."""
        if self._form is not None:
            self._form.touch_all()
        self._label_touched = True
        self.run(as_findings(problems))

    # -- checking ---------------------------------------------------------------------------

    def current(self) -> list[Finding]:
        """What the offline check finds in the form right now (label included)."""
        if self._form is None:
            return []
        values = {}
        if self._stored is not None:
            wire = self._stored.to_wire()
            values = {name: wire[name] for name in self._stored.secret_fields() if name in wire}
        values.update(self._form.raw_values())
        found = check_values(self._provider, values)
        found += as_findings(self._form.local_problems())
        if self._label_touched:
            try:
                validate_label(self._label_edit.text())
            except InvalidInput as exc:
                found += as_findings(exc.problems)
        return found

    def run(self, extra: Iterable[Finding] = ()) -> list[Finding]:
        """Check now and show each finding beside its field; returns what was found."""
        self._timer.stop()
        if self._form is None:
            return []
        found = [*extra, *self.current()]
        label = [f.message for f in found if f.field == "label"]
        self._label_error.setText(label[0] if label else "")
        self._label_error.setVisible(bool(label))
        self._label_edit.setAccessibleDescription(f"Error: {label[0]}" if label else "")
        elsewhere = self._form.show_findings([f for f in found if f.field != "label"])
        general = list(dict.fromkeys(f"{f.field}: {f.message}" for f in elsewhere))
        self._general_error.setText("\n".join(general))
        self._general_error.setVisible(bool(general))
        self.findings_shown.emit(found)
        return found
