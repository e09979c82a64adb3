"""The PyInstaller one-folder app: it builds, and answers --version and --self-test headless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import PASSWORD, ROOT
from tests.test_transfer import EXAMPLES, SECRETS

NAME = "integration-vault"
BUILD_TIMEOUT_S = 900
SELF_TEST_STEPS = [
    "vault create, write, read back",
    "wrong password refused",
    "window toolkit renders offscreen",
]


def _headless_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a machine with no display, its HOME and XDG folders under ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH", "QT_QPA_PLATFORM")
        and not k.startswith(("INTEGRATION_VAULT_", "AWS_", "XDG_"))
    }
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
    )
    env.update(extra)
    return env


def _pyinstaller(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )


def _run(program: Path, *args: str, env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [str(program), *args],
        cwd=env["HOME"],
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _self_test_lines(stdout: str) -> dict[str, str]:
    """Self-test output as step name -> 'ok' or 'FAIL', plus the verdict under 'verdict'."""
    steps = {}
    lines = stdout.splitlines()
    for line in lines[:-1]:
        status, _, rest = line.partition(" ")
        steps[rest.strip().split(" (")[0]] = status
    steps["verdict"] = lines[-1] if lines else ""
    return steps


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled program, built once for this module exactly as `make bundle` builds it."""
    work = tmp_path_factory.mktemp("bundle")
    spec = ROOT / f"{NAME}.spec"
    built = _pyinstaller(
        "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(spec), cwd=work
    )
    assert built.returncode == 0, built.stderr[-4000:]
    program = work / "dist" / NAME / NAME
    assert program.is_file()
    yield program


# -- the bundled program ---------------------------------------------------------------


@pytest.mark.slow
def test_bundled_program_answers_version(bundle: Path, tmp_path: Path) -> None:
    """`integration-vault --version` in the bundle prints the app's name and version."""
    done = _run(bundle, "--version", env=_headless_env(tmp_path / "home"))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{NAME} {__version__}"


@pytest.mark.slow
def test_bundled_self_test_passes_headless_and_checks_a_local_s3(
    bundle: Path, tmp_path: Path, moto_url: str
) -> None:
    """--self-test --s3-endpoint passes every step, S3 included, with no display."""
    env = _headless_env(tmp_path / "home", QT_QPA_PLATFORM="offscreen")
    done = _run(bundle, "--self-test", "--s3-endpoint", moto_url, env=env)

    assert done.returncode == 0, done.stdout + done.stderr
    steps = _self_test_lines(done.stdout)
    assert steps == {
        **dict.fromkeys(SELF_TEST_STEPS, "ok"),
        "S3 check with write probe": "ok",
        "verdict": "self-test passed",
    }


@pytest.mark.slow
def test_bundled_self_test_needs_no_qt_platform_setting(bundle: Path, tmp_path: Path) -> None:
    """--self-test passes with no display and no QT_QPA_PLATFORM set at all."""
    done = _run(bundle, "--self-test", env=_headless_env(tmp_path / "home"))

    assert done.returncode == 0, done.stdout + done.stderr
    assert _self_test_lines(done.stdout) == {
        **dict.fromkeys(SELF_TEST_STEPS, "ok"),
        "verdict": "self-test passed",
    }


@pytest.mark.slow
def test_bundled_self_test_fails_when_the_s3_server_is_unreachable(
    bundle: Path, tmp_path: Path, closed_port_url: str
) -> None:
    """--self-test with an S3 address nobody answers reports that step FAIL and exits 1."""
    env = _headless_env(tmp_path / "home", QT_QPA_PLATFORM="offscreen")
    done = _run(bundle, "--self-test", "--s3-endpoint", closed_port_url, env=env)

    assert done.returncode == 1
    steps = _self_test_lines(done.stdout)
    assert steps["S3 check with write probe"] == "FAIL"
    assert steps["verdict"] == "self-test failed: 1 step(s)"


@pytest.mark.slow
def test_bundled_cli_keeps_integrations_in_an_encrypted_vault(bundle: Path, tmp_path: Path) -> None:
    """The bundled CLI creates a vault, adds, lists and shows masked, with SQLCipher inside."""
    vault = tmp_path / "bundle-vault.db"
    env = _headless_env(tmp_path / "home", INTEGRATION_VAULT_PASSWORD=PASSWORD)
    data = EXAMPLES["zendesk"]

    assert _run(bundle, "--vault", str(vault), "init", env=env).returncode == 0
    added = _run(
        bundle, "--vault", str(vault), "add", "--json", "-", env=env, stdin=json.dumps(data)
    )
    assert added.returncode == 0, added.stderr
    shown = _run(bundle, "--vault", str(vault), "show", added.stdout.strip(), "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["label"] == data["label"]
    assert SECRETS["zendesk"] not in shown.stdout
    assert SECRETS["zendesk"].encode() not in vault.read_bytes()
    assert not vault.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.slow
def test_bundle_ships_every_resource_file(bundle: Path) -> None:
    """Every icon and style sheet under resources/ is inside the bundle."""
    shipped = bundle.parent / "_internal" / "resources"
    wanted = [p.relative_to(ROOT / "resources") for p in (ROOT / "resources").rglob("*")]

    assert wanted
    assert [str(p) for p in wanted if not (shipped / p).exists()] == []


# -- the same self-test from the source tree (fast) ------------------------------------


def test_self_test_from_source_passes_headless_with_a_local_s3(
    tmp_path: Path, moto_url: str
) -> None:
    """`python -m app --self-test --s3-endpoint URL` passes every step with no display."""
    env = _headless_env(tmp_path / "home", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test", "--s3-endpoint", moto_url],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert _self_test_lines(done.stdout)["verdict"] == "self-test passed"
    assert _self_test_lines(done.stdout)["S3 check with write probe"] == "ok"
