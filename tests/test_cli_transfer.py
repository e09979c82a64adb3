"""The export, backup, restore and import commands, run as a person or script would."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from app.cli import EXIT_BUG, EXIT_INVALID, EXIT_OK, EXIT_USAGE, EXIT_VAULT
from app.errors import WrongPassword
from app.models import parse_new
from app.vault import Vault
from tests.conftest import PASSWORD, Cli
from tests.test_transfer import BACKUP_PASSWORD, EXAMPLES, SECRETS


def _stored(cli: Cli, vault: Path | None = None, password: str = PASSWORD) -> list[tuple]:
    """(label, provider, wire credentials) of everything in a vault, in label order."""
    with Vault.open(vault or cli.vault, password) as opened:
        found = [opened.get(i) for i in opened.ids()]
    return sorted((i.label, i.provider, i.credentials.to_wire()) for i in found)


def _expected(*items: dict) -> list[tuple]:
    parsed = [parse_new(data) for data in items]
    return sorted((n.label, n.provider, n.credentials.to_wire()) for n in parsed)


def _password_file(cli: Cli, text: str) -> Path:
    path = cli.home / "backup-password.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _leaks(text: str) -> list[str]:
    return [name for name, secret in SECRETS.items() if secret in text]


# -- export ----------------------------------------------------------------------------


def test_plaintext_export_warns_and_writes_an_owner_only_file(cli_vault: Cli) -> None:
    """export --plaintext warns on stderr, writes every secret to a 0600 file and says so."""
    cli_vault.seed(*EXAMPLES.values())
    out = cli_vault.home / "export.json"

    done = cli_vault.run("export", "--plaintext", "-o", str(out))
    assert done.returncode == EXIT_OK, done.stderr
    assert "warning: a plaintext export holds every secret in clear" in done.stderr
    assert f"exported {len(EXAMPLES)} integration(s)" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(_leaks(out.read_text(encoding="utf-8"))) == sorted(SECRETS)
    assert _leaks(done.stdout + done.stderr) == []


def test_export_refuses_to_overwrite_an_existing_file(cli_vault: Cli) -> None:
    """export onto an existing file exits 2 naming it, and the file keeps its bytes."""
    cli_vault.seed(EXAMPLES["zendesk"])
    out = cli_vault.home / "export.json"
    out.write_text("keep me\n", encoding="utf-8")

    done = cli_vault.run("export", "--plaintext", "-o", str(out))
    assert done.returncode == EXIT_USAGE
    assert "refusing to overwrite" in done.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"


def test_export_needs_plaintext_or_redacted(cli_vault: Cli) -> None:
    """export without --plaintext or --redacted is a usage error and writes nothing."""
    cli_vault.seed(EXAMPLES["zendesk"])
    out = cli_vault.home / "export.json"

    done = cli_vault.run("export", "-o", str(out))
    assert done.returncode == EXIT_USAGE
    assert "--plaintext" in done.stderr
    assert not out.exists()


def test_redacted_export_prints_and_writes_no_secret(cli_vault: Cli) -> None:
    """export --redacted writes each secret's last 4 only, without the plaintext warning."""
    cli_vault.seed(*EXAMPLES.values())
    out = cli_vault.home / "for-support.json"

    done = cli_vault.run("export", "--redacted", "-o", str(out))
    assert done.returncode == EXIT_OK, done.stderr
    assert "warning" not in done.stderr
    text = out.read_text(encoding="utf-8")
    assert _leaks(text + done.stdout + done.stderr) == []
    assert all("…" + secret[-4:] in text for secret in SECRETS.values())
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_into_a_missing_folder_says_so(cli_vault: Cli) -> None:
    """export -o into a folder that does not exist exits 2 naming the path, not as a bug."""
    cli_vault.seed(EXAMPLES["zendesk"])
    out = cli_vault.home / "no-such-folder" / "export.json"

    done = cli_vault.run("export", "--redacted", "-o", str(out))
    assert done.returncode not in (EXIT_OK, EXIT_BUG)
    assert "no-such-folder" in done.stderr
    assert "a bug" not in done.stderr


# -- backup and restore ----------------------------------------------------------------


def test_backup_defaults_to_the_master_password(cli_vault: Cli) -> None:
    """backup -o FILE writes an encrypted copy that opens with the master password."""
    cli_vault.seed(*EXAMPLES.values())
    backup = cli_vault.home / "vault-backup.db"

    done = cli_vault.run("backup", "-o", str(backup))
    assert done.returncode == EXIT_OK, done.stderr
    assert "protected by the master password" in done.stdout
    assert _leaks(backup.read_bytes().decode("latin-1")) == []
    assert _stored(cli_vault, backup) == _expected(*EXAMPLES.values())


def test_backup_with_its_own_password_opens_only_with_that_password(cli_vault: Cli) -> None:
    """backup --backup-password-file encrypts with that password; the master one fails."""
    cli_vault.seed(EXAMPLES["s3"], EXAMPLES["helpscout"])
    backup = cli_vault.home / "vault-backup.db"
    secret_file = _password_file(cli_vault, BACKUP_PASSWORD)

    done = cli_vault.run("backup", "-o", str(backup), "--backup-password-file", str(secret_file))
    assert done.returncode == EXIT_OK, done.stderr
    assert "protected by its own password" in done.stdout
    with pytest.raises(WrongPassword):
        Vault.open(backup, PASSWORD)
    expected = _expected(EXAMPLES["s3"], EXAMPLES["helpscout"])
    assert _stored(cli_vault, backup, BACKUP_PASSWORD) == expected


def test_backup_refuses_to_overwrite_an_existing_file(cli_vault: Cli) -> None:
    """backup onto an existing file exits 2 and the file keeps its bytes."""
    cli_vault.seed(EXAMPLES["zendesk"])
    backup = cli_vault.home / "vault-backup.db"
    backup.write_bytes(b"an older backup")

    done = cli_vault.run("backup", "-o", str(backup))
    assert done.returncode == EXIT_USAGE
    assert "refusing to overwrite" in done.stderr
    assert backup.read_bytes() == b"an older backup"


def test_backup_into_a_missing_folder_says_so(cli_vault: Cli) -> None:
    """backup -o into a folder that does not exist exits with a message naming it, not a bug."""
    cli_vault.seed(EXAMPLES["zendesk"])
    backup = cli_vault.home / "no-such-folder" / "vault-backup.db"

    done = cli_vault.run("backup", "-o", str(backup))
    assert done.returncode not in (EXIT_OK, EXIT_BUG)
    assert "no-such-folder" in done.stderr
    assert "a bug" not in done.stderr


def test_restore_creates_the_vault_named_by_vault(cli_vault: Cli) -> None:
    """restore FILE --vault NEW makes NEW from the backup, with every integration."""
    cli_vault.seed(*EXAMPLES.values())
    backup = cli_vault.home / "vault-backup.db"
    assert cli_vault.run("backup", "-o", str(backup)).returncode == EXIT_OK
    target = cli_vault.home / "restored" / "vault.db"

    done = cli_vault.run("restore", str(backup), vault=target)
    assert done.returncode == EXIT_OK, done.stderr
    assert f"restored {len(EXAMPLES)} integration(s)" in done.stdout
    assert _stored(cli_vault, target) == _expected(*EXAMPLES.values())
    listed = cli_vault.run("list", "--json", vault=target)
    assert listed.returncode == EXIT_OK, listed.stderr
    assert len(json.loads(listed.stdout)) == len(EXAMPLES)


def test_restore_with_the_backups_own_password(cli_vault: Cli) -> None:
    """restore --backup-password-file opens a backup made under its own password."""
    cli_vault.seed(EXAMPLES["freshdesk"])
    backup = cli_vault.home / "vault-backup.db"
    secret_file = _password_file(cli_vault, BACKUP_PASSWORD)
    cli_vault.run("backup", "-o", str(backup), "--backup-password-file", str(secret_file))
    target = cli_vault.home / "restored.db"

    refused = cli_vault.run("restore", str(backup), vault=target)
    assert refused.returncode == EXIT_VAULT
    assert "wrong password for the backup" in refused.stderr
    assert "--backup-password-file" in refused.stderr
    assert not target.exists()

    done = cli_vault.run(
        "restore", str(backup), "--backup-password-file", str(secret_file), vault=target
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert _stored(cli_vault, target, BACKUP_PASSWORD) == _expected(EXAMPLES["freshdesk"])


def test_restore_refuses_to_overwrite_an_existing_vault(cli_vault: Cli) -> None:
    """restore onto an existing vault exits 3 and that vault keeps what it had."""
    cli_vault.seed(EXAMPLES["s3"])
    backup = cli_vault.home / "vault-backup.db"
    cli_vault.run("backup", "-o", str(backup))
    cli_vault.seed(EXAMPLES["zendesk"])
    before = cli_vault.vault.read_bytes()

    done = cli_vault.run("restore", str(backup))
    assert done.returncode == EXIT_VAULT
    assert "refusing to overwrite" in done.stderr
    assert cli_vault.vault.read_bytes() == before
    assert _stored(cli_vault) == _expected(EXAMPLES["s3"], EXAMPLES["zendesk"])


# -- import ----------------------------------------------------------------------------


def _mixed_import_file(cli: Cli) -> Path:
    """An import file with one duplicate of a stored record, two new ones and one bad one."""
    bad = {**EXAMPLES["helpjuice"], "credentials": {"subdomain": "acme"}}
    records = [EXAMPLES["s3"], EXAMPLES["intercom"], bad, EXAMPLES["knowledgeowl"]]
    path = cli.home / "import.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_import_dry_run_previews_each_record_and_imports_nothing(cli_vault: Cli) -> None:
    """import --dry-run lists each record as new, duplicate or invalid and changes nothing."""
    cli_vault.seed(EXAMPLES["s3"])
    source = _mixed_import_file(cli_vault)

    done = cli_vault.run("import", str(source), "--dry-run")
    assert done.returncode == EXIT_INVALID, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["duplicate", "#1"]
    assert lines[1].split()[:2] == ["new", "#2"]
    assert lines[2].split()[:2] == ["invalid", "#3"]
    assert "Bilby knowledge base" in lines[2]
    assert "credentials.apiKey" in lines[2]
    assert lines[3].split()[:2] == ["new", "#4"]
    assert "2 to add; nothing imported (dry run)" in done.stdout
    assert _stored(cli_vault) == _expected(EXAMPLES["s3"])


def test_import_names_the_bad_record_and_imports_the_rest(cli_vault: Cli) -> None:
    """import --yes adds the new records, skips the duplicate, names the bad one and exits 4."""
    cli_vault.seed(EXAMPLES["s3"])
    source = _mixed_import_file(cli_vault)

    done = cli_vault.run("import", str(source), "--yes")
    assert done.returncode == EXIT_INVALID, done.stderr
    assert "invalid   #3 Bilby knowledge base (helpjuice)" in done.stdout
    assert "imported 2; skipped 1 duplicate(s) and 1 invalid record(s)" in done.stdout
    expected = _expected(EXAMPLES["s3"], EXAMPLES["intercom"], EXAMPLES["knowledgeowl"])
    assert _stored(cli_vault) == expected


def test_import_without_yes_and_without_a_terminal_imports_nothing(cli_vault: Cli) -> None:
    """import with no --yes and no terminal to ask exits 2 saying to add --yes."""
    source = cli_vault.home / "import.json"
    source.write_text(json.dumps([EXAMPLES["zendesk"]]), encoding="utf-8")

    done = cli_vault.run("import", str(source))
    assert done.returncode == EXIT_USAGE
    assert "--yes" in done.stderr
    assert _stored(cli_vault) == []


def test_every_provider_round_trips_through_export_and_import(cli_vault: Cli) -> None:
    """export --plaintext from one vault and import --yes into another keeps every field."""
    cli_vault.seed(*EXAMPLES.values())
    out = cli_vault.home / "export.json"
    assert cli_vault.run("export", "--plaintext", "-o", str(out)).returncode == EXIT_OK
    other = cli_vault.home / "other.db"
    assert cli_vault.run("init", vault=other).returncode == EXIT_OK

    done = cli_vault.run("import", str(out), "--yes", vault=other)
    assert done.returncode == EXIT_OK, done.stderr
    assert f"imported {len(EXAMPLES)}; skipped 0 duplicate(s)" in done.stdout
    assert _stored(cli_vault, other) == _expected(*EXAMPLES.values())


def test_import_from_a_backup_with_its_own_password(cli_vault: Cli) -> None:
    """import of a backup made under its own password works with --backup-password-file."""
    cli_vault.seed(*EXAMPLES.values())
    backup = cli_vault.home / "vault-backup.db"
    secret_file = _password_file(cli_vault, BACKUP_PASSWORD)
    cli_vault.run("backup", "-o", str(backup), "--backup-password-file", str(secret_file))
    other = cli_vault.home / "other.db"
    cli_vault.run("init", vault=other)

    done = cli_vault.run(
        "import", str(backup), "--yes", "--backup-password-file", str(secret_file), vault=other
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert _stored(cli_vault, other) == _expected(*EXAMPLES.values())


def test_import_of_a_backup_of_this_vault_finds_only_duplicates(cli_vault: Cli) -> None:
    """Importing this vault's own backup adds nothing and says so."""
    cli_vault.seed(EXAMPLES["zendesk"], EXAMPLES["r2"])
    backup = cli_vault.home / "vault-backup.db"
    cli_vault.run("backup", "-o", str(backup))

    done = cli_vault.run("import", str(backup), "--yes")
    assert done.returncode == EXIT_OK, done.stderr
    assert "0 to add; nothing imported" in done.stdout
    assert _stored(cli_vault) == _expected(EXAMPLES["zendesk"], EXAMPLES["r2"])


# -- output paths, standard output, byte-order marks -----------------------------------


@pytest.mark.parametrize("command", [("backup",), ("export", "--redacted")])
def test_output_onto_a_folder_says_it_is_a_folder(cli_vault: Cli, command: tuple[str, ...]) -> None:
    """backup/export -o FOLDER/ exits 2 saying it is a folder, and writes nothing into it."""
    cli_vault.seed(EXAMPLES["zendesk"])
    folder = cli_vault.home / "exports"
    folder.mkdir()

    done = cli_vault.run(*command, "-o", f"{folder}/")
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "is a folder" in done.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ("backup", "-o", "/proc/iv-test/x.ivb"),
        ("export", "--redacted", "-o", "/proc/iv-test.json"),
    ],
)
def test_an_output_path_that_cannot_be_created_names_the_path_and_why(
    cli_vault: Cli, argv: tuple[str, ...]
) -> None:
    """A backup or export where no file can be created exits 2 naming the path, not a bug."""
    cli_vault.seed(EXAMPLES["zendesk"])

    done = cli_vault.run(*argv)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "/proc/iv-test" in done.stderr
    assert "a bug" not in done.stderr


def test_init_and_restore_where_no_file_can_be_created_name_the_path(cli_vault: Cli) -> None:
    """init or restore of a vault in a folder nobody may write to exits 2 naming the path."""
    backup = cli_vault.home / "vault-backup.db"
    assert cli_vault.run("backup", "-o", str(backup)).returncode == EXIT_OK
    target = Path("/proc/iv-test.db")

    for argv in (("init",), ("restore", str(backup))):
        done = cli_vault.run(*argv, vault=target)
        assert done.returncode == EXIT_USAGE, done.stderr
        assert str(target) in done.stderr
        assert "a bug" not in done.stderr


def test_restore_of_a_missing_file_names_it(cli: Cli) -> None:
    """restore of a file that does not exist exits 2 naming the file, like import does."""
    done = cli.run("restore", "no-such-backup.ivb", vault=cli.home / "new.db")
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "no-such-backup.ivb" in done.stderr
    assert not (cli.home / "new.db").exists()


@pytest.mark.parametrize("content", [b"hello\n" * 3, b"\x00" * 4096])
def test_import_and_restore_of_a_file_that_is_no_backup_name_the_users_file(
    cli_vault: Cli, content: bytes
) -> None:
    """import or restore of a file that is not a backup names that file, never a temporary copy."""
    bogus = cli_vault.home / "not-a-backup.ivb"
    bogus.write_bytes(content)

    for done in (
        cli_vault.run("import", str(bogus), "--dry-run"),
        cli_vault.run("restore", str(bogus), vault=cli_vault.home / "new.db"),
    ):
        assert done.returncode not in (EXIT_OK, EXIT_BUG), done.stderr
        assert str(bogus) in done.stderr
        assert "iv-backup-" not in done.stderr


def test_import_of_an_own_password_backup_names_the_option(cli_vault: Cli) -> None:
    """import --dry-run of a backup made with its own password says the backup's password is
    wrong and names --backup-password-file."""
    cli_vault.seed(EXAMPLES["zendesk"])
    backup = cli_vault.home / "own.ivb"
    secret_file = _password_file(cli_vault, BACKUP_PASSWORD)
    cli_vault.run("backup", "-o", str(backup), "--backup-password-file", str(secret_file))

    done = cli_vault.run("import", str(backup), "--dry-run")
    assert done.returncode == EXIT_VAULT
    assert "wrong password for the backup" in done.stderr
    assert "--backup-password-file" in done.stderr


def test_export_to_dash_writes_the_json_to_standard_output(cli_vault: Cli) -> None:
    """export --redacted -o - prints the export on stdout and creates no file named '-'."""
    cli_vault.seed(EXAMPLES["zendesk"])

    done = cli_vault.run("export", "--redacted", "-o", "-")
    assert done.returncode == EXIT_OK, done.stderr
    (record,) = json.loads(done.stdout)
    assert record["label"] == EXAMPLES["zendesk"]["label"]
    assert "standard output" in done.stderr
    assert not (cli_vault.home / "-").exists()
    assert _leaks(done.stdout) == []


def test_import_accepts_a_json_file_with_a_byte_order_mark(cli_vault: Cli) -> None:
    """An export saved by Notepad (UTF-8 with a byte-order mark) imports like any other."""
    path = cli_vault.home / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([EXAMPLES["zendesk"]]).encode())

    done = cli_vault.run("import", str(path), "--yes")
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    assert _stored(cli_vault) == _expected(EXAMPLES["zendesk"])


def test_import_refuses_a_label_with_control_characters(cli_vault: Cli) -> None:
    """An imported record whose label holds an escape sequence is invalid (exit 4), named by
    its field, and the escape never reaches the terminal raw."""
    record = {**EXAMPLES["zendesk"], "label": "Acme \x1b[2J cleared"}
    path = cli_vault.home / "escape.json"
    path.write_text(json.dumps([record]), encoding="utf-8")

    done = cli_vault.run("import", str(path), "--yes")
    assert done.returncode == EXIT_INVALID
    assert "label: may not contain control characters" in done.stdout
    assert "\x1b" not in done.stdout + done.stderr
    assert _stored(cli_vault) == []
