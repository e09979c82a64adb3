"""The wizard's form side: which bucket (new S3, new R2 or a stored one) and its credential form."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

import providers
from app.default_target import STORAGE_PROVIDERS, stored_jurisdiction
from app.export_steps import TargetForm
from app.models import Integration
from app.vault import Vault
from providers.base import ProviderSpec
from providers.r2 import DEFAULT_JURISDICTION, JURISDICTIONS
from ui.editor_findings import OfflineFindings
from ui.form import CredentialForm

NEW_S3, NEW_R2, STORED = "s3", "r2", "stored"
JURISDICTION_NOTE = (
    "A bucket made in a jurisdiction is reachable only through that jurisdiction's endpoint. "
    "Kept on this computer only."
)


class TargetFormPanel(QWidget):
    """Chooses the bucket to set up and shows the same generated form as the editor.

    A new S3 or R2 bucket starts from an empty form; a stored S3 or R2 integration is loaded
    the way the editor loads it (secrets stay out of the form unless revealed) and is updated
    in place when the setup saves. R2 adds the jurisdiction, a local setting.
    """

    source_changed = Signal()  # another bucket was chosen: a new form, earlier steps are moot

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._spec: ProviderSpec | None = None
        self._integration: Integration | None = None
        self._form: CredentialForm | None = None

        self._build_source()
        self._build_extra_rows()
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._general_error = QLabel(self)
        self._general_error.setObjectName("formError")
        self._general_error.setWordWrap(True)
        self._general_error.hide()
        self.findings = OfflineFindings(self.label_edit, self._label_error, self._general_error)
        self.label_edit.textEdited.connect(self.findings.label_edited)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._source_box)
        layout.addWidget(self._general_error)
        layout.addWidget(self._scroll, 1)
        self.choose(NEW_S3)

    # -- building ---------------------------------------------------------------------------

    def _build_source(self) -> None:
        box = self._source_box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        heading = QLabel("Which bucket?", box)
        heading.setObjectName("fieldLabel")
        self._sources = QButtonGroup(self)
        self.stored_combo = QComboBox(box)
        self.stored_combo.setAccessibleName("Stored integration")
        self.stored_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for row in self._vault.rows():
            spec = providers.get(row.provider)
            if row.provider in STORAGE_PROVIDERS and spec is not None:
                self.stored_combo.addItem(f"{row.label} — {spec.title}", row.id)
        grid.addWidget(heading, 0, 0, 1, 2)
        for number, (source, text) in enumerate(
            ((NEW_S3, "New Amazon S3 bucket"), (NEW_R2, "New Cloudflare R2 bucket"))
        ):
            button = QRadioButton(text, box)
            button.setProperty("source", source)
            self._sources.addButton(button)
            grid.addWidget(button, 1 + number, 0, 1, 2)
        stored = QRadioButton("Stored integration:", box)
        stored.setProperty("source", STORED)
        self._sources.addButton(stored)
        grid.addWidget(stored, 3, 0)
        grid.addWidget(self.stored_combo, 3, 1)
        grid.setColumnStretch(1, 1)
        if self.stored_combo.count() == 0:
            stored.setEnabled(False)
            stored.setToolTip("The vault holds no S3 or R2 integration yet.")
        self.stored_combo.setEnabled(False)
        self._sources.buttonClicked.connect(lambda b: self.choose(b.property("source")))
        self.stored_combo.activated.connect(lambda _i: self.choose(STORED))

    def _build_extra_rows(self) -> None:
        """The label and jurisdiction rows, kept across forms (each new form takes them)."""
        self.label_edit = QLineEdit(self)
        self.label_edit.setPlaceholderText("e.g. Acme support screenshots")
        self.label_edit.setAccessibleName("Label")
        self._label_error = QLabel(self)
        self._label_error.setObjectName("fieldError")
        self._label_error.setWordWrap(True)
        self._label_error.hide()
        self._label_column = self._column(self.label_edit, self._label_error)

        self.jurisdiction_combo = QComboBox(self)
        self.jurisdiction_combo.setAccessibleName("Jurisdiction")
        for key, title in JURISDICTIONS.items():
            self.jurisdiction_combo.addItem(title, key)
        note = QLabel(JURISDICTION_NOTE, self)
        note.setObjectName("dialogText")
        note.setWordWrap(True)
        self._jurisdiction_column = self._column(self.jurisdiction_combo, note)

    def _column(self, *widgets: QWidget) -> QWidget:
        column = QWidget(self)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(3)
        for widget in widgets:
            box.addWidget(widget)
        return column

    # -- choosing the bucket ----------------------------------------------------------------

    def choose(self, source: str, integration_id: str | None = None) -> None:
        """Start from a new S3 or R2 bucket, or from a stored integration (the combo's, or
        ``integration_id``'s)."""
        if source == STORED and integration_id is not None:
            found = self.stored_combo.findData(integration_id)
            if found < 0:
                return
            self.stored_combo.setCurrentIndex(found)
        for button in self._sources.buttons():
            button.setChecked(button.property("source") == source)
        self.stored_combo.setEnabled(source == STORED)
        if source == STORED:
            self._load_stored(self.stored_combo.currentData())
        else:
            if self._integration is not None:
                self.label_edit.clear()  # the stored label names another integration
            spec = providers.get(source)
            assert spec is not None
            form = self._use_form(spec, None)
            form.load({}, stored_secrets=False)
            self.jurisdiction_combo.setCurrentIndex(0)
            self.findings.watch(form, spec.name, stored=None)
        self.source_changed.emit()

    def _load_stored(self, integration_id: str) -> None:
        integration = self._vault.get(integration_id)
        spec = providers.get(integration.provider)
        assert spec is not None
        form = self._use_form(spec, integration)
        form.load(integration.credentials_view(reveal=False), stored_secrets=True)
        self.label_edit.setText(integration.label)
        jurisdiction = (
            stored_jurisdiction(self._vault, integration.id)
            if integration.provider == "r2"
            else DEFAULT_JURISDICTION
        )
        self.jurisdiction_combo.setCurrentIndex(self.jurisdiction_combo.findData(jurisdiction))
        self.findings.watch(form, spec.name, stored=integration.credentials)

    def adopt(self, integration_id: str) -> None:
        """The form's content was saved as ``integration_id``: from now on it is that stored
        integration, so running again updates it instead of adding another."""
        integration = self._vault.get(integration_id)
        spec = providers.get(integration.provider)
        text = f"{integration.label} — {spec.title if spec else integration.provider}"
        if self.stored_combo.findData(integration_id) < 0:
            self.stored_combo.addItem(text, integration_id)
        self.stored_combo.setCurrentIndex(self.stored_combo.findData(integration_id))
        self.stored_combo.setItemText(self.stored_combo.currentIndex(), text)
        for button in self._sources.buttons():
            button.setEnabled(True)
            button.setChecked(button.property("source") == STORED)
        self.stored_combo.setEnabled(True)
        self._integration = integration

    def _use_form(self, spec: ProviderSpec, integration: Integration | None) -> CredentialForm:
        """A fresh form with the label (and for R2 the jurisdiction) on top."""
        self.findings.stop()
        if self._form is not None:
            for kept in (self._label_column, self._jurisdiction_column):
                kept.setParent(self)  # the rows outlive the form they sat in
            self._form.deleteLater()
        self._jurisdiction_column.hide()
        form = CredentialForm(spec.credentials)
        form.setObjectName("credentialForm")
        if spec.name == "r2":
            self._jurisdiction_column.show()
            form.prepend_row(self._row_title("Jurisdiction", form), self._jurisdiction_column)
        form.prepend_row(self._row_title("Label", form), self._label_column)
        for wire in form.wire_names():
            copy = form.copy_button_for(wire)
            if copy is not None:
                copy.hide()  # nothing here needs a secret on the clipboard
        form.edited.connect(self.findings.schedule)
        form.secret_reveal_requested.connect(self._reveal_stored_secret)
        self._scroll.setWidget(form)
        self._form, self._spec, self._integration = form, spec, integration
        return form

    def _row_title(self, text: str, form: CredentialForm) -> QLabel:
        title = QLabel(text, form)
        title.setObjectName("fieldLabel")
        return title

    def _reveal_stored_secret(self, wire: str) -> None:
        if self._integration is None or self._form is None:
            return
        credentials = self._integration.credentials
        for name, info in type(credentials).model_fields.items():
            value = getattr(credentials, name)
            if (info.alias or name) == wire and isinstance(value, SecretStr):
                self._form.show_stored_secret(wire, value)

    # -- what was filled in -----------------------------------------------------------------

    @property
    def form(self) -> CredentialForm:
        assert self._form is not None
        return self._form

    @property
    def provider(self) -> str:
        assert self._spec is not None
        return self._spec.name

    @property
    def integration_id(self) -> str | None:
        return self._integration.id if self._integration is not None else None

    def target_form(self) -> TargetForm:
        """The form as typed, for the setup; its offline step judges it, and each finding
        also shows beside its field."""
        self.findings.show_everything()
        values: dict[str, Any] = {}
        if self._integration is not None:
            # Untouched stored secrets never enter the form; the setup needs them all the same.
            credentials = self._integration.credentials
            wire = credentials.to_wire()
            values = {name: wire[name] for name in credentials.secret_fields() if name in wire}
        values.update(self.form.raw_values())
        jurisdiction = self.jurisdiction_combo.currentData() if self.provider == "r2" else None
        return TargetForm(
            label=self.label_edit.text(),
            provider=self.provider,
            values=values,
            jurisdiction=jurisdiction or DEFAULT_JURISDICTION,
            integration_id=self.integration_id,
        )
