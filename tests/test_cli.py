"""The `integration-vault` command line, run as a separate process like a script would."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlcipher3

from app.vault import Vault
from tests.conftest import (
    API_TIME,
    PASSWORD,
    R2_SECRET,
    S3_KEY_ID,
    S3_SECRET,
    ZENDESK_TOKEN,
    Cli,
    r2_data,
    s3_data,
    zendesk_data,
)

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_VAULT, EXIT_INVALID = 0, 1, 2, 3, 4
LIST_KEYS = {"id", "label", "platform", "provider", "createdAt", "updatedAt", "lastCheck"}
RESULT_KEYS = {"id", "label", "provider", "ok", "category", "message", "elapsedMs"}
SECRETS = (S3_SECRET, R2_SECRET, ZENDESK_TOKEN)


def _list(cli: Cli) -> list[dict]:
    done = cli.run("list", "--json")
    assert done.returncode == EXIT_OK, done.stderr
    return json.loads(done.stdout)


def _show(cli: Cli, integration_id: str, *flags: str) -> dict:
    done = cli.run("show", integration_id, "--json", *flags)
    assert done.returncode == EXIT_OK, done.stderr
    return json.loads(done.stdout)


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The whole of stderr, which must be exactly one line."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def _vault_files(vault: Path) -> list[Path]:
    """The vault and everything kept beside it under its name (journal, backups)."""
    near = list(vault.parent.glob(vault.name + "*"))
    below = [p for folder in near if folder.is_dir() for p in folder.rglob("*")]
    return sorted(p for p in near + below if p.is_file())


def _snapshot(vault: Path) -> list[tuple[str, bytes, int]]:
    return [(str(p), p.read_bytes(), p.stat().st_mtime_ns) for p in _vault_files(vault)]


# -- the acceptance scenario -----------------------------------------------------------


def test_acceptance_add_and_verify_all_against_local_s3(
    cli: Cli, moto_url: str, bucket: str, missing_bucket: str
) -> None:
    """init, add S3 (bucket exists) and R2 (bucket missing), verify --all: ok, not_found, exit 1."""
    cli.endpoints = {"s3": moto_url, "r2": moto_url}
    assert cli.run("init").returncode == EXIT_OK
    assert stat.S_IMODE(cli.vault.stat().st_mode) == 0o600
    s3_file = cli.home / "s3.json"
    s3_file.write_text(json.dumps(s3_data(bucket, label="Quokka exports")), encoding="utf-8")
    added = cli.run("add", "--json", str(s3_file))
    assert added.returncode == EXIT_OK, added.stderr
    s3_id = added.stdout.strip()
    r2_id = cli.add(r2_data(missing_bucket, label="Wombat archive"))

    done = cli.run("verify", "--all", "--json", "--timeout", "5")
    assert done.returncode == EXIT_CHECK_FAILED, done.stderr
    assert s3_id in done.stdout
    assert r2_id in done.stdout
    assert not any(secret in done.stdout for secret in SECRETS)
    last = {row["id"]: row["lastCheck"] for row in _list(cli)}
    assert (last[s3_id]["ok"], last[s3_id]["category"]) == (True, "ok")
    assert (last[r2_id]["ok"], last[r2_id]["category"]) == (False, "not_found")

    for path in _vault_files(cli.vault):
        data = path.read_bytes()
        for needle in ("Quokka exports", "Wombat archive", S3_SECRET, R2_SECRET):
            assert needle.encode() not in data, (path.name, needle)
    before = _snapshot(cli.vault)
    wrong = cli.run("list", password="not the password")
    assert wrong.returncode == EXIT_VAULT
    assert _one_error_line(wrong) == "error: wrong master password"
    assert wrong.stdout == ""
    assert _snapshot(cli.vault) == before


def test_verify_json_prints_one_result_object_per_line(
    cli_vault: Cli, moto_url: str, bucket: str, missing_bucket: str
) -> None:
    """verify --json prints one {id,label,provider,ok,category,message,elapsedMs} per line."""
    cli_vault.endpoints = {"s3": moto_url, "r2": moto_url}
    s3_id, r2_id = cli_vault.seed(s3_data(bucket), r2_data(missing_bucket))

    done = cli_vault.run("verify", s3_id, r2_id, "--json", "--timeout", "5")
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(r["id"] for r in results) == sorted([s3_id, r2_id])
    assert all(set(r) >= RESULT_KEYS for r in results)
    by_id = {r["id"]: (r["ok"], r["category"]) for r in results}
    assert by_id == {s3_id: (True, "ok"), r2_id: (False, "not_found")}
    assert all(isinstance(r["elapsedMs"], int) for r in results)


def test_verify_of_a_passing_integration_exits_0_and_saves_last_check(
    cli_vault: Cli, moto_url: str, bucket: str
) -> None:
    """verify ID of a working integration exits 0 and the list shows that check."""
    cli_vault.endpoints = {"s3": moto_url}
    (s3_id,) = cli_vault.seed(s3_data(bucket))

    done = cli_vault.run("verify", s3_id, "--timeout", "5")
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout.startswith("ok")
    assert "Screenshots on S3" in done.stdout
    (row,) = _list(cli_vault)
    assert row["lastCheck"]["ok"] is True
    assert row["lastCheck"]["category"] == "ok"
    assert API_TIME.match(row["lastCheck"]["at"])
    assert isinstance(row["lastCheck"]["elapsedMs"], int)


def test_verify_timeout_option_bounds_each_check(cli_vault: Cli) -> None:
    """verify --timeout S against an endpoint that never answers fails with timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        cli_vault.endpoints = {"r2": f"http://127.0.0.1:{silent.getsockname()[1]}"}
        (r2_id,) = cli_vault.seed(r2_data("acme-archive"))
        done = cli_vault.run("verify", r2_id, "--timeout", "0.3")

    assert done.returncode == EXIT_CHECK_FAILED, done.stderr
    last = cli_vault.rows()[r2_id].last_check
    assert last is not None
    assert last.category == "timeout"


# -- init and the password -------------------------------------------------------------


def test_init_refuses_to_overwrite_an_existing_file(cli: Cli) -> None:
    """init where a file exists exits 3 and leaves the file as it was."""
    cli.vault.write_bytes(b"not mine to overwrite")

    done = cli.run("init")
    assert done.returncode == EXIT_VAULT
    assert "refusing to overwrite" in _one_error_line(done)
    assert cli.vault.read_bytes() == b"not mine to overwrite"


def test_init_refuses_to_overwrite_an_existing_vault(cli_vault: Cli) -> None:
    """A second init on a vault exits 3 and keeps its integrations."""
    cli_vault.seed(zendesk_data())

    done = cli_vault.run("init")
    assert done.returncode == EXIT_VAULT
    assert len(cli_vault.stored()) == 1


def test_password_can_come_from_a_file(cli_vault: Cli) -> None:
    """--password-file opens the vault when no password is in the environment."""
    cli_vault.seed(zendesk_data())
    secret_file = cli_vault.home / "password.txt"
    secret_file.write_text(PASSWORD + "\n", encoding="utf-8")

    done = cli_vault.run("--password-file", str(secret_file), "list", "--json", password=None)
    assert done.returncode == EXIT_OK, done.stderr
    assert len(json.loads(done.stdout)) == 1


def test_wrong_password_file_exits_3(cli_vault: Cli) -> None:
    """A password file with the wrong password exits 3 with one line."""
    secret_file = cli_vault.home / "password.txt"
    secret_file.write_text("not the password\n", encoding="utf-8")

    done = cli_vault.run("--password-file", str(secret_file), "list", password=None)
    assert done.returncode == EXIT_VAULT
    assert _one_error_line(done) == "error: wrong master password"


def test_no_password_and_no_terminal_exits_3_with_a_message(cli_vault: Cli) -> None:
    """Without a password source and with stdin not a terminal, the CLI says how to give one."""
    done = cli_vault.run("list", password=None)

    assert done.returncode == EXIT_VAULT
    line = _one_error_line(done)
    assert "INTEGRATION_VAULT_PASSWORD" in line
    assert "--password-file" in line


def test_missing_vault_exits_3(cli: Cli) -> None:
    """Any command on a vault that does not exist exits 3 and suggests init."""
    done = cli.run("list")

    assert done.returncode == EXIT_VAULT
    assert "init" in _one_error_line(done)
    assert not cli.vault.exists()


def test_tampered_vault_exits_3_with_one_line(cli_vault: Cli) -> None:
    """A vault modified outside the program exits 3 with one line, not a traceback."""
    (added,) = cli_vault.seed(zendesk_data())
    data = bytearray(cli_vault.vault.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 + 200] ^= 0xFF
    cli_vault.vault.write_bytes(bytes(data))

    done = cli_vault.run("show", added)
    assert done.returncode == EXIT_VAULT
    assert "damaged" in _one_error_line(done)


def test_vault_held_by_another_writer_exits_3_saying_busy(cli_vault: Cli) -> None:
    """While another program writes to the vault, add exits 3 with one line and stores nothing."""
    other = sqlcipher3.connect(str(cli_vault.vault), isolation_level=None)
    other.execute("PRAGMA key = '" + PASSWORD.replace("'", "''") + "'")
    other.execute("BEGIN IMMEDIATE")
    try:
        done = cli_vault.run("add", "--json", "-", stdin=json.dumps(zendesk_data()))
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert done.returncode == EXIT_VAULT
    assert "busy" in _one_error_line(done)
    assert cli_vault.stored() == {}


def test_installed_command_and_module_are_the_same_program(cli: Cli) -> None:
    """`integration-vault --version` works as an installed command, like `python -m app`."""
    script = Path(sys.executable).with_name("integration-vault")
    assert script.exists()
    installed = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, env=cli.env(), check=False
    )
    module = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        capture_output=True,
        text=True,
        env=cli.env(),
        check=False,
    )
    assert installed.returncode == module.returncode == EXIT_OK
    assert installed.stdout == module.stdout
    assert installed.stdout.startswith("integration-vault ")


# -- providers -------------------------------------------------------------------------


def test_providers_json_lists_each_provider_with_its_fields(cli: Cli) -> None:
    """providers --json lists every provider with platform and name/title/secret/required fields."""
    done = cli.run("providers", "--json")

    assert done.returncode == EXIT_OK, done.stderr
    listing = {p["name"]: p for p in json.loads(done.stdout)}
    assert {"s3", "r2", "zendesk"} <= set(listing)
    assert (listing["s3"]["platform"], listing["zendesk"]["platform"]) == ("cloud", "helpcenter")
    for provider in listing.values():
        assert provider["fields"]
        for item in provider["fields"]:
            assert {"name", "title", "secret", "required"} <= set(item)
    s3_fields = {f["name"]: f for f in listing["s3"]["fields"]}
    assert s3_fields["secretAccessKey"]["secret"] is True
    assert s3_fields["accessKeyId"]["secret"] is False
    assert s3_fields["bucket"]["required"] is True
    assert {f["name"]: f["required"] for f in listing["r2"]["fields"]}["region"] is False
    assert {f["name"]: f["secret"] for f in listing["zendesk"]["fields"]}["token"] is True


# -- add, list, show, edit, delete -----------------------------------------------------


def test_add_from_stdin_prints_the_new_id(cli_vault: Cli) -> None:
    """add --json - reads the integration from stdin and prints only its UUID4."""
    done = cli_vault.run("add", "--json", "-", stdin=json.dumps(zendesk_data()))

    assert done.returncode == EXIT_OK, done.stderr
    new_id = done.stdout.strip()
    assert uuid.UUID(new_id).version == 4
    assert done.stdout == new_id + "\n"
    assert list(cli_vault.stored()) == [new_id]


def test_add_from_options_prints_the_new_id(cli_vault: Cli) -> None:
    """add --provider --label --set k=v stores the fields given, normalised."""
    done = cli_vault.run(
        "add",
        "--provider",
        "zendesk",
        "--label",
        "From options",
        "--set",
        "subdomain=https://example.zendesk.com/",
        "--set",
        "username=agent@acme.test",
        "--set",
        f"token={ZENDESK_TOKEN}",
    )
    assert done.returncode == EXIT_OK, done.stderr
    new_id = done.stdout.strip()
    stored = cli_vault.stored()[new_id]
    assert stored.label == "From options"
    assert stored.credentials.to_wire() == {
        "subdomain": "example",
        "username": "agent@acme.test",
        "token": ZENDESK_TOKEN,
    }


ZENDESK_OPTIONS = ["--provider", "zendesk", "--label", "x", "--set", "subdomain=acme"]
AGENT = "username=agent@acme.test"
TOKEN = f"token={ZENDESK_TOKEN}"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (
            [*ZENDESK_OPTIONS, "--set", "username=not-an-email", "--set", TOKEN],
            "credentials.username",
        ),
        ([*ZENDESK_OPTIONS, "--set", AGENT], "credentials.token"),
        (["--provider", "dropbox", "--label", "x", "--set", "a=b"], "provider"),
        ([*ZENDESK_OPTIONS, "--platform", "cloud", "--set", AGENT, "--set", TOKEN], "platform"),
        ([*ZENDESK_OPTIONS, "--set", "no-equals-sign"], "--set"),
    ],
    ids=["malformed", "missing", "unknown-provider", "platform-mismatch", "bad-set"],
)
def test_invalid_input_exits_4_naming_the_field(
    cli_vault: Cli, args: list[str], field: str
) -> None:
    """add with invalid input exits 4, names the field, and stores nothing."""
    done = cli_vault.run("add", *args)

    assert done.returncode == EXIT_INVALID
    assert field in _one_error_line(done)
    assert ZENDESK_TOKEN not in done.stderr
    assert cli_vault.stored() == {}


def test_add_with_json_that_does_not_parse_exits_4(cli_vault: Cli) -> None:
    """add --json - with broken JSON exits 4."""
    done = cli_vault.run("add", "--json", "-", stdin="{not json")

    assert done.returncode == EXIT_INVALID
    assert "JSON" in _one_error_line(done)


def test_list_json_has_the_row_fields_and_never_a_secret(cli_vault: Cli) -> None:
    """list --json gives id, label, platform, provider, times and lastCheck, and no secret."""
    ids = set(cli_vault.seed(s3_data("acme-exports"), r2_data("acme-archive"), zendesk_data()))
    done = cli_vault.run("list", "--json")

    assert done.returncode == EXIT_OK
    rows = json.loads(done.stdout)
    assert {r["id"] for r in rows} == ids
    for row in rows:
        assert set(row) >= LIST_KEYS
        assert API_TIME.match(row["createdAt"])
        assert API_TIME.match(row["updatedAt"])
        assert row["lastCheck"] is None
    assert not any(secret in done.stdout for secret in SECRETS)
    assert S3_KEY_ID not in done.stdout


def test_list_text_never_shows_a_secret(cli_vault: Cli) -> None:
    """The plain list shows labels but no secret."""
    cli_vault.seed(s3_data("acme-exports", label="Quokka exports"), zendesk_data())

    done = cli_vault.run("list")
    assert done.returncode == EXIT_OK
    assert "Quokka exports" in done.stdout
    assert not any(secret in done.stdout for secret in SECRETS)


def test_show_masks_secrets_and_reveal_shows_them(cli_vault: Cli) -> None:
    """show masks the secret (text and JSON); show --reveal prints it."""
    (s3_id,) = cli_vault.seed(s3_data("acme-exports"))

    text = cli_vault.run("show", s3_id)
    assert text.returncode == EXIT_OK
    assert S3_SECRET not in text.stdout
    assert "••••" in text.stdout
    assert S3_KEY_ID in text.stdout
    masked = _show(cli_vault, s3_id)
    assert masked["credentials"]["secretAccessKey"] != S3_SECRET
    assert S3_SECRET not in json.dumps(masked)
    revealed = _show(cli_vault, s3_id, "--reveal")
    assert revealed["credentials"]["secretAccessKey"] == S3_SECRET


def test_edit_changes_only_what_is_named(cli_vault: Cli) -> None:
    """edit --label and --set change those values; the secret and createdAt stay."""
    (s3_id,) = cli_vault.seed(s3_data("acme-exports"))
    before = cli_vault.stored()[s3_id]

    done = cli_vault.run("edit", s3_id, "--label", "Renamed", "--set", "bucket=acme-other")
    assert done.returncode == EXIT_OK, done.stderr
    after = cli_vault.stored()[s3_id]
    assert after.label == "Renamed"
    assert after.credentials.to_wire() == {**before.credentials.to_wire(), "bucket": "acme-other"}
    assert after.credentials.to_wire()["secretAccessKey"] == S3_SECRET
    assert after.created_at == before.created_at
    assert after.updated_at > before.updated_at


def test_edit_with_an_invalid_value_exits_4_and_keeps_the_old_value(cli_vault: Cli) -> None:
    """edit --set with a malformed value exits 4 naming the field; nothing changes."""
    (z_id,) = cli_vault.seed(zendesk_data())

    done = cli_vault.run("edit", z_id, "--set", "username=nobody")
    assert done.returncode == EXIT_INVALID
    assert "credentials.username" in _one_error_line(done)
    assert cli_vault.stored()[z_id].credentials.to_wire()["username"] == "agent@acme.test"


def test_edit_with_a_misspelt_field_is_refused(cli_vault: Cli) -> None:
    """edit --set with a field the provider does not have exits 4 naming that field."""
    (s3_id,) = cli_vault.seed(s3_data("acme-exports"))

    done = cli_vault.run("edit", s3_id, "--set", "regoin=eu-west-1")
    assert done.returncode == EXIT_INVALID
    assert "regoin" in done.stderr


def test_delete_removes_the_integration(cli_vault: Cli) -> None:
    """delete ID removes that integration and keeps the others."""
    keep, gone = cli_vault.seed(zendesk_data(label="keep"), zendesk_data(label="gone"))

    done = cli_vault.run("delete", gone)
    assert done.returncode == EXIT_OK, done.stderr
    assert list(cli_vault.stored()) == [keep]


@pytest.mark.parametrize("command", ["show", "delete", "verify", "edit"])
def test_unknown_id_exits_2(cli_vault: Cli, command: str) -> None:
    """An id that is not in the vault exits 2 and names the id."""
    extra = ["--label", "x"] if command == "edit" else []
    missing = str(uuid.uuid4())

    done = cli_vault.run(command, missing, *extra)
    assert done.returncode == EXIT_USAGE
    assert missing in _one_error_line(done)


@pytest.mark.parametrize(
    "args",
    [["no-such-command"], ["verify"], ["verify", "--all", "some-id"], ["show"], ["edit", "x"]],
    ids=["unknown-command", "verify-nothing", "verify-both", "show-no-id", "edit-nothing"],
)
def test_usage_errors_exit_2(cli_vault: Cli, args: list[str]) -> None:
    """A command line that cannot be run exits 2 with a message on stderr."""
    done = cli_vault.run(*args)

    assert done.returncode == EXIT_USAGE
    assert "error" in done.stderr
    assert done.stdout == ""


# -- endpoint overrides ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"dropbox": "http://127.0.0.1:9"}', "unknown provider 'dropbox'"),
        ('{"s3": "ftp://127.0.0.1:9"}', "http(s) URL"),
        ('["http://127.0.0.1:9"]', "JSON object"),
    ],
    ids=["invalid-json", "unknown-provider", "not-http", "not-object"],
)
def test_bad_endpoint_override_exits_2_with_a_clear_message(
    cli_vault: Cli, value: str, words: str
) -> None:
    """A malformed INTEGRATION_VAULT_ENDPOINTS is refused before any check, with exit 2."""
    (z_id,) = cli_vault.seed(zendesk_data())

    done = cli_vault.run("verify", z_id, env={"INTEGRATION_VAULT_ENDPOINTS": value})
    assert done.returncode == EXIT_USAGE
    line = _one_error_line(done)
    assert "INTEGRATION_VAULT_ENDPOINTS" in line
    assert words in line
    assert cli_vault.rows()[z_id].last_check is None


# -- input mistakes, typed at a terminal or given in files -----------------------------


def _at_terminal(cli: Cli, answers: list[str], *args: str) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its terminal (no password in the environment),
    typing ``answers`` at its prompts; returns the exit code and everything it wrote."""
    import os
    import pty
    import select

    argv = [sys.executable, "-m", "app", "--vault", str(cli.vault), *args]
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and terminal are the pty
        os.chdir(cli.home)
        os.execve(sys.executable, argv, cli.env(password=None))  # noqa: S606 (our own program)
    output, pending = b"", list(answers)
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:  # stuck at a prompt: end it, so the test fails instead of hanging
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        # Answer each prompt once it is shown, and only then: getpass discards what was
        # typed before it turned echo off, so an early answer would be lost.
        prompts = output.count(b"password: ")
        if pending and prompts > len(answers) - len(pending) and output.endswith(b": "):
            os.write(fd, (pending.pop(0) + "\n").encode())
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_init_at_a_terminal_refuses_an_empty_password(cli: Cli) -> None:
    """init with Enter pressed at the password prompt exits 4 saying it may not be empty."""
    code, said = _at_terminal(cli, ["", ""], "init")
    assert code == EXIT_INVALID, said
    assert "may not be empty" in said
    assert "wrong master password" not in said
    assert not cli.vault.exists()


def test_init_at_a_terminal_with_two_different_passwords_says_they_do_not_match(cli: Cli) -> None:
    """init with two different passwords typed exits 4 saying they do not match."""
    code, said = _at_terminal(cli, [PASSWORD, PASSWORD + "x"], "init")
    assert code == EXIT_INVALID, said
    assert "the two passwords do not match" in said
    assert not cli.vault.exists()


@pytest.mark.parametrize(
    "extra", [("--provider", "s3"), ("--label", "Other"), ("--set", "token=x"), ("--label", "")]
)
def test_add_json_with_field_options_is_a_usage_error(
    cli_vault: Cli, extra: tuple[str, ...]
) -> None:
    """add --json with --provider, --label or --set exits 2 naming the option; adds nothing."""
    done = cli_vault.run("add", "--json", "-", *extra, stdin=json.dumps(zendesk_data()))
    assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
    assert extra[0] in done.stderr
    assert cli_vault.stored() == {}


def test_add_with_the_same_field_set_twice_is_a_usage_error(cli_vault: Cli) -> None:
    """`--set token=a --set token=b` exits 2 naming the field instead of keeping the last."""
    done = cli_vault.run(
        "add", "--provider", "zendesk", "--label", "Twice",
        "--set", "subdomain=acme", "--set", "username=agent@acme.test",
        "--set", f"token={ZENDESK_TOKEN}", "--set", f"token={ZENDESK_TOKEN[::-1]}",
    )  # fmt: skip
    assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
    assert "--set token" in done.stderr
    assert ZENDESK_TOKEN not in done.stderr
    assert cli_vault.stored() == {}


def test_add_accepts_a_json_file_with_a_byte_order_mark(cli_vault: Cli) -> None:
    """add --json FILE saved by Notepad (UTF-8 with a byte-order mark) is read like any other."""
    path = cli_vault.home / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(zendesk_data()).encode())

    done = cli_vault.run("add", "--json", str(path))
    assert done.returncode == EXIT_OK, done.stderr
    assert [i.label for i in cli_vault.stored().values()] == [zendesk_data()["label"]]


def test_labels_with_control_characters_are_printed_escaped(cli_vault: Cli) -> None:
    """A stored label holding an escape sequence (from an older version) is shown escaped by
    list and show, never as raw control characters."""
    (item_id,) = cli_vault.seed(zendesk_data())
    with Vault.open(cli_vault.vault, PASSWORD) as opened:
        opened._conn.execute("UPDATE integrations SET label = ?", ("Red \x1b[31mAlert\x07",))

    for argv in (("list",), ("show", item_id), ("sync", "status")):
        done = cli_vault.run(*argv)
        assert done.returncode == EXIT_OK, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout
        assert "Red \\x1b[31mAlert\\x07" in done.stdout


def test_unknown_endpoint_key_names_it_and_lists_the_valid_ones(cli_vault: Cli) -> None:
    """INTEGRATION_VAULT_ENDPOINTS with a key that is no provider exits 2 naming it and the
    valid keys."""
    cli_vault.seed(zendesk_data())
    cli_vault.endpoints = {"s4": "http://127.0.0.1:1"}

    done = cli_vault.run("verify", "--all", "--timeout", "1")
    assert done.returncode == EXIT_USAGE, done.stdout + done.stderr
    assert "'s4'" in done.stderr
    assert "s3, r2, zendesk" in done.stderr
    assert "r2:eu" in done.stderr


def test_gui_without_a_display_says_how_to_start_it(cli_vault: Cli) -> None:
    """`gui` with no display explains xvfb-run and the CLI instead of letting Qt abort."""
    no_screen = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}

    for args in (("gui",), ()):
        done = cli_vault.run(*args, env=no_screen)
        assert done.returncode == 1, done.stderr
        assert "No display found" in done.stderr
        assert "xvfb-run -a integration-vault gui" in done.stderr
        assert "Aborted" not in done.stderr and "qt.qpa" not in done.stderr
