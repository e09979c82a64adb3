"""An integration's earlier versions: when each was saved, what differs from now, and Restore."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import SecretStr
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.errors import UserFacingError
from app.models import MASK, Integration, IntegrationVersion
from app.vault import KEPT_VERSIONS, Vault
from ui.feedback import show_failure
from ui.field_spec import FieldSpec, field_specs
from ui.integration_model import local_time_text
from ui.resources import icon

SAVED, LABEL, DIFFERS = range(3)
NO_VERSIONS = (
    "No earlier versions yet. Each time a change to this integration is saved, the version "
    f"it replaces is kept here (the last {KEPT_VERSIONS})."
)


def differing_fields(
    version: IntegrationVersion, current: Integration, specs: Sequence[FieldSpec]
) -> list[str]:
    """Titles of what ``version`` has differently from ``current`` ("Label" first)."""
    titles = ["Label"] if version.label != current.label else []
    for spec in specs:
        if getattr(version.credentials, spec.name) != getattr(current.credentials, spec.name):
            titles.append(spec.title)
    return titles


def saved_text(version: IntegrationVersion) -> str:
    return f"{local_time_text(version.saved_at)} ({timefmt.age_text(version.saved_at)})"


class VersionsDialog(QDialog):
    """Lists the kept versions of one integration, shows one, and restores it on request.

    Secrets of a version stay masked ("changed" or "same as now") until the person presses
    the eye beside one. Restoring asks first; the version it replaces is kept in turn.
    """

    version_restored = Signal(object)  # the Integration as it is after the restore

    def __init__(
        self,
        vault: Vault,
        integration_id: str,
        parent: QWidget | None = None,
        *,
        unsaved: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._unsaved = list(unsaved)
        self._current = vault.get(integration_id)
        self._versions = vault.versions(integration_id)
        self._specs = field_specs(type(self._current.credentials))
        self.setWindowTitle(f"History — {self._current.label}")
        self.setMinimumSize(640, 460 if self._versions else 200)

        intro = QLabel(
            f"Earlier versions of “{self._current.label}”, newest first. Restoring one keeps "
            "the current version here too.",
            self,
        )
        intro.setObjectName("dialogText")
        intro.setWordWrap(True)
        self.version_list = self._build_list()
        self._details = QFrame(self)
        self._details.setObjectName("versionDetails")
        self._details.setFrameShape(QFrame.Shape.StyledPanel)
        self._details_form = QFormLayout(self._details)
        self._empty = QLabel(NO_VERSIONS, self)
        self._empty.setWordWrap(True)
        self._empty.setVisible(not self._versions)

        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("Restore…", self)
        self.restore_button.setToolTip("Make the selected version the current one (asks first)")
        self._buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._empty)
        layout.addWidget(self.version_list, 1)
        layout.addWidget(self._details)
        if not self._versions:
            layout.addStretch(1)
            self.restore_button.hide()
        layout.addWidget(self._buttons)
        self.version_list.currentItemChanged.connect(self._show_selected)
        if self._versions:
            self.version_list.setCurrentItem(self.version_list.topLevelItem(0))
        self._show_selected()

    def _build_list(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setAccessibleName("Earlier versions")
        tree.setHeaderLabels(["Saved", "Label", "Differs from now"])
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = tree.header()
        header.setSectionResizeMode(SAVED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for number, version in enumerate(self._versions):
            differs = differing_fields(version, self._current, self._specs)
            item = QTreeWidgetItem(
                tree, [saved_text(version), version.label, ", ".join(differs) or "nothing"]
            )
            item.setData(SAVED, Qt.ItemDataRole.UserRole, number)
        tree.setVisible(bool(self._versions))
        return tree

    # -- the selected version ---------------------------------------------------------------

    def selected_version(self) -> IntegrationVersion | None:
        item = self.version_list.currentItem()
        if item is None:
            return None
        return self._versions[item.data(SAVED, Qt.ItemDataRole.UserRole)]

    def select_version(self, version_id: int) -> None:
        for number, version in enumerate(self._versions):
            if version.id == version_id:
                self.version_list.setCurrentItem(self.version_list.topLevelItem(number))

    def versions_shown(self) -> list[IntegrationVersion]:
        return list(self._versions)

    def _show_selected(self) -> None:
        while self._details_form.rowCount():
            self._details_form.removeRow(0)
        version = self.selected_version()
        self._details.setVisible(version is not None)
        self.restore_button.setEnabled(version is not None)
        if version is None:
            return
        heading = QLabel(f"<b>Saved {saved_text(version)}</b>", self._details)
        self._details_form.addRow(heading)
        self._details_form.addRow("Label", self._value_label(version.label, self._current.label))
        for spec in self._specs:
            old = getattr(version.credentials, spec.name)
            now = getattr(self._current.credentials, spec.name)
            if isinstance(old, SecretStr):
                self._details_form.addRow(spec.title, self._secret_cell(spec, old, old == now))
            else:
                self._details_form.addRow(spec.title, self._value_label(old, now))

    def _value_label(self, value: object, now: object) -> QLabel:
        text = "—" if value is None else str(value)
        if value != now:
            text = f"{text}   (now: {'—' if now is None else now})"
        label = QLabel(text, self._details)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if value != now:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        return label

    def _secret_cell(self, spec: FieldSpec, secret: SecretStr, same: bool) -> QWidget:
        """A masked secret, "changed" or "same as now", shown only when its eye is pressed."""
        cell = QWidget(self._details)
        line = QHBoxLayout(cell)
        line.setContentsMargins(0, 0, 0, 0)
        masked = f"{MASK}   ({'same as now' if same else 'changed'})"
        value = QLabel(masked, cell)
        value.setObjectName("versionSecret")
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        reveal = QToolButton(cell)
        reveal.setObjectName("versionReveal")
        reveal.setCheckable(True)
        reveal.setIcon(icon("eye"))
        reveal.setToolTip(f"Show this version's {spec.title.lower()}")
        reveal.setAccessibleName(f"Show {spec.title} of this version")

        def toggle(shown: bool) -> None:
            value.setText(secret.get_secret_value() if shown else masked)
            reveal.setIcon(icon("eye-off" if shown else "eye"))

        reveal.toggled.connect(toggle)
        line.addWidget(value, 1)
        line.addWidget(reveal)
        return cell

    def done(self, result: int) -> None:
        # The list emits a last "current item changed" while it is being destroyed; the
        # details it would rebuild are gone by then.
        self.version_list.currentItemChanged.disconnect(self._show_selected)
        super().done(result)

    # -- restoring --------------------------------------------------------------------------

    def restore_selected(self) -> Integration | None:
        """Ask, then make the selected version current; the restored integration, or None."""
        version = self.selected_version()
        if version is None:
            return None
        text = (
            f"Restore the version of “{self._current.label}” saved {saved_text(version)}?\n\n"
            "The current version is kept in the history, so you can come back to it."
        )
        if self._unsaved:
            text += f"\n\nYour unsaved changes ({', '.join(self._unsaved)}) will be discarded."
        answer = QMessageBox.question(
            self,
            "Restore version",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            restored = self._vault.restore_version(self._current.id, version.id)
        except UserFacingError as exc:
            show_failure(self, exc)
            return None
        self.version_restored.emit(restored)
        self.accept()
        return restored
