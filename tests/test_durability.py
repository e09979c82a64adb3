"""Durability: a killed import, damaged files, automatic backups, versions and a second instance."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app import backups
from app.cli import EXIT_OK, EXIT_VAULT
from app.errors import VaultBusy
from app.models import merge_credentials, parse_new
from app.vault import Vault
from tests.conftest import PASSWORD, ROOT, ZENDESK_TOKEN, Cli, zendesk_data
from tests.test_transfer import EXAMPLES, SECRETS

PAGE_SIZE = 4096
BULK = 3000

# Imports a JSON file one committed record at a time, printing each label once it is stored.
IMPORTER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from app import transfer
    from app.vault import Vault

    with Vault.open(Path(sys.argv[1]), os.environ["INTEGRATION_VAULT_PASSWORD"]) as vault:
        plan = transfer.plan_import(vault, transfer.read_import(Path(sys.argv[2]), None))
        for item in plan:
            transfer.apply_import(vault, [item])
            print(item.label, flush=True)
    """
)

# Holds a vault open until a line arrives on stdin, then adds one integration and closes it.
HOLDER = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from app.models import parse_new
    from app.vault import Vault

    vault = Vault.open(Path(sys.argv[1]), os.environ["INTEGRATION_VAULT_PASSWORD"])
    print("ready", flush=True)
    sys.stdin.readline()
    added = vault.add(parse_new(json.loads(sys.argv[2])))
    vault.close()
    print(added.id, flush=True)
    """
)


def _bulk_records() -> list[dict]:
    """BULK valid records of every provider, each with its own label."""
    examples = list(EXAMPLES.values())
    return [{**examples[n % len(examples)], "label": f"bulk record {n:05d}"} for n in range(BULK)]


def _stored_in_order(path: Path) -> list[tuple[str, str, dict]]:
    """(label, provider, wire credentials) of every stored integration, in insertion order."""
    with Vault.open(path, PASSWORD) as opened:
        found = [opened.get(i) for i in opened.ids()]
    return [(i.label, i.provider, i.credentials.to_wire()) for i in found]


def _as_stored(record: dict) -> tuple[str, str, dict]:
    new = parse_new(record)
    return new.label, new.provider, new.credentials.to_wire()


def _kill_after(command: list[str], env: dict[str, str], lines: int, marker: str) -> int:
    """Run ``command``; SIGKILL it once ``lines`` stdout lines containing ``marker`` arrived."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = 0
    try:
        assert process.stdout is not None
        for line in process.stdout:
            seen += marker in line
            if seen >= lines:
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the import ended before it was killed"
    return seen


def _check_after_kill(cli: Cli, records: list[dict], committed: int) -> None:
    """The vault opens, holds a prefix of the import with every reported record, all whole."""
    stored = _stored_in_order(cli.vault)
    assert committed <= len(stored) < len(records)
    assert stored == [_as_stored(r) for r in records[: len(stored)]]
    listed = cli.run("list", "--json")
    assert listed.returncode == EXIT_OK, listed.stderr
    assert len(json.loads(listed.stdout)) == len(stored)
    with Vault.open(cli.vault, PASSWORD) as reopened:  # and it still takes changes
        reopened.add(parse_new(zendesk_data(label="after the crash")))


# -- a process killed during a bulk import ---------------------------------------------


@pytest.mark.parametrize("kill_after", [1, 400])
def test_import_killed_with_sigkill_leaves_every_committed_record_whole(
    cli_vault: Cli, kill_after: int
) -> None:
    """A bulk import killed mid-way leaves a vault that opens with every record it reported."""
    records = _bulk_records()
    source = cli_vault.home / "bulk.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    command = [sys.executable, "-c", IMPORTER, str(cli_vault.vault), str(source)]

    committed = _kill_after(command, cli_vault.env(), kill_after, "bulk record")
    _check_after_kill(cli_vault, records, committed)


def test_cli_import_killed_with_sigkill_leaves_a_vault_that_opens(cli_vault: Cli) -> None:
    """`import --yes` killed mid-way leaves every record it logged as added, and no half one."""
    records = _bulk_records()
    source = cli_vault.home / "bulk.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    vault = str(cli_vault.vault)
    command = [sys.executable, "-m", "app", "-v", "--vault", vault, "import", str(source), "--yes"]

    # -v logs "added 1 integration(s)" once each record's transaction has committed; the
    # preview lines come first, so wait for the log lines only.
    committed = _kill_after(command, cli_vault.env(), 250, "added 1 integration(s)")
    _check_after_kill(cli_vault, records, committed)


# -- damaged or tampered files ---------------------------------------------------------


def _flip(offset_from_page: int, page: int = 0) -> Callable[[bytes], bytes]:
    """Damage that flips one bit at an offset into a page (negative pages count from the end)."""

    def damage(data: bytes) -> bytes:
        pages = len(data) // PAGE_SIZE
        where = (page % pages) * PAGE_SIZE + offset_from_page
        changed = bytearray(data)
        changed[where] ^= 0x01
        return bytes(changed)

    return damage


DAMAGE = [
    pytest.param(_flip(100), id="byte-on-first-page"),
    pytest.param(_flip(PAGE_SIZE - 10), id="byte-in-first-page-hmac"),
    pytest.param(_flip(100, page=1), id="byte-on-second-page"),
    pytest.param(_flip(2000, page=-1), id="byte-on-last-page"),
    pytest.param(lambda data: data[:-1000], id="cut-mid-page"),
    pytest.param(lambda data: data[: (len(data) // PAGE_SIZE // 2) * PAGE_SIZE], id="cut-in-half"),
    pytest.param(_flip(3), id="byte-in-salt"),
    pytest.param(lambda data: b"", id="cut-to-nothing"),
]


def _seeded_with_backup(cli: Cli) -> tuple[list[str], Path]:
    """A vault holding every provider's example (enough pages to damage), and its daily copy."""
    many = [{**EXAMPLES["zendesk"], "label": f"help center {n}"} for n in range(60)]
    cli.seed(*EXAMPLES.values(), *many)
    # The copy made on that unlock predates the adds; a day later, the next one holds them.
    (earlier,) = backups.automatic_backups(cli.vault)
    a_day_ago = time.time() - backups.DAILY_S - 60
    os.utime(earlier, (a_day_ago, a_day_ago))
    Vault.open(cli.vault, PASSWORD).close()
    kept = backups.automatic_backups(cli.vault)[0]
    assert time.time() - kept.stat().st_mtime < 60
    return [data["label"] for data in EXAMPLES.values()], kept


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_vault_exits_3_saying_damaged_and_offering_the_latest_backup(
    cli_vault: Cli, damage
) -> None:
    """A flipped byte or cut file says 'damaged or modified', names the backup, and is untouched."""
    _, kept = _seeded_with_backup(cli_vault)
    cli_vault.vault.write_bytes(damage(cli_vault.vault.read_bytes()))
    before = cli_vault.vault.read_bytes()

    done = cli_vault.run("list")
    assert done.returncode == EXIT_VAULT, done.stderr
    (line,) = done.stderr.splitlines()
    assert "damaged or modified" in line
    assert str(kept) in line
    assert "Traceback" not in done.stderr
    assert cli_vault.vault.read_bytes() == before


def test_offered_backup_restores_with_the_command_shown(cli_vault: Cli) -> None:
    """Running the restore command the damage message suggests brings the integrations back."""
    labels, _ = _seeded_with_backup(cli_vault)
    data = bytearray(cli_vault.vault.read_bytes())
    data[PAGE_SIZE + 100] ^= 0x01
    cli_vault.vault.write_bytes(bytes(data))

    done = cli_vault.run("show", "anything")
    found = re.search(r"'integration-vault --vault NEW_PATH restore (.+?)'", done.stderr)
    assert found, done.stderr
    target = cli_vault.home / "recovered.db"
    restored = cli_vault.run("restore", found.group(1), vault=target)
    assert restored.returncode == EXIT_OK, restored.stderr
    stored_labels = {label for label, _, _ in _stored_in_order(target)}
    assert set(labels) <= stored_labels


# -- automatic backups -----------------------------------------------------------------


def test_unlocking_keeps_one_encrypted_copy_a_day_beside_the_vault(vault_path: Path) -> None:
    """The first unlock of a day copies the vault to <vault>-backups/ (0600, encrypted), once."""
    with Vault.create(vault_path, PASSWORD) as created:
        created.add(parse_new(EXAMPLES["zendesk"]))
    assert backups.automatic_backups(vault_path) == []

    Vault.open(vault_path, PASSWORD).close()
    (first,) = backups.automatic_backups(vault_path)
    assert first.parent == vault_path.parent / "vault.db-backups"
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert "daily" in first.name
    data = first.read_bytes()
    assert ZENDESK_TOKEN.encode() not in data
    assert EXAMPLES["zendesk"]["label"].encode() not in data
    assert _stored_in_order(first) == [_as_stored(EXAMPLES["zendesk"])]

    Vault.open(vault_path, PASSWORD).close()
    assert backups.automatic_backups(vault_path) == [first]

    # A day later (the copy's name and time say so), the next unlock makes a second copy.
    yesterday = first.with_name("vault-20000101-120000-daily.db")
    first.rename(yesterday)
    a_day_ago = time.time() - backups.DAILY_S - 60
    os.utime(yesterday, (a_day_ago, a_day_ago))
    Vault.open(vault_path, PASSWORD).close()
    newest, older = backups.automatic_backups(vault_path)
    assert older == yesterday
    assert "daily" in newest.name


def test_only_the_newest_five_automatic_backups_are_kept(vault: Vault) -> None:
    """Taking an eighth automatic copy leaves the five newest, the oldest ones deleted."""
    vault.add(parse_new(EXAMPLES["s3"]))
    start = time.time() - 10_000

    for n in range(8):
        taken = backups.take_backup(vault.path, f"test-{n}")
        os.utime(taken, (start + n, start + n))

    kept = backups.automatic_backups(vault.path)
    assert len(kept) == backups.KEEP == 5
    assert [p.name.rsplit("-", 1)[-1] for p in kept] == [f"{n}.db" for n in (7, 6, 5, 4, 3)]
    assert sorted(p.name for p in kept[0].parent.iterdir()) == sorted(p.name for p in kept)


def test_daily_copy_with_five_kept_drops_the_oldest(vault_path: Path) -> None:
    """When five copies exist and a day has passed, unlocking adds one and deletes the oldest."""
    Vault.create(vault_path, PASSWORD).close()
    old = time.time() - 10 * backups.DAILY_S
    for n in range(5):
        taken = backups.take_backup(vault_path, f"old-{n}")
        os.utime(taken, (old + n, old + n))
    oldest = backups.automatic_backups(vault_path)[-1]

    Vault.open(vault_path, PASSWORD).close()
    kept = backups.automatic_backups(vault_path)
    assert len(kept) == 5
    assert "daily" in kept[0].name
    assert oldest not in kept


# -- previous versions -----------------------------------------------------------------


def _token(n: int) -> str:
    return f"rotatedT0ken{n:02d}xxxxxxxxxxxxxxxxxxxxxxxxx"


def test_each_integration_keeps_its_last_ten_versions_with_time(vault: Vault) -> None:
    """After 12 edits the 10 previous versions are kept, newest first, each with its time."""
    added = vault.add(parse_new(EXAMPLES["zendesk"]))
    for n in range(1, 13):
        current = vault.get(added.id)
        vault.update(
            added.id, credentials=merge_credentials(current.credentials, {"token": _token(n)})
        )

    versions = vault.versions(added.id)
    assert len(versions) == 10
    tokens = [v.credentials.to_wire()["token"] for v in versions]
    assert tokens == [_token(n) for n in range(11, 1, -1)]
    times = [v.saved_at for v in versions]
    assert all(t.tzinfo is not None for t in times)
    assert times == sorted(times, reverse=True)
    assert SECRETS["zendesk"] not in tokens  # the original rotated out


def test_restoring_a_version_brings_back_the_old_secret_and_keeps_the_current_one(
    vault: Vault,
) -> None:
    """Restoring an earlier version makes it current; what was current becomes a version."""
    added = vault.add(parse_new(EXAMPLES["zendesk"]))
    vault.update(
        added.id,
        label="Renamed",
        credentials=merge_credentials(added.credentials, {"token": _token(1)}),
    )
    (previous,) = vault.versions(added.id)
    assert (previous.label, previous.credentials.to_wire()["token"]) == (
        EXAMPLES["zendesk"]["label"],
        ZENDESK_TOKEN,
    )

    restored = vault.restore_version(added.id, previous.id)
    assert restored.label == EXAMPLES["zendesk"]["label"]
    assert restored.credentials.to_wire()["token"] == ZENDESK_TOKEN
    newest = vault.versions(added.id)[0]
    assert (newest.label, newest.credentials.to_wire()["token"]) == ("Renamed", _token(1))


def test_versions_are_kept_across_closing_and_reopening(vault: Vault) -> None:
    """Earlier versions are still there after the vault is closed and unlocked again."""
    added = vault.add(parse_new(EXAMPLES["helpscout"]))
    vault.update(added.id, label="Numbat docs, renamed")
    vault.close()

    with Vault.open(vault.path, PASSWORD) as reopened:
        (previous,) = reopened.versions(added.id)
        assert previous.label == EXAMPLES["helpscout"]["label"]
        assert previous.credentials == added.credentials


# -- a second instance -----------------------------------------------------------------


def test_second_instance_is_told_the_vault_is_open_elsewhere_and_the_first_keeps_working(
    cli_vault: Cli,
) -> None:
    """While a process has the vault open, the CLI exits 3 saying so; the first still saves."""
    cli_vault.seed(EXAMPLES["s3"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(cli_vault.vault), json.dumps(EXAMPLES["intercom"])],
        cwd=ROOT,
        env=cli_vault.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "ready"

        listed = cli_vault.run("list")
        added = cli_vault.run("add", "--json", "-", stdin=json.dumps(EXAMPLES["helpscout"]))
        with pytest.raises(VaultBusy):
            Vault.open(cli_vault.vault, PASSWORD)

        out, err = holder.communicate("go\n", timeout=60)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()

    for done in (listed, added):
        assert done.returncode == EXIT_VAULT
        (line,) = done.stderr.splitlines()
        assert "open in another Integration Vault window or command" in line
    assert holder.returncode == 0, err
    assert out.strip()
    stored = _stored_in_order(cli_vault.vault)
    assert stored == [_as_stored(EXAMPLES["s3"]), _as_stored(EXAMPLES["intercom"])]
    assert cli_vault.run("list").returncode == EXIT_OK
