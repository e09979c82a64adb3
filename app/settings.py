"""The person's preferences (auto-lock, clipboard, checks), kept inside the encrypted vault."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import FieldProblem, InvalidInput
from app.verification import CheckOptions

log = logging.getLogger(__name__)

SETTINGS_KEY = "app.settings"  # one JSON object in the vault's settings table: saved at once

# What each setting means, in the words shown beside it when a value is refused.
_LIMITS = {
    "auto_lock_minutes": "a whole number of minutes from 0 to 1440 (0 turns auto-lock off)",
    "clipboard_clear_seconds": "a whole number of seconds from 0 to 3600 (0 never clears)",
    "check_timeout_seconds": "a whole number of seconds from 1 to 300",
    "check_concurrency": "a whole number of checks from 1 to 32",
}


class SettingsStore(Protocol):
    """What settings need of the vault: its string settings table."""

    def setting(self, key: str, default: str | None = None) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...


class AppSettings(BaseModel):
    """Preferences with their defaults; every value is range-checked on the way in."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    auto_lock_minutes: int = Field(default=5, ge=0, le=1440)
    clipboard_clear_seconds: int = Field(default=30, ge=0, le=3600)
    check_timeout_seconds: int = Field(default=10, ge=1, le=300)
    check_concurrency: int = Field(default=8, ge=1, le=32)

    @property
    def auto_lock_seconds(self) -> float | None:
        """The idle time before the vault locks itself, or None when auto-lock is off."""
        return self.auto_lock_minutes * 60.0 if self.auto_lock_minutes else None

    def check_options(self) -> CheckOptions:
        """Options for running a check with this time-out (endpoint overrides included)."""
        return CheckOptions.from_environment(timeout_s=float(self.check_timeout_seconds))


def parse_settings(data: Mapping[str, Any]) -> AppSettings:
    """Validate ``data`` (absent keys take their defaults); every problem names its setting."""
    try:
        return AppSettings.model_validate(dict(data))
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            loc = error.get("loc") or ()
            name = str(loc[0]) if loc else "settings"
            if error.get("type") == "extra_forbidden":
                message = "not a setting; known settings: " + ", ".join(_LIMITS)
            else:
                message = f"expected {_LIMITS.get(name, 'a valid value')}"
            problems.append(FieldProblem(name, message))
        raise InvalidInput(problems) from None


def load_settings(vault: SettingsStore) -> AppSettings:
    """The stored settings; defaults where nothing (or nothing usable) is stored.

    A stored value this version cannot use (edited by hand, or from a newer version) is
    replaced by its default and logged, so a bad preference never keeps the vault shut.
    """
    raw = vault.setting(SETTINGS_KEY)
    if raw is None:
        return AppSettings()
    try:
        stored = json.loads(raw)
    except ValueError:
        log.warning("the stored settings are not JSON; using the defaults")
        return AppSettings()
    if not isinstance(stored, dict):
        log.warning("the stored settings are not a JSON object; using the defaults")
        return AppSettings()

    usable: dict[str, Any] = {}
    for name, value in stored.items():
        try:
            parse_settings({name: value})
        except InvalidInput:
            log.warning("stored setting %s is not usable; using its default", name)
            continue
        usable[name] = value
    return parse_settings(usable)


def save_settings(vault: SettingsStore, settings: AppSettings) -> None:
    """Keep ``settings`` in the vault, all of them in one write."""
    vault.set_setting(SETTINGS_KEY, json.dumps(settings.model_dump(), sort_keys=True))
    log.info("settings saved")
