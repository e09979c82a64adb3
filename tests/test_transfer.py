"""Export, encrypted backup, restore and import of integrations (app.transfer), every provider."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from app import transfer
from app.errors import OutputExists, UserFacingError, VaultExists, WrongPassword
from app.models import parse_new
from app.vault import Vault
from tests.conftest import (
    PASSWORD,
    R2_SECRET,
    S3_SECRET,
    ZENDESK_TOKEN,
    r2_data,
    s3_data,
    zendesk_data,
)

INTERCOM_TOKEN = "dG9rOmFjbWUtaW50ZXJjb20tdG9rZW4tMDAwMDAwMDAwMDA="
HELPSCOUT_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
HELPJUICE_KEY = "6f1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c"
FRESHDESK_KEY = "Ab12Cd34Ef56Gh78Ij90"
KNOWLEDGEOWL_KEY = "5b8f0e1d2c3b4a5968778695a4b3c2d1"
KNOWLEDGEOWL_PROJECT = "5f2a9c0d8e7b6a5f4e3d2c1b"
BACKUP_PASSWORD = "a different passphrase for the backup"

# One valid integration per provider, with a distinctive label and its one secret.
EXAMPLES: dict[str, dict[str, Any]] = {
    "s3": s3_data("acme-exports", label="Quokka exports"),
    "r2": r2_data("acme-archive", label="Wombat archive"),
    "zendesk": zendesk_data(label="Platypus help center"),
    "intercom": {
        "label": "Echidna messenger",
        "provider": "intercom",
        "credentials": {"accessToken": INTERCOM_TOKEN, "region": "eu"},
    },
    "helpscout": {
        "label": "Numbat docs",
        "provider": "helpscout",
        "credentials": {"apiKey": HELPSCOUT_KEY},
    },
    "helpjuice": {
        "label": "Bilby knowledge base",
        "provider": "helpjuice",
        "credentials": {"subdomain": "acme", "apiKey": HELPJUICE_KEY},
    },
    "freshdesk": {
        "label": "Wallaby helpdesk",
        "provider": "freshdesk",
        "credentials": {"subdomain": "acme", "apiKey": FRESHDESK_KEY},
    },
    "knowledgeowl": {
        "label": "Dingo owl",
        "provider": "knowledgeowl",
        "credentials": {"apiKey": KNOWLEDGEOWL_KEY, "projectId": KNOWLEDGEOWL_PROJECT},
    },
}
SECRETS: dict[str, str] = {
    "s3": S3_SECRET,
    "r2": R2_SECRET,
    "zendesk": ZENDESK_TOKEN,
    "intercom": INTERCOM_TOKEN,
    "helpscout": HELPSCOUT_KEY,
    "helpjuice": HELPJUICE_KEY,
    "freshdesk": FRESHDESK_KEY,
    "knowledgeowl": KNOWLEDGEOWL_KEY,
}
# The same providers with their optional fields left out.
WITHOUT_OPTIONALS: dict[str, dict[str, Any]] = {
    "intercom-no-region": {
        "label": "Echidna, default region",
        "provider": "intercom",
        "credentials": {"accessToken": INTERCOM_TOKEN},
    },
    "knowledgeowl-no-project": {
        "label": "Dingo, every project",
        "provider": "knowledgeowl",
        "credentials": {"apiKey": KNOWLEDGEOWL_KEY},
    },
}


def fill(vault: Vault, *items: dict[str, Any]) -> list[str]:
    """Add integrations (every provider's example by default); returns their ids."""
    return [vault.add(parse_new(data)).id for data in (items or EXAMPLES.values())]


def contents(vault: Vault) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(label, provider, platform, wire credentials) of everything stored, in label order."""
    found = [vault.get(i) for i in vault.ids()]
    return sorted((i.label, i.provider, i.platform, i.credentials.to_wire()) for i in found)


def expected(*items: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """What ``contents`` gives for a vault holding exactly ``items``."""
    parsed = [parse_new(data) for data in items]
    return sorted((n.label, n.provider, n.platform, n.credentials.to_wire()) for n in parsed)


def import_file(vault: Vault, path: Path, password: str | None = None) -> int:
    """Import everything new from an export or backup, as the CLI does after its preview."""
    plan = transfer.plan_import(vault, transfer.read_import(path, password))
    return transfer.apply_import(vault, plan)


@pytest.fixture
def second(tmp_path: Path) -> Vault:
    """Another new, empty vault, to import into."""
    with Vault.create(tmp_path / "second" / "vault.db", PASSWORD) as opened:
        yield opened


# -- plaintext export ------------------------------------------------------------------


def test_plaintext_export_is_the_api_json_shape_with_secrets_in_clear(
    vault: Vault, tmp_path: Path
) -> None:
    """The plaintext export is a list of {label, platform, provider, credentials}."""
    fill(vault)
    out = tmp_path / "export.json"

    assert transfer.export_to(vault, out, redacted=False) == len(EXAMPLES)
    records = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(records, list)
    assert all(set(r) == {"label", "platform", "provider", "credentials"} for r in records)
    by_provider = {r["provider"]: r for r in records}
    assert set(by_provider) == set(EXAMPLES)
    for name, data in EXAMPLES.items():
        record = by_provider[name]
        assert record["label"] == data["label"]
        assert record["platform"] == parse_new(data).platform
        assert record["credentials"] == parse_new(data).credentials.to_wire()
        assert SECRETS[name] in json.dumps(record)


def test_plaintext_export_file_is_readable_by_its_owner_only(vault: Vault, tmp_path: Path) -> None:
    """The plaintext export file is created with mode 0600."""
    fill(vault)
    out = tmp_path / "export.json"
    transfer.export_to(vault, out, redacted=False)

    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_plaintext_export_never_overwrites_an_existing_file(vault: Vault, tmp_path: Path) -> None:
    """Exporting onto an existing file is refused and the file keeps its bytes."""
    fill(vault)
    out = tmp_path / "notes.txt"
    out.write_text("my own notes\n", encoding="utf-8")

    with pytest.raises(OutputExists) as caught:
        transfer.export_to(vault, out, redacted=False)
    assert "refusing to overwrite" in str(caught.value)
    assert out.read_text(encoding="utf-8") == "my own notes\n"


# -- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    list(EXAMPLES.values()) + list(WITHOUT_OPTIONALS.values()),
    ids=list(EXAMPLES) + list(WITHOUT_OPTIONALS),
)
def test_export_then_import_gives_back_the_same_integration(
    vault: Vault, second: Vault, tmp_path: Path, data: dict[str, Any]
) -> None:
    """An integration exported in plaintext and imported elsewhere has the same fields."""
    fill(vault, data)
    out = tmp_path / "export.json"
    transfer.export_to(vault, out, redacted=False)

    assert import_file(second, out) == 1
    assert contents(second) == expected(data)
    (new_id,) = second.ids()
    assert second.get(new_id).credentials == vault.get(vault.ids()[0]).credentials


def test_every_provider_survives_a_round_trip_through_an_encrypted_backup(
    vault: Vault, second: Vault, tmp_path: Path
) -> None:
    """Importing an encrypted backup with its password brings back every provider intact."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, BACKUP_PASSWORD)

    assert import_file(second, backup, BACKUP_PASSWORD) == len(EXAMPLES)
    assert contents(second) == expected(*EXAMPLES.values())


def test_importing_the_same_export_twice_adds_nothing_the_second_time(
    vault: Vault, second: Vault, tmp_path: Path
) -> None:
    """A second import of the same file finds every record a duplicate and adds none."""
    fill(vault)
    out = tmp_path / "export.json"
    transfer.export_to(vault, out, redacted=False)
    import_file(second, out)

    plan = transfer.plan_import(second, transfer.read_import(out, None))
    assert [item.status for item in plan] == ["duplicate"] * len(EXAMPLES)
    assert transfer.apply_import(second, plan) == 0
    assert len(second.ids()) == len(EXAMPLES)


# -- redacted export -------------------------------------------------------------------


def test_redacted_export_shows_only_the_last_four_characters_of_each_secret(
    vault: Vault, tmp_path: Path
) -> None:
    """The redacted export keeps every other field and shows each secret as '…' + last 4."""
    fill(vault)
    out = tmp_path / "for-support.json"
    transfer.export_to(vault, out, redacted=True)

    text = out.read_text(encoding="utf-8")
    assert [s for s in SECRETS.values() if s in text] == []
    by_provider = {r["provider"]: r for r in json.loads(text)}
    for name, data in EXAMPLES.items():
        wire = parse_new(data).credentials.to_wire()
        secret_field = next(k for k, v in wire.items() if v == SECRETS[name])
        record = by_provider[name]
        assert record["label"] == data["label"]
        assert record["credentials"][secret_field] == "…" + SECRETS[name][-4:]
        others = {k: v for k, v in wire.items() if k != secret_field}
        assert {k: v for k, v in record["credentials"].items() if k != secret_field} == others
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_redacted_export_hides_a_short_secret_completely(vault: Vault, tmp_path: Path) -> None:
    """A secret of 8 characters or fewer shows as '…' alone, not half of it."""
    short = "Zq8Rw2Lk"
    fill(
        vault,
        {
            "label": "Short key",
            "provider": "freshdesk",
            "credentials": {"subdomain": "acme", "apiKey": short},
        },
    )
    out = tmp_path / "for-support.json"
    transfer.export_to(vault, out, redacted=True)

    (record,) = json.loads(out.read_text(encoding="utf-8"))
    assert record["credentials"]["apiKey"] == "…"
    assert short[-4:] not in out.read_text(encoding="utf-8")


def test_importing_a_redacted_export_adds_no_integration(
    vault: Vault, second: Vault, tmp_path: Path
) -> None:
    """A redacted export imported by mistake is refused record by record, not stored."""
    fill(vault)
    out = tmp_path / "for-support.json"
    transfer.export_to(vault, out, redacted=True)

    plan = transfer.plan_import(second, transfer.read_import(out, None))
    assert [item.status for item in plan] == ["invalid"] * len(EXAMPLES)
    assert transfer.apply_import(second, plan) == 0
    assert second.ids() == []


# -- encrypted backup and restore ------------------------------------------------------


def test_backup_file_holds_no_label_or_secret_in_clear(vault: Vault, tmp_path: Path) -> None:
    """The backup is encrypted: no label, secret or SQLite header is readable in its bytes."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, PASSWORD)

    data = backup.read_bytes()
    needles = [d["label"] for d in EXAMPLES.values()] + list(SECRETS.values())
    assert [n for n in needles if n.encode("utf-8") in data] == []
    assert not data.startswith(b"SQLite format 3")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_backup_under_its_own_password_opens_only_with_that_password(
    vault: Vault, tmp_path: Path
) -> None:
    """A backup made with its own password opens with it, and not with the master password."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, BACKUP_PASSWORD)

    with pytest.raises(WrongPassword):
        Vault.open(backup, PASSWORD)
    with Vault.open(backup, BACKUP_PASSWORD) as opened:
        assert contents(opened) == expected(*EXAMPLES.values())


def test_backup_never_overwrites_an_existing_file(vault: Vault, tmp_path: Path) -> None:
    """A backup onto an existing file is refused and the file keeps its bytes."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    backup.write_bytes(b"precious")

    with pytest.raises(OutputExists):
        transfer.backup_to(vault, backup, PASSWORD)
    assert backup.read_bytes() == b"precious"


def test_backup_without_a_password_is_refused_and_leaves_no_file(
    vault: Vault, tmp_path: Path
) -> None:
    """An empty backup password is refused before any file is written."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"

    with pytest.raises(UserFacingError, match="password"):
        transfer.backup_to(vault, backup, "")
    assert not backup.exists()


def test_restore_creates_a_vault_with_everything_from_the_backup(
    vault: Vault, tmp_path: Path
) -> None:
    """Restoring a backup makes a new vault that opens with the backup's password."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, BACKUP_PASSWORD)
    target = tmp_path / "restored" / "vault.db"

    assert transfer.restore_from(backup, target, BACKUP_PASSWORD) == len(EXAMPLES)
    with Vault.open(target, BACKUP_PASSWORD) as restored:
        assert contents(restored) == expected(*EXAMPLES.values())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_restore_refuses_to_overwrite_an_existing_vault(vault: Vault, tmp_path: Path) -> None:
    """Restoring onto an existing vault is refused and that vault keeps its integrations."""
    fill(vault, EXAMPLES["s3"])
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, PASSWORD)
    vault.add(parse_new(EXAMPLES["zendesk"]))
    vault.close()
    before = vault.path.read_bytes()

    with pytest.raises(VaultExists):
        transfer.restore_from(backup, vault.path, PASSWORD)
    assert vault.path.read_bytes() == before
    with Vault.open(vault.path, PASSWORD) as kept:
        assert contents(kept) == expected(EXAMPLES["s3"], EXAMPLES["zendesk"])


def test_restore_with_a_wrong_password_creates_nothing(vault: Vault, tmp_path: Path) -> None:
    """A restore with the wrong backup password says so and leaves no vault behind."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, BACKUP_PASSWORD)
    target = tmp_path / "restored" / "vault.db"

    with pytest.raises(WrongPassword):
        transfer.restore_from(backup, target, PASSWORD)
    assert not target.exists()


def test_restore_leaves_the_backup_folder_as_it_was(vault: Vault, tmp_path: Path) -> None:
    """Restoring reads the backup only: nothing new appears in the backup's folder."""
    fill(vault)
    shelf = tmp_path / "usb-stick"
    shelf.mkdir()
    backup = shelf / "vault-backup.db"
    transfer.backup_to(vault, backup, PASSWORD)
    before = sorted(p.name for p in shelf.iterdir())

    transfer.restore_from(backup, tmp_path / "restored.db", PASSWORD)
    assert sorted(p.name for p in shelf.iterdir()) == before


# -- import preview and validation -----------------------------------------------------


def test_import_preview_names_new_duplicate_and_invalid_records(
    vault: Vault, tmp_path: Path
) -> None:
    """The preview marks each record new, duplicate or invalid (with the field), writing nothing."""
    fill(vault, EXAMPLES["s3"])
    broken = {**EXAMPLES["zendesk"], "credentials": {"subdomain": "acme"}}
    records = [
        EXAMPLES["s3"],  # already in the vault
        EXAMPLES["helpscout"],
        broken,
        "not an object",
        EXAMPLES["helpscout"],  # twice in the same file
    ]
    source = tmp_path / "import.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    before = vault.ids()

    plan = transfer.plan_import(vault, transfer.read_import(source, None))
    assert [(i.position, i.status) for i in plan] == [
        (1, "duplicate"),
        (2, "new"),
        (3, "invalid"),
        (4, "invalid"),
        (5, "duplicate"),
    ]
    assert plan[2].label == broken["label"]
    assert "credentials.username" in plan[2].reason
    assert "credentials.token" in plan[2].reason
    assert vault.ids() == before


def test_one_bad_record_is_named_and_the_rest_are_imported(vault: Vault, tmp_path: Path) -> None:
    """A record with a bad field is reported by position and label; the others still go in."""
    bad = {**EXAMPLES["freshdesk"], "credentials": {"subdomain": "acme.evil.test", "apiKey": "k"}}
    good = [EXAMPLES["zendesk"], EXAMPLES["intercom"], EXAMPLES["knowledgeowl"]]
    source = tmp_path / "import.json"
    source.write_text(json.dumps([good[0], bad, *good[1:]]), encoding="utf-8")

    plan = transfer.plan_import(vault, transfer.read_import(source, None))
    (invalid,) = [item for item in plan if item.status == "invalid"]
    assert (invalid.position, invalid.label) == (2, bad["label"])
    assert "credentials.subdomain" in invalid.reason
    assert transfer.apply_import(vault, plan) == 3
    assert contents(vault) == expected(*good)


def test_duplicates_are_same_provider_label_and_key_id(vault: Vault) -> None:
    """Same provider, label (any case) and key id is a duplicate; another key or label is new."""
    fill(vault, EXAMPLES["s3"])
    other_key = {**EXAMPLES["s3"]["credentials"], "accessKeyId": "AKIAIOSFODNN7OTHERKEY"}
    records = [
        {**EXAMPLES["s3"], "label": "  QUOKKA   exports "},
        {**EXAMPLES["s3"], "credentials": other_key},
        {**EXAMPLES["s3"], "label": "Quokka exports (copy)"},
    ]

    plan = transfer.plan_import(vault, records)
    assert [item.status for item in plan] == ["duplicate", "new", "new"]
    assert "same provider, label and key" in plan[0].reason


def test_import_accepts_an_object_holding_an_integrations_list(
    vault: Vault, tmp_path: Path
) -> None:
    """A JSON object with an 'integrations' list imports like a bare list."""
    source = tmp_path / "import.json"
    payload = {"integrations": [EXAMPLES["helpjuice"], EXAMPLES["r2"]]}
    source.write_text(json.dumps(payload), encoding="utf-8")

    assert import_file(vault, source) == 2
    assert contents(vault) == expected(EXAMPLES["helpjuice"], EXAMPLES["r2"])


def test_import_of_broken_json_says_it_is_not_valid_json(vault: Vault, tmp_path: Path) -> None:
    """A file that starts like JSON but does not parse is refused by name; nothing is added."""
    source = tmp_path / "import.json"
    source.write_text('[{"label": "half', encoding="utf-8")

    with pytest.raises(UserFacingError, match="not valid JSON"):
        transfer.read_import(source, None)
    assert vault.ids() == []


def test_import_of_a_backup_with_a_wrong_password_is_refused(
    vault: Vault, second: Vault, tmp_path: Path
) -> None:
    """Importing an encrypted backup with the wrong password says so and adds nothing."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, BACKUP_PASSWORD)

    with pytest.raises(WrongPassword):
        transfer.read_import(backup, PASSWORD)
    assert second.ids() == []


def test_import_of_a_file_that_is_neither_export_nor_backup_says_so(tmp_path: Path) -> None:
    """Importing a CSV says it is not an export or backup, not that a vault is damaged."""
    source = tmp_path / "integrations.csv"
    source.write_text("label,provider\nAcme,zendesk\n", encoding="utf-8")

    with pytest.raises(UserFacingError) as caught:
        transfer.read_import(source, PASSWORD)
    assert "damaged" not in str(caught.value)
    assert str(source) in str(caught.value)


def test_reading_a_backup_keeps_no_automatic_copy_of_it(
    vault: Vault, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Restoring or importing a backup opens a private copy that makes no copies of itself."""
    fill(vault)
    backup = tmp_path / "vault-backup.db"
    transfer.backup_to(vault, backup, BACKUP_PASSWORD)
    caplog.set_level("INFO", logger="app.backups")

    transfer.restore_from(backup, tmp_path / "restored.db", BACKUP_PASSWORD)
    transfer.read_import(backup, BACKUP_PASSWORD)

    assert "kept an encrypted copy" not in caplog.text
