"""The encrypted vault file: what it stores, what it never shows, and how it refuses bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlcipher3

import app.vault as vault_module
from app import timefmt
from app.errors import (
    InvalidInput,
    NotAVault,
    UnknownIntegration,
    VaultClosed,
    VaultDamaged,
    VaultError,
    VaultExists,
    VaultMissing,
    WrongPassword,
)
from app.migrations import MIGRATIONS
from app.models import merge_credentials, parse_new
from app.vault import Vault
from providers.base import Category, Step, VerificationResult
from tests.conftest import (
    API_TIME,
    PASSWORD,
    R2_SECRET,
    ROOT,
    S3_KEY_ID,
    S3_SECRET,
    ZENDESK_TOKEN,
    r2_data,
    s3_data,
    zendesk_data,
)

PAGE_SIZE = 4096  # SQLCipher 4 default; the vault never changes it


def _fill(vault: Vault) -> list[str]:
    """Three integrations with distinctive labels; returns every label and secret used."""
    vault.add(parse_new(s3_data("acme-exports", label="Quokka Exports Bucket")))
    vault.add(parse_new(r2_data("acme-archive", label="Wombat Archive Bucket")))
    vault.add(parse_new(zendesk_data("acme", label="Platypus Help Center")))
    return [
        "Quokka Exports Bucket",
        "Wombat Archive Bucket",
        "Platypus Help Center",
        S3_SECRET,
        R2_SECRET,
        ZENDESK_TOKEN,
        S3_KEY_ID,
        "agent@acme.test",
    ]


def _files_near(vault_path: Path) -> list[Path]:
    """Every file in the vault's folder and below it (journals, backups, ...)."""
    return sorted(p for p in vault_path.parent.rglob("*") if p.is_file())


def _plaintext_found(vault_path: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(file name, needle) for every needle found in any file next to or below the vault."""
    hits = []
    for path in _files_near(vault_path):
        data = path.read_bytes()
        hits += [(path.name, n) for n in needles if n.encode("utf-8") in data]
    return hits


def _snapshot(path: Path) -> tuple[bytes, int, list[Path]]:
    return path.read_bytes(), path.stat().st_mtime_ns, _files_near(path)


# -- the file --------------------------------------------------------------------------


def test_new_vault_file_is_readable_only_by_its_owner(vault: Vault) -> None:
    """A new vault file has mode 0600."""
    assert stat.S_IMODE(vault.path.stat().st_mode) == 0o600


def test_vault_is_a_sqlcipher4_database_keyed_by_the_master_password(vault: Vault) -> None:
    """The file opens with SQLCipher 4 settings and the master password, and not without it."""
    vault.close()
    raw = sqlcipher3.connect(str(vault.path))
    raw.execute("PRAGMA cipher_compatibility = 4")
    raw.execute("PRAGMA key = '" + PASSWORD.replace("'", "''") + "'")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "integrations" in tables
    raw.close()

    plain = sqlite3.connect(vault.path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_new_vault_is_at_the_latest_schema_version(vault: Vault) -> None:
    """A new vault has run every numbered migration."""
    assert vault.schema_version == len(MIGRATIONS) >= 1


def test_file_holds_no_label_or_secret_in_clear(vault: Vault) -> None:
    """After adds, edits, checks and a delete, no label or secret appears in any file."""
    needles = _fill(vault)
    first = vault.rows()[0]
    renamed = vault.update(first.id, label="Echidna Renamed Label")
    vault.record_check(renamed.id, VerificationResult(True, Category.OK, "fine", 12))
    vault.delete(vault.rows()[-1].id)
    vault.close()

    assert len(_files_near(vault.path)) >= 1
    assert _plaintext_found(vault.path, [*needles, "Echidna Renamed Label"]) == []


def test_rollback_journal_holds_no_label_or_secret_in_clear(vault: Vault) -> None:
    """While a change is being written, the journal next to the vault is encrypted too."""
    needles = _fill(vault)
    vault.close()
    writer = sqlcipher3.connect(str(vault.path), isolation_level=None)
    writer.execute("PRAGMA key = '" + PASSWORD.replace("'", "''") + "'")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE integrations SET label = label || ' (changed)'")
    writer.execute("DELETE FROM integrations")
    try:
        journal = vault.path.with_name(vault.path.name + "-journal")
        assert journal.stat().st_size > 0
        assert _plaintext_found(vault.path, needles) == []
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_migration_backup_is_private_and_encrypted(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening an older vault backs it up (mode 0600, encrypted) and then migrates it."""
    needles = _fill(vault)
    vault.close()
    monkeypatch.setattr(vault_module, "MIGRATIONS", [*MIGRATIONS, ["CREATE TABLE later (x)"]])

    with Vault.open(vault.path, PASSWORD) as upgraded:
        assert upgraded.schema_version == len(MIGRATIONS) + 1
        assert len(upgraded.rows()) == 3

    backups = [p for p in _files_near(vault.path) if p != vault.path and p.suffix != ".lock"]
    assert backups
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in backups)
    assert _plaintext_found(vault.path, needles) == []
    for copy in backups:
        with Vault.open(copy, PASSWORD) as old:
            assert len(old.rows()) == 3
            assert old.schema_version in (len(MIGRATIONS), len(MIGRATIONS) + 1)


def test_vault_from_a_newer_version_is_refused_untouched(vault: Vault) -> None:
    """A vault with a schema newer than this program knows is refused and left as it is."""
    vault.close()
    raw = sqlcipher3.connect(str(vault.path), isolation_level=None)
    raw.execute("PRAGMA key = '" + PASSWORD.replace("'", "''") + "'")
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    before = _snapshot(vault.path)

    with pytest.raises(NotAVault, match="newer version"):
        Vault.open(vault.path, PASSWORD)
    assert _snapshot(vault.path) == before


# -- opening ---------------------------------------------------------------------------


def test_reopened_vault_returns_what_was_stored(vault: Vault) -> None:
    """Closing and reopening with the password gives back the same integrations."""
    _fill(vault)
    before = {i: vault.get(i) for i in vault.ids()}
    vault.close()

    with Vault.open(vault.path, PASSWORD) as again:
        after = {i: again.get(i) for i in again.ids()}
    assert after == before
    assert after[next(iter(after))].credentials.to_wire()["secretAccessKey"] == S3_SECRET


def test_wrong_password_is_refused_and_writes_nothing(vault: Vault) -> None:
    """A wrong password says 'wrong master password' and leaves the file bytes and mtime alone."""
    _fill(vault)
    vault.close()
    before = _snapshot(vault.path)

    with pytest.raises(WrongPassword, match=r"^wrong master password$"):
        Vault.open(vault.path, "not the password")
    assert _snapshot(vault.path) == before


def test_wrong_password_prints_no_sqlcipher_log_lines(vault: Vault, tmp_path: Path) -> None:
    """Opening with a wrong password in a fresh process puts nothing of SQLCipher's on stderr."""
    vault.close()
    script = (
        "import sys\n"
        "from app.vault import Vault\n"
        "from app.errors import VaultError\n"
        "try:\n"
        "    Vault.open(sys.argv[1], 'not the password')\n"
        "except VaultError as exc:\n"
        "    print(exc, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(vault.path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr.splitlines() == ["wrong master password"]


def test_missing_vault_says_so(tmp_path: Path) -> None:
    """Opening a path with no file says there is no vault and how to make one."""
    with pytest.raises(VaultMissing, match="integration-vault init"):
        Vault.open(tmp_path / "nothing-here.db", PASSWORD)
    assert not (tmp_path / "nothing-here.db").exists()


def test_create_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    """Creating a vault where a file exists is refused and the file is unchanged."""
    path = tmp_path / "precious.db"
    path.write_bytes(b"someone's data")

    with pytest.raises(VaultExists):
        Vault.create(path, PASSWORD)
    assert path.read_bytes() == b"someone's data"


def _empty(path: Path, vault_bytes: bytes) -> None:
    path.write_bytes(b"")


def _plain_sqlite(path: Path, vault_bytes: bytes) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text)")
    db.commit()
    db.close()


def _random_pages(path: Path, vault_bytes: bytes) -> None:
    path.write_bytes(os.urandom(4 * PAGE_SIZE))


def _cut_mid_page(path: Path, vault_bytes: bytes) -> None:
    path.write_bytes(vault_bytes[: 2 * PAGE_SIZE + 1000])


def _cut_at_page(path: Path, vault_bytes: bytes) -> None:
    path.write_bytes(vault_bytes[: 2 * PAGE_SIZE])


def _other_program(path: Path, vault_bytes: bytes) -> None:
    db = sqlcipher3.connect(str(path))
    db.execute("PRAGMA key = '" + PASSWORD.replace("'", "''") + "'")
    db.execute("CREATE TABLE notes (text)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "make",
    [
        _empty,
        _plain_sqlite,
        _cut_mid_page,
        _cut_at_page,
        _other_program,
    ],
    ids=["empty", "plain-sqlite", "truncated", "truncated-at-page", "other-db"],
)
def test_file_that_is_not_a_vault_says_so(vault: Vault, tmp_path: Path, make) -> None:
    """A file that is not a whole vault is named as such, not blamed on the password."""
    _fill(vault)
    vault.close()
    path = tmp_path / "suspect.db"
    make(path, vault.path.read_bytes())
    before = path.read_bytes()

    with pytest.raises(VaultError) as caught:
        Vault.open(path, PASSWORD)
    assert isinstance(caught.value, NotAVault | VaultDamaged), str(caught.value)
    assert "wrong master password" not in str(caught.value)
    assert path.read_bytes() == before


def test_random_bytes_are_refused_like_a_wrong_password(tmp_path: Path) -> None:
    """A file of random bytes is refused with 'wrong master password' and left untouched.

    An encrypted vault is, by design, indistinguishable from random data without the right
    password, so this is the most honest answer the app can give.
    """
    path = tmp_path / "noise.db"
    _random_pages(path, b"")
    before = path.read_bytes()

    with pytest.raises(WrongPassword):
        Vault.open(path, PASSWORD)
    assert path.read_bytes() == before


def test_tampered_vault_is_reported_as_damaged(vault: Vault) -> None:
    """A vault with one modified byte on any page reads fine or says 'damaged', not the password."""
    _fill(vault)
    ids = vault.ids()
    vault.close()
    original = vault.path.read_bytes()

    outcomes = []
    for page in range(len(original) // PAGE_SIZE):
        tampered = bytearray(original)
        tampered[page * PAGE_SIZE + 200] ^= 0xFF
        vault.path.write_bytes(bytes(tampered))
        try:
            with Vault.open(vault.path, PASSWORD) as opened:
                opened.rows()
                for integration_id in ids:
                    opened.get(integration_id)
                    opened.history(integration_id)
            outcomes.append("read")
        except VaultDamaged:
            outcomes.append("damaged")
        except Exception as exc:  # any other error is the failure this test looks for
            outcomes.append(f"{type(exc).__name__}: {exc}")
    assert set(outcomes) <= {"read", "damaged"}, outcomes
    assert "damaged" in outcomes


# -- integrations ----------------------------------------------------------------------


def test_added_integration_has_uuid4_and_api_timestamps(vault: Vault) -> None:
    """A new integration gets a UUID4 id and createdAt = updatedAt in ISO-8601 UTC ms Z form."""
    added = vault.add(parse_new(zendesk_data()))

    assert uuid.UUID(added.id).version == 4
    assert (added.label, added.provider, added.platform) == (
        "Acme help center",
        "zendesk",
        "helpcenter",
    )
    created = timefmt.to_api(added.created_at)
    assert API_TIME.match(created)
    assert created == timefmt.to_api(added.updated_at)
    assert abs((timefmt.now() - added.created_at).total_seconds()) < 60


def test_label_edit_moves_updated_at_and_keeps_credentials(vault: Vault) -> None:
    """Renaming changes the label and updatedAt only; createdAt and secrets stay."""
    added = vault.add(parse_new(s3_data("acme-exports")))

    time.sleep(0.01)
    renamed = vault.update(added.id, label="  Renamed   bucket ")
    assert renamed.label == "Renamed bucket"
    assert renamed.created_at == added.created_at
    assert renamed.updated_at > added.updated_at
    assert renamed.credentials == added.credentials


def test_credential_edit_keeps_other_secrets(vault: Vault) -> None:
    """Changing one field of stored credentials leaves the secret as it was."""
    added = vault.add(parse_new(s3_data("acme-exports")))

    changed = merge_credentials(added.credentials, {"bucket": "acme-other"})
    updated = vault.update(added.id, credentials=changed)
    wire = updated.credentials.to_wire()
    assert wire["bucket"] == "acme-other"
    assert wire["secretAccessKey"] == S3_SECRET
    assert wire["accessKeyId"] == S3_KEY_ID


def test_empty_label_is_refused_on_edit(vault: Vault) -> None:
    """An edit that empties the label names the field 'label' and changes nothing."""
    added = vault.add(parse_new(zendesk_data()))

    with pytest.raises(InvalidInput) as caught:
        vault.update(added.id, label="   ")
    assert [p.field for p in caught.value.problems] == ["label"]
    assert vault.get(added.id).label == added.label


def test_deleted_integration_is_gone_with_its_checks(vault: Vault) -> None:
    """After delete, the id is unknown and its check history is empty."""
    added = vault.add(parse_new(zendesk_data()))
    vault.record_check(added.id, VerificationResult(False, Category.AUTH, "no", 5))

    vault.delete(added.id)
    assert vault.rows() == []
    assert vault.history(added.id) == []
    with pytest.raises(UnknownIntegration):
        vault.get(added.id)
    with pytest.raises(UnknownIntegration):
        vault.delete(added.id)


def test_unknown_id_is_named_in_the_error(vault: Vault) -> None:
    """Asking for an id that does not exist names that id."""
    with pytest.raises(UnknownIntegration, match="no-such-id"):
        vault.get("no-such-id")


def test_rows_show_the_latest_check_and_history_is_newest_first(vault: Vault) -> None:
    """The list row carries the last check; the history lists checks newest first, with steps."""
    added = vault.add(parse_new(zendesk_data()))
    older = timefmt.from_api("2024-02-26T16:24:18.676Z")
    vault.record_check(added.id, VerificationResult(False, Category.AUTH, "first", 7), older)
    step = Step("reach host", True, 3, "HTTP 200")
    vault.record_check(added.id, VerificationResult(True, Category.OK, "second", 9, (step,)))

    (row,) = vault.rows()
    assert row.last_check is not None
    assert (row.last_check.ok, row.last_check.category, row.last_check.message) == (
        True,
        "ok",
        "second",
    )
    history = vault.history(added.id)
    assert [c.message for c in history] == ["second", "first"]
    assert history[0].steps == (step,)
    assert timefmt.to_api(history[1].checked_at) == "2024-02-26T16:24:18.676Z"


def test_rows_are_sorted_by_label_ignoring_case(vault: Vault) -> None:
    """The list is in label order, whatever the case."""
    for label in ("beta", "Alpha", "gamma"):
        vault.add(parse_new(zendesk_data(label=label)))

    assert [r.label for r in vault.rows()] == ["Alpha", "beta", "gamma"]


def test_a_closed_vault_says_it_is_locked_instead_of_crashing(vault: Vault) -> None:
    """Work that reaches a vault after it was closed (a lock) gets a clear VaultClosed."""
    vault.close()
    with pytest.raises(VaultClosed, match="is locked; unlock it first"):
        vault.rows()
    vault.close()  # closing twice stays harmless
