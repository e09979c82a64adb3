"""Changing the master password: proven before it counts, and nothing lost either way."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app import backups
from app.errors import UserFacingError, WrongPassword
from app.models import parse_new
from app.vault import Vault
from tests.conftest import PASSWORD, ROOT, Cli
from tests.test_transfer import EXAMPLES, SECRETS

NEW_PASSWORD = "a brand new passphrase, 'quoted' and spelt ünïcödé"

# Changes the master password of the vault named on the command line (and prints nothing).
CHANGER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from app.vault import Vault

    password = os.environ["INTEGRATION_VAULT_PASSWORD"]
    with Vault.open(Path(sys.argv[1]), password) as vault:
        vault.change_password(password, sys.argv[2])
    """
)


def _contents(path: Path, password: str) -> list[tuple[str, str, dict]]:
    """(label, provider, wire credentials) of everything in the vault, opened afresh."""
    with Vault.open(path, password) as opened:
        found = [opened.get(i) for i in opened.ids()]
    return sorted((i.label, i.provider, i.credentials.to_wire()) for i in found)


@pytest.fixture
def filled(vault: Vault) -> Vault:
    """The test's vault holding one integration of every provider."""
    for data in EXAMPLES.values():
        vault.add(parse_new(data))
    return vault


def test_new_password_opens_the_vault_and_the_old_one_no_longer_does(filled: Vault) -> None:
    """After a change, the new password unlocks every integration and the old one is refused."""
    before = _contents(filled.path, PASSWORD)

    filled.change_password(PASSWORD, NEW_PASSWORD)
    filled.close()

    assert _contents(filled.path, NEW_PASSWORD) == before
    with pytest.raises(WrongPassword):
        Vault.open(filled.path, PASSWORD)


def test_wrong_current_password_is_refused_and_nothing_changes(filled: Vault) -> None:
    """A wrong current password raises WrongPassword; the file and its backups stay as they were."""
    filled.close()
    with Vault.open(filled.path, PASSWORD) as opened:
        copies = backups.automatic_backups(filled.path)
        before = filled.path.read_bytes()

        with pytest.raises(WrongPassword):
            opened.change_password("not the password", NEW_PASSWORD)
        assert filled.path.read_bytes() == before
        assert backups.automatic_backups(filled.path) == copies
        assert len(opened.ids()) == len(EXAMPLES)

    assert len(_contents(filled.path, PASSWORD)) == len(EXAMPLES)
    with pytest.raises(WrongPassword):
        Vault.open(filled.path, NEW_PASSWORD)


def test_empty_new_password_is_refused_and_the_old_one_still_works(filled: Vault) -> None:
    """An empty new password is refused with a message, and the old one keeps working."""
    with pytest.raises(UserFacingError, match="must not be empty"):
        filled.change_password(PASSWORD, "")
    filled.close()

    assert len(_contents(filled.path, PASSWORD)) == len(EXAMPLES)


def test_open_vault_keeps_working_after_the_change(filled: Vault) -> None:
    """The window that changed the password can go on adding and reading integrations."""
    filled.change_password(PASSWORD, NEW_PASSWORD)
    added = filled.add(parse_new({**EXAMPLES["helpscout"], "label": "Added after the change"}))

    assert filled.get(added.id).label == "Added after the change"
    filled.close()
    assert len(_contents(filled.path, NEW_PASSWORD)) == len(EXAMPLES) + 1


def test_a_copy_under_the_old_password_is_kept_before_the_change(filled: Vault) -> None:
    """A backup taken just before the change still opens with the old password."""
    filled.change_password(PASSWORD, NEW_PASSWORD)

    kept = [p for p in backups.automatic_backups(filled.path) if "password" in p.name]
    assert len(kept) == 1
    data = kept[0].read_bytes()
    assert [s for s in SECRETS.values() if s.encode() in data] == []
    assert len(_contents(kept[0], PASSWORD)) == len(EXAMPLES)


def test_changed_password_file_holds_no_plaintext(filled: Vault) -> None:
    """After re-encryption no label or secret is readable in the vault file."""
    filled.change_password(PASSWORD, NEW_PASSWORD)
    filled.close()

    data = filled.path.read_bytes()
    needles = list(SECRETS.values()) + [d["label"] for d in EXAMPLES.values()]
    assert [n for n in needles if n.encode("utf-8") in data] == []
    assert NEW_PASSWORD.encode("utf-8") not in data


def test_change_killed_while_re_encrypting_leaves_the_old_password_working(cli: Cli) -> None:
    """A change killed half-way through re-encryption leaves a vault the old password opens."""
    many = [{**EXAMPLES["zendesk"], "label": f"help center {n:04d}"} for n in range(3000)]
    with Vault.create(cli.vault, PASSWORD) as created:
        created.add_many([parse_new(data) for data in many])
    journal = Path(str(cli.vault) + "-journal")
    changer = subprocess.Popen(
        [sys.executable, "-c", CHANGER, str(cli.vault), NEW_PASSWORD], cwd=ROOT, env=cli.env()
    )

    # Kill once the rewrite of the pages is well under way (its rollback journal has grown).
    journal_size = 0
    deadline = time.monotonic() + 60
    while changer.poll() is None and time.monotonic() < deadline:
        try:
            journal_size = journal.stat().st_size
        except FileNotFoundError:
            continue
        if journal_size > 256 * 1024:
            changer.send_signal(signal.SIGKILL)
            break
    changer.wait(timeout=30)

    assert changer.returncode == -signal.SIGKILL, "the change finished before it was killed"
    with pytest.raises(WrongPassword):
        Vault.open(cli.vault, NEW_PASSWORD)
    assert len(_contents(cli.vault, PASSWORD)) == len(many)
