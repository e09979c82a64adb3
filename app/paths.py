"""Where the app keeps its files by default (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "IntegrationVault"
VAULT_FILE = "vault.db"


def default_vault_path() -> Path:
    """The vault in the user data folder, or ``INTEGRATION_VAULT_PATH`` when set."""
    override = os.environ.get("INTEGRATION_VAULT_PATH")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / VAULT_FILE


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
