"""UI test fixtures: a qasync loop on the test QApplication, a fresh vault, loopback servers."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import qasync
from moto.server import ThreadedMotoServer
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.models import Integration, parse_new
from app.vault import Vault
from ui.main_window import MainWindow
from ui.tasks import shutdown_workers

PASSWORD = "correct horse battery staple"
BUCKET = "acme-support-screenshots"
ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def qasync_loop(qapp: QApplication, qtbot: QtBot) -> Iterator[qasync.QEventLoop]:
    """An asyncio loop driven by the Qt event loop pytest-qt already runs."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    leftovers = asyncio.all_tasks(loop)
    for task in leftovers:
        task.cancel()
    qtbot.waitUntil(lambda: all(task.done() for task in leftovers), timeout=2_000)
    # stop() calls QApplication.exit(), which would make every later nested Qt event loop
    # (qtbot.wait, waitUntil) return at once for the rest of the session; skip that call.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qapp, "exit", lambda *args: None)
        loop.stop()
    loop.close()
    shutdown_workers()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "test.vault"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    opened = Vault.create(vault_path, PASSWORD)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[Path]:
    """Window geometry and list columns go to a fresh folder, never the person's own file."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody answers would hang the run; make it fail the test instead."""

    def refuse(_parent: object, title: str, text: str, *_args: object) -> None:
        raise AssertionError(f"unexpected dialog {title!r}: {text}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, refuse)


def _forget_edits(window: MainWindow) -> None:
    window.checks.stop_all()
    window.editor.clear()  # closing with unsaved edits would ask; the test is over


def open_window(qtbot: QtBot, vault: Vault, **kwargs: Any) -> MainWindow:
    shown = MainWindow(vault, **kwargs)
    qtbot.addWidget(shown, before_close_func=_forget_edits)
    shown.show()
    return shown


@pytest.fixture
def window(qtbot: QtBot, vault: Vault, qasync_loop: qasync.QEventLoop) -> MainWindow:
    return open_window(qtbot, vault)


def add_s3(vault: Vault, label: str = "Acme screenshots", bucket: str = BUCKET) -> Integration:
    credentials = {
        "bucket": bucket,
        "region": "us-east-1",
        "accessKeyId": ACCESS_KEY_ID,
        "secretAccessKey": SECRET_KEY,
    }
    return vault.add(parse_new({"label": label, "provider": "s3", "credentials": credentials}))


def add_zendesk(vault: Vault, label: str = "Globex help center") -> Integration:
    credentials = {"subdomain": "globex", "username": "agent@globex.com", "token": "tok-123"}
    return vault.add(parse_new({"label": label, "provider": "zendesk", "credentials": credentials}))


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto S3 (and STS) server on loopback with one bucket; checks are sent to it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=BUCKET)
    monkeypatch.setenv("INTEGRATION_VAULT_ENDPOINTS", json.dumps({"s3": url}))
    yield url
    server.stop()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback port that takes connections (the kernel's backlog) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
