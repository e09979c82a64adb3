"""The right-hand editor: an integration's label, its generated form, last check and buttons."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import providers
from app.errors import FieldProblem, InvalidInput
from app.models import (
    CheckRecord,
    Integration,
    NewIntegration,
    merge_credentials,
    parse_new,
    validate_label,
)
from providers.base import CredentialsModel, ProviderSpec
from ui.check_panel import CheckPanel
from ui.form import CredentialForm
from ui.integration_model import platform_title
from ui.resources import icon

NOTHING_SELECTED = "Select an integration on the left, or press New to add one."


@dataclass(frozen=True)
class IntegrationChanges:
    """A validated edit of a stored integration, ready for ``Vault.update``."""

    integration_id: str
    label: str
    credentials: CredentialsModel


class IntegrationEditor(QWidget):
    """Edits one integration (or a new one); the main window does the saving and checking."""

    save_requested = Signal()
    delete_requested = Signal()
    verify_requested = Signal()
    stop_requested = Signal()
    state_changed = Signal()  # mode, unsaved changes or busy state changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spec: ProviderSpec | None = None
        self._integration: Integration | None = None
        self._dirty = False
        self._form: CredentialForm | None = None

        self._label_edit = QLineEdit(self)
        self._label_edit.setPlaceholderText("e.g. Acme support screenshots")
        self._label_edit.setAccessibleName("Label")
        self._label_edit.textEdited.connect(self._on_edited)
        self._label_error = QLabel(self)
        self._label_error.setObjectName("fieldError")
        self._label_error.setWordWrap(True)
        self._label_error.hide()
        self._label_column = QWidget(self)
        column = QVBoxLayout(self._label_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(self._label_edit)
        column.addWidget(self._label_error)

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_placeholder())
        self._pages.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)
        self.clear()

    # -- building ---------------------------------------------------------------------------

    def _build_placeholder(self) -> QWidget:
        placeholder = QLabel(NOTHING_SELECTED, self)
        placeholder.setObjectName("editorPlaceholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        return placeholder

    def _build_content(self) -> QWidget:
        content = QWidget(self)
        self._title = QLabel(content)
        self._title.setObjectName("editorTitle")
        self._subtitle = QLabel(content)
        self._subtitle.setObjectName("editorSubtitle")
        self._subtitle.setWordWrap(True)
        self._general_error = QLabel(content)
        self._general_error.setObjectName("formError")
        self._general_error.setWordWrap(True)
        self._general_error.hide()

        self._scroll = QScrollArea(content)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.check_panel = CheckPanel(content)
        self.check_panel.stop_requested.connect(self.stop_requested)

        self.delete_button = QPushButton(icon("delete"), "Delete…", content)
        self.verify_button = QPushButton(icon("verify"), "Verify", content)
        self.verify_button.setToolTip("Save any changes, then check the credentials (Ctrl+R)")
        self.save_button = QPushButton(icon("save"), "Save", content)
        self.save_button.setToolTip("Save the changes to the vault (Ctrl+S)")
        self.save_button.setDefault(True)
        self.delete_button.clicked.connect(self.delete_requested)
        self.verify_button.clicked.connect(self.verify_requested)
        self.save_button.clicked.connect(self.save_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._general_error)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.check_panel)
        layout.addLayout(buttons)
        return content

    def _use_form(self, spec: ProviderSpec) -> CredentialForm:
        """A fresh form for ``spec`` with the label row on top; the old form is dropped."""
        if self._form is not None:
            self._label_column.setParent(self)  # keep the label row alive
            self._form.deleteLater()
        form = CredentialForm(spec.credentials)
        form.setObjectName("credentialForm")
        label = QLabel("Label", form)
        label.setObjectName("fieldLabel")
        label.setBuddy(self._label_edit)
        form.prepend_row(label, self._label_column)
        form.edited.connect(self._on_edited)
        form.secret_reveal_requested.connect(self._reveal_stored_secret)
        self._scroll.setWidget(form)
        self._form = form
        self._spec = spec
        return form

    # -- what is shown ----------------------------------------------------------------------

    def clear(self) -> None:
        """Show nothing: the hint to pick or create an integration."""
        self._integration = None
        self._spec = None
        self._dirty = False
        self._pages.setCurrentIndex(0)
        self.state_changed.emit()

    def start_new(self, spec: ProviderSpec) -> None:
        """An empty form for a new integration of ``spec``'s provider."""
        form = self._use_form(spec)
        form.load({}, stored_secrets=False)
        self._integration = None
        self._label_edit.clear()
        self._show_header("New integration", spec)
        self.check_panel.show_record(None)
        self.check_panel.set_busy(False)
        self._set_dirty(False)
        self._label_edit.setFocus()

    def show_integration(self, integration: Integration, last_check: CheckRecord | None) -> None:
        """Load a stored integration; its secrets stay out of the form until revealed."""
        spec = providers.get(integration.provider)
        if spec is None:
            raise ValueError(f"unknown provider {integration.provider!r}")
        form = self._use_form(spec)
        form.load(integration.credentials_view(reveal=False), stored_secrets=True)
        self._integration = integration
        self._label_edit.setText(integration.label)
        self._show_header(integration.label, spec)
        self.check_panel.show_record(last_check)
        self._set_dirty(False)

    def _show_header(self, title: str, spec: ProviderSpec) -> None:
        self._title.setText(title)
        self._subtitle.setText(f"{spec.title} · {platform_title(spec.platform)} — {spec.summary}")
        self._label_error.hide()
        self._general_error.hide()
        self._pages.setCurrentIndex(1)

    def show_check(self, record: CheckRecord) -> None:
        self.check_panel.show_record(record)

    def set_busy(self, busy: bool) -> None:
        """Show or hide the running-check indicator; a running check blocks Save and Verify."""
        name = self._spec.title if self._spec else "the provider"
        self.check_panel.set_busy(busy, f"Checking with {name}…")
        self._refresh_buttons()

    # -- state ------------------------------------------------------------------------------

    @property
    def integration(self) -> Integration | None:
        return self._integration

    @property
    def form(self) -> CredentialForm | None:
        return self._form

    @property
    def label_edit(self) -> QLineEdit:
        return self._label_edit

    @property
    def label_error(self) -> QLabel:
        return self._label_error

    @property
    def is_empty(self) -> bool:
        return self._pages.currentIndex() == 0

    @property
    def is_new(self) -> bool:
        return not self.is_empty and self._integration is None

    @property
    def has_changes(self) -> bool:
        """Whether the person typed something not yet saved."""
        return not self.is_empty and self._dirty

    @property
    def can_save(self) -> bool:
        return (self.is_new or self.has_changes) and not self.is_busy

    @property
    def is_busy(self) -> bool:
        return not self.is_empty and self.check_panel.is_busy

    def _on_edited(self) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.save_button.setEnabled(self.can_save)
        self.verify_button.setEnabled(not self.is_busy)
        self.delete_button.setText("Discard" if self.is_new else "Delete…")
        self.state_changed.emit()

    # -- validation -------------------------------------------------------------------------

    def validated(self) -> NewIntegration | IntegrationChanges | None:
        """The edit as a validated value, or None after showing each problem by its field."""
        assert self._form is not None and self._spec is not None
        problems: list[FieldProblem] = list(self._form.local_problems())
        values = self._form.values()
        result: NewIntegration | IntegrationChanges | None = None
        try:
            if self._integration is None:
                data = {"label": self._label_edit.text(), "provider": self._spec.name}
                result = parse_new({**data, "credentials": values})
            else:
                label = validate_label(self._label_edit.text())
                merged = merge_credentials(self._integration.credentials, values)
                result = IntegrationChanges(self._integration.id, label, merged)
        except InvalidInput as exc:
            problems.extend(exc.problems)
        if not problems:
            self.show_problems([])
            return result
        self.show_problems(problems)
        return None

    def show_problems(self, problems: list[FieldProblem]) -> None:
        """Each problem beside its field; one without a field goes above the form."""
        assert self._form is not None
        label_problems = [p.message for p in problems if p.field == "label"]
        self._label_error.setText(label_problems[0] if label_problems else "")
        self._label_error.setVisible(bool(label_problems))
        others = [p for p in problems if p.field != "label"]
        elsewhere = self._form.show_problems(others)
        self._general_error.setText("\n".join(str(p) for p in elsewhere))
        self._general_error.setVisible(bool(elsewhere))
        if label_problems:
            self._label_edit.setFocus()
        else:
            self._form.focus_first_problem()

    def _reveal_stored_secret(self, wire: str) -> None:
        if self._integration is None or self._form is None:
            return
        value = self._integration.credentials_view(reveal=True).get(wire)
        if isinstance(value, str) and value:
            self._form.show_stored_secret(wire, value)
