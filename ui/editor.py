"""The right-hand editor: an integration's label, its generated form, last check and buttons."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
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
from app.vault import Vault
from providers.base import CredentialsModel, ProviderSpec
from ui.check_panel import CheckPanel
from ui.clipboard import DEFAULT_CLEAR_AFTER_S, SecretClipboard
from ui.editor_findings import OfflineFindings
from ui.editor_parts import EditorButtons, LabelField
from ui.editor_secrets import SecretActions
from ui.form import CredentialForm
from ui.integration_model import platform_title
from ui.versions_dialog import VersionsDialog

NOTHING_SELECTED = "Select an integration on the left, or press New to add one."


@dataclass(frozen=True)
class IntegrationChanges:
    """A validated edit of a stored integration, ready for ``Vault.update``."""

    integration_id: str
    label: str
    credentials: CredentialsModel


class IntegrationEditor(QWidget):
    """Edits one integration (or a new one); the main window does the saving and checking.

    The offline findings (``app.offline``) show beside each field a moment after typing;
    only model errors stop a save. With a vault (``set_vault``) the History… button lists
    earlier versions and restores one; ``integration_restored`` then says which.
    """

    save_requested = Signal()
    delete_requested = Signal()
    verify_requested = Signal()
    stop_requested = Signal()
    state_changed = Signal()  # mode, unsaved changes or busy state changed
    integration_restored = Signal(str)  # integration id, after History › Restore

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        vault: Vault | None = None,
        clipboard_clear_s: float = DEFAULT_CLEAR_AFTER_S,
    ) -> None:
        super().__init__(parent)
        self._spec: ProviderSpec | None = None
        self._integration: Integration | None = None
        self._loaded_label = ""
        self._form: CredentialForm | None = None
        self._vault = vault
        self.versions_dialog: VersionsDialog | None = None

        self._label_column = LabelField(self)
        self._label_column.hide()  # shown inside the form once there is one
        self._label_edit = self._label_column.edit
        self._label_error = self._label_column.error

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_placeholder())
        self._pages.addWidget(self._build_content())
        self.findings = OfflineFindings(self._label_edit, self._label_error, self._general_error)
        self._label_edit.textEdited.connect(self.findings.label_edited)
        self._label_edit.textEdited.connect(self._on_edited)
        self.secrets = SecretActions(self._notice, clipboard_clear_s, self)
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

        self._buttons = EditorButtons(content)
        self.delete_button, self.history_button = self._buttons.delete, self._buttons.history
        self.verify_button, self.save_button = self._buttons.verify, self._buttons.save
        self._notice = self._buttons.notice
        self.delete_button.clicked.connect(self.delete_requested)
        self.history_button.clicked.connect(self.open_history)
        self.verify_button.clicked.connect(self.verify_requested)
        self.save_button.clicked.connect(self.save_requested)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._general_error)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.check_panel)
        layout.addWidget(self._buttons)
        return content

    def _use_form(self, spec: ProviderSpec) -> CredentialForm:
        """A fresh form for ``spec`` with the label row on top; the old form is dropped."""
        self._drop_form()
        form = CredentialForm(spec.credentials)
        form.setObjectName("credentialForm")
        label = QLabel("Label", form)
        label.setObjectName("fieldLabel")
        label.setBuddy(self._label_edit)
        form.prepend_row(label, self._label_column)
        self._label_column.show()
        form.edited.connect(self._on_edited)
        form.edited.connect(self.findings.schedule)
        self._scroll.setWidget(form)
        self._form = form
        self._spec = spec
        self._set_tab_order()
        return form

    def _drop_form(self) -> None:
        """Forget the form and anything typed in it (the label row is kept for the next)."""
        if self._form is None:
            return
        self._label_column.hide()
        self._label_column.setParent(self)
        form = self._scroll.takeWidget()
        form.hide()
        form.setParent(self)  # owned by Qt again, so deleteLater alone deletes it
        form.deleteLater()
        self._form = None

    def _set_tab_order(self) -> None:
        """Tab follows what is shown: label, each field, Stop, then the buttons."""
        assert self._form is not None
        chain: list[QWidget] = [self._label_edit, *self._form.focus_chain()]
        chain += [self.check_panel.stop_button, *self._buttons.in_tab_order()]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- what is shown ----------------------------------------------------------------------

    def clear(self) -> None:
        """Show nothing: the hint to pick or create an integration; typed values are dropped."""
        self.findings.stop()
        self.secrets.attach(None, None)
        self._drop_form()
        self._integration = None
        self._spec = None
        self._loaded_label = ""
        self._label_edit.clear()
        self._pages.setCurrentIndex(0)
        self._refresh_buttons()

    def start_new(self, spec: ProviderSpec) -> None:
        """An empty form for a new integration of ``spec``'s provider."""
        form = self._use_form(spec)
        form.load({}, stored_secrets=False)
        self._integration = None
        self._loaded_label = ""
        self._label_edit.clear()
        self._show_header("New integration", spec)
        self.check_panel.show_record(None)
        self.check_panel.set_busy(False)
        self.findings.watch(form, spec.name, stored=None)
        self.secrets.attach(form, None)
        self._refresh_buttons()
        self._label_edit.setFocus()

    def show_integration(self, integration: Integration, last_check: CheckRecord | None) -> None:
        """Load a stored integration; its secrets stay out of the form until revealed."""
        spec = providers.get(integration.provider)
        if spec is None:
            raise ValueError(f"unknown provider {integration.provider!r}")
        form = self._use_form(spec)
        form.load(integration.credentials_view(reveal=False), stored_secrets=True)
        self._integration = integration
        self._loaded_label = integration.label
        self._label_edit.setText(integration.label)
        self._show_header(integration.label, spec)
        self.check_panel.show_record(last_check)
        # A stored integration shows its findings at once, as `integration-vault check` does.
        self.findings.watch(form, spec.name, stored=integration.credentials)
        self.secrets.attach(form, integration)
        self._refresh_buttons()

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
        """Whether the form differs from what was loaded (same as ``has_unsaved_changes()``)."""
        return self.has_unsaved_changes()

    def has_unsaved_changes(self) -> bool:
        """Whether something typed is not saved yet; switching, closing or locking asks first."""
        return bool(self.changed_fields())

    def changed_fields(self) -> list[str]:
        """Titles of the fields that differ from what was loaded ("Label" first)."""
        if self.is_empty or self._form is None:
            return []
        label = ["Label"] if self._label_edit.text() != self._loaded_label else []
        return label + self._form.changed_fields()

    def discard_changes(self) -> None:
        """Drop unsaved edits: a stored integration shows as saved again, a new draft goes."""
        if self._integration is None:
            self.clear()
            return
        busy = self.is_busy
        self.show_integration(self._integration, self.check_panel.record)
        self.set_busy(busy)

    @property
    def can_save(self) -> bool:
        return (self.is_new or self.has_changes) and not self.is_busy

    @property
    def is_busy(self) -> bool:
        return not self.is_empty and self.check_panel.is_busy

    def _on_edited(self) -> None:
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.save_button.setEnabled(self.can_save)
        self.verify_button.setEnabled(not self.is_busy)
        # Verify stores what is typed first: say so on the button rather than save unasked.
        self.verify_button.setText("Save && verify" if self.can_save else "Verify")
        self.delete_button.setText("Discard" if self.is_new else "Delete…")
        self.history_button.setVisible(self._vault is not None)
        self.history_button.setEnabled(self._integration is not None)
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
        self.show_problems(problems)
        return None if problems else result

    def show_problems(self, problems: list[FieldProblem]) -> None:
        """Each problem beside its field, with the offline findings; from now on for all fields."""
        self.findings.show_everything(problems)
        if not problems:
            return
        if any(p.field == "label" for p in problems):
            self._label_edit.setFocus()
        elif self._form is not None:
            self._form.focus_first_problem()

    # -- secrets ----------------------------------------------------------------------------

    @property
    def clipboard(self) -> SecretClipboard:
        """Where Copy puts secrets; ``clear_now()`` takes a copied one off (e.g. on lock)."""
        return self.secrets.clipboard

    @property
    def clipboard_clear_s(self) -> float:
        """Seconds a copied secret stays on the clipboard (0: until the app quits)."""
        return self.secrets.clear_after_s

    @clipboard_clear_s.setter
    def clipboard_clear_s(self, seconds: float) -> None:
        self.secrets.clear_after_s = seconds

    def notice(self) -> str:
        """The short note beside the buttons ("… copied"), or "" when none shows."""
        return self._notice.text()

    # -- history ----------------------------------------------------------------------------

    def set_vault(self, vault: Vault | None) -> None:
        """The vault History… reads versions from (and restores them to)."""
        self._vault = vault
        self._refresh_buttons()

    def open_history(self) -> VersionsDialog | None:
        """Open the versions of the shown integration (window-modal, returns at once)."""
        if self._vault is None or self._integration is None:
            return None
        dialog = VersionsDialog(
            self._vault, self._integration.id, self, unsaved=self.changed_fields()
        )
        dialog.version_restored.connect(self._on_version_restored)
        dialog.finished.connect(lambda _result: setattr(self, "versions_dialog", None))
        dialog.finished.connect(dialog.deleteLater)
        self.versions_dialog = dialog
        dialog.open()
        return dialog

    def _on_version_restored(self, integration: Integration) -> None:
        busy = self.is_busy
        self.show_integration(integration, self.check_panel.record)
        self.set_busy(busy)
        self.integration_restored.emit(integration.id)
