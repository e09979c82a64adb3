"""File › Import, Export, Back up and Restore in the window, through the real dialogs."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app import transfer
from app.vault import Vault
from tests.ui.conftest import PASSWORD, SECRET_KEY, add_s3, add_zendesk, open_window
from ui.import_preview import BackupPasswordDialog, ImportPreviewDialog
from ui.main_window import MainWindow


@pytest.fixture
def shown(qtbot: QtBot, vault: Vault, qasync_loop: object) -> MainWindow:
    add_s3(vault)
    add_zendesk(vault)
    return open_window(qtbot, vault)


def answer_save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(path), ""))


def click_in_next_box(label: str) -> None:
    """Press the button called ``label`` in the message box about to open."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        (button,) = [b for b in box.buttons() if b.text() == label]
        button.click()

    QTimer.singleShot(0, press)


def test_file_menu_offers_import_export_backup_and_restore(shown: MainWindow) -> None:
    """The File menu lists Import…, Export…, Back up… and Restore from backup…."""
    texts = [action.text().replace("&", "") for action in shown.menu("File").actions()]
    for wanted in ("Import…", "Export…", "Back up…", "Restore from backup…"):
        assert wanted in texts


def test_redacted_export_shows_only_the_last_four_of_each_secret(
    qtbot: QtBot, shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export › Redacted writes every integration with secrets cut to their last 4."""
    target = tmp_path / "ticket.json"
    answer_save_dialog(monkeypatch, target)
    done: list[int] = []
    monkeypatch.setattr(shown.transfers, "export_to", lambda p, r: done.append(r) or None)

    click_in_next_box("Redacted…")
    shown.transfers.export_action.trigger()
    assert done == [True]

    task = type(shown.transfers).export_to(shown.transfers, target, True)
    qtbot.waitUntil(task.done, timeout=5_000)
    assert task.result() == 2
    text = target.read_text()
    assert SECRET_KEY not in text
    assert SECRET_KEY[-4:] in text
    assert "Exported 2 integration(s)" in shown.statusBar().currentMessage()


def test_plaintext_export_warns_first_and_writes_an_owner_only_file(
    qtbot: QtBot, shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export › Plaintext warns about secrets in clear; after OK the file is owner-only."""
    target = tmp_path / "all.json"
    answer_save_dialog(monkeypatch, target)
    warned: list[str] = []

    def warning(_parent: object, title: str, text: str, *_args: object) -> object:
        warned.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    click_in_next_box("Plaintext…")
    shown.transfers.export_action.trigger()

    assert warned and "every secret in clear" in warned[0]
    qtbot.waitUntil(target.exists, timeout=5_000)
    qtbot.waitUntil(lambda: "Exported" in shown.statusBar().currentMessage(), timeout=5_000)
    assert SECRET_KEY in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cancelling_the_plaintext_warning_writes_nothing(
    shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel on the plaintext warning leaves no file behind."""
    target = tmp_path / "all.json"
    answer_save_dialog(monkeypatch, target)
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: QMessageBox.StandardButton.Cancel)
    click_in_next_box("Plaintext…")
    shown.transfers.export_action.trigger()
    assert not target.exists()


def test_import_previews_each_record_and_adds_only_the_new_ones(
    qtbot: QtBot, shown: MainWindow, vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Import shows new, duplicate and invalid records; Import adds the new ones to the list."""
    source = tmp_path / "in.json"
    records = transfer.export_records([vault.get(i) for i in vault.ids()], redacted=False)
    records.append(
        {
            "label": "Initech help center",
            "provider": "zendesk",
            "credentials": {"subdomain": "initech", "username": "a@initech.com", "token": "t-1"},
        }
    )
    records.append({"label": "Broken", "provider": "s3", "credentials": {"bucket": "Bad_Name"}})
    source.write_text(json.dumps(records))
    seen: list[list[str]] = []

    def look_and_accept(dialog: ImportPreviewDialog) -> int:
        seen.append([dialog.status_of(row) for row in range(dialog.table.rowCount())])
        assert dialog.import_button.text() == "Import 1"
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", look_and_accept)
    with qtbot.waitSignal(shown.transfers.integrations_imported, timeout=5_000) as imported:
        shown.transfers.import_from(source)

    assert imported.args == [1]
    (statuses,) = seen
    assert all(text.startswith("Skipped: same provider, label") for text in statuses[:2])
    assert statuses[2] == "Will be added"
    assert statuses[3].startswith("Cannot import:") and "bucket" in statuses[3]
    assert "Initech help center" in shown.listing.shown_labels()
    assert len(vault.ids()) == 3


def test_cancelling_the_preview_adds_nothing(
    qtbot: QtBot, shown: MainWindow, vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel in the import preview leaves the vault as it was."""
    source = tmp_path / "in.json"
    data = {"subdomain": "initech", "username": "a@initech.com", "token": "t-1"}
    source.write_text(json.dumps([{"label": "New", "provider": "zendesk", "credentials": data}]))
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda _self: 0)

    task = shown.transfers.import_from(source)
    qtbot.waitUntil(task.done, timeout=5_000)

    assert task.result() is None
    assert len(vault.ids()) == 2


def test_a_backup_imports_into_another_vault_after_asking_its_password(
    qtbot: QtBot, shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back up writes an encrypted copy; importing it elsewhere asks for its password."""
    backup = tmp_path / "copy.ivb"
    task = shown.transfers.back_up_to(backup, PASSWORD)
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() is True
    assert SECRET_KEY.encode() not in backup.read_bytes()

    shown.close()
    other = Vault.create(tmp_path / "other.db", PASSWORD)
    second = open_window(qtbot, other)
    asked: list[str] = []

    def get_text(_parent: object, title: str, label: str, *_args: object) -> tuple[str, bool]:
        asked.append(label)
        return PASSWORD, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda _self: 1)
    with qtbot.waitSignal(second.transfers.integrations_imported, timeout=10_000) as imported:
        second.transfers.import_from(backup)

    assert asked and "encrypted backup" in asked[0]
    assert imported.args == [2]


def test_restore_makes_a_new_vault_file_and_says_how_to_open_it(
    qtbot: QtBot, shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Restore from backup creates the named vault from the backup and tells where it is."""
    backup = tmp_path / "copy.ivb"
    task = shown.transfers.back_up_to(backup, "backup's own password")
    qtbot.waitUntil(task.done, timeout=10_000)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: told.append(text))

    target = tmp_path / "restored.db"
    task = shown.transfers.restore_to(backup, target, "backup's own password")
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result() == 2
    assert told and str(target) in told[0]
    with Vault.open(target, "backup's own password") as restored:
        assert len(restored.ids()) == 2


def test_a_failed_restore_is_shown_and_creates_nothing(
    qtbot: QtBot, shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong backup password is reported, and no vault file appears."""
    backup = tmp_path / "copy.ivb"
    task = shown.transfers.back_up_to(backup, PASSWORD)
    qtbot.waitUntil(task.done, timeout=10_000)
    shown_errors: list[str] = []
    monkeypatch.setattr(
        "ui.transfer_actions.show_failure", lambda _w, exc: shown_errors.append(str(exc))
    )

    target = tmp_path / "restored.db"
    task = shown.transfers.restore_to(backup, target, "not the password")
    qtbot.waitUntil(task.done, timeout=10_000)

    assert task.result() is None
    assert shown_errors and "wrong password for the backup" in shown_errors[0]
    assert not target.exists()


def test_backup_password_dialog_refuses_two_different_passwords(qtbot: QtBot) -> None:
    """Two different backup passwords are refused beside the fields."""
    dialog = BackupPasswordDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "a long backup passphrase")
    qtbot.keyClicks(dialog.repeat, "a long backup passphrase!")

    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error.text() == "The two passwords do not match."


def test_a_wrong_backup_password_is_asked_again_in_the_window(
    qtbot: QtBot, shown: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped backup password asks again (saying why); the right one then imports."""
    backup = tmp_path / "copy.ivb"
    task = shown.transfers.back_up_to(backup, PASSWORD)
    qtbot.waitUntil(task.done, timeout=10_000)
    shown.close()
    other = Vault.create(tmp_path / "other.db", PASSWORD)
    second = open_window(qtbot, other)
    typed = iter(["not it", PASSWORD])
    asked: list[str] = []

    def get_text(_parent: object, _title: str, label: str, *_args: object) -> tuple[str, bool]:
        asked.append(label)
        return next(typed), True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(ImportPreviewDialog, "exec", lambda _self: 1)
    with qtbot.waitSignal(second.transfers.integrations_imported, timeout=10_000) as imported:
        second.transfers.import_from(backup)

    assert len(asked) == 2 and asked[1].startswith("That password did not open it.")
    assert imported.args == [2]
