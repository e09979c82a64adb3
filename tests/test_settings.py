"""Preferences kept in the vault: defaults, validation with named problems, round trips."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.settings import SETTINGS_KEY, AppSettings, load_settings, parse_settings, save_settings
from app.vault import Vault
from tests.conftest import PASSWORD


def test_a_new_vault_has_the_defaults(vault: Vault) -> None:
    """Nothing stored yet: auto-lock 5 min, clipboard 30 s, checks 10 s and 8 at once."""
    settings = load_settings(vault)

    assert settings == AppSettings()
    assert settings.auto_lock_minutes == 5
    assert settings.auto_lock_seconds == 300
    assert settings.clipboard_clear_seconds == 30
    assert settings.check_timeout_seconds == 10
    assert settings.check_concurrency == 8


def test_saved_settings_survive_closing_the_vault(tmp_path: Path) -> None:
    """Settings saved in the vault are read back after reopening it with the password."""
    path = tmp_path / "settings.vault"
    chosen = AppSettings(
        auto_lock_minutes=15,
        clipboard_clear_seconds=10,
        check_timeout_seconds=25,
        check_concurrency=2,
    )
    with Vault.create(path, PASSWORD) as vault:
        save_settings(vault, chosen)

    with Vault.open(path, PASSWORD) as vault:
        assert load_settings(vault) == chosen


def test_out_of_range_values_are_refused_by_name() -> None:
    """A negative auto-lock and zero concurrency are each refused with what is allowed."""
    with pytest.raises(InvalidInput) as refused:
        parse_settings({"auto_lock_minutes": -1, "check_concurrency": 0})

    problems = {p.field: p.message for p in refused.value.problems}
    assert set(problems) == {"auto_lock_minutes", "check_concurrency"}
    assert "0 turns auto-lock off" in problems["auto_lock_minutes"]
    assert "from 1 to 32" in problems["check_concurrency"]


def test_unknown_settings_and_text_numbers_are_refused() -> None:
    """A misspelt setting name and a number given as text are both refused."""
    with pytest.raises(InvalidInput) as refused:
        parse_settings({"auto_lock_minuts": 5, "check_timeout_seconds": "10"})

    fields = [p.field for p in refused.value.problems]
    assert sorted(fields) == ["auto_lock_minuts", "check_timeout_seconds"]
    assert "known settings" in str(refused.value)


def test_zero_minutes_turns_auto_lock_off() -> None:
    """Auto-lock set to 0 minutes means the vault never locks by itself."""
    assert parse_settings({"auto_lock_minutes": 0}).auto_lock_seconds is None


def test_a_damaged_stored_value_falls_back_to_its_default(
    vault: Vault, caplog: pytest.LogCaptureFixture
) -> None:
    """One unusable stored value takes its default; the others keep their stored values."""
    stored = {"auto_lock_minutes": "soon", "check_concurrency": 3}
    vault.set_setting(SETTINGS_KEY, json.dumps(stored))

    with caplog.at_level(logging.WARNING, logger="app.settings"):
        settings = load_settings(vault)

    assert settings.auto_lock_minutes == 5
    assert settings.check_concurrency == 3
    assert "auto_lock_minutes" in caplog.text


def test_settings_that_are_not_json_give_the_defaults(vault: Vault) -> None:
    """A settings value that is not JSON at all is ignored rather than keeping the vault shut."""
    vault.set_setting(SETTINGS_KEY, "{not json")

    assert load_settings(vault) == AppSettings()


def test_check_options_carry_the_timeout() -> None:
    """The check time-out setting becomes the time-out of each check."""
    options = AppSettings(check_timeout_seconds=42).check_options()

    assert options.timeout_s == 42.0
