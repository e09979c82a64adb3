"""The default export target: which storage integration screenshots go to (a vault setting),
and each R2 integration's jurisdiction (kept locally; the remote API has no such field)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.errors import FieldProblem, InvalidInput
from app.vault import Vault
from providers.r2 import DEFAULT_JURISDICTION, JURISDICTIONS, jurisdiction_title

STORAGE_PROVIDERS = ("s3", "r2")
DEFAULT_TARGET_SETTING = "export_target.id"


@dataclass(frozen=True)
class ExportTarget:
    """What the list and the status bar show of the default export target: no secret."""

    id: str
    label: str
    provider: str
    bucket: str
    region: str
    jurisdiction: str | None = None  # R2 only

    @property
    def display(self) -> str:
        where = (
            f"region {self.region}"
            if self.jurisdiction is None
            else f"{jurisdiction_title(self.jurisdiction)} jurisdiction"
        )
        return f"{self.label} ({self.provider.upper()} bucket {self.bucket}, {where})"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "provider": self.provider,
            "bucket": self.bucket,
            "region": self.region,
            "jurisdiction": self.jurisdiction,
        }


def jurisdiction_setting(integration_id: str) -> str:
    """The vault setting that keeps an R2 integration's jurisdiction (local only)."""
    return f"r2.jurisdiction.{integration_id}"


def stored_jurisdiction(vault: Vault, integration_id: str) -> str:
    value = vault.setting(jurisdiction_setting(integration_id)) or DEFAULT_JURISDICTION
    return value if value in JURISDICTIONS else DEFAULT_JURISDICTION


def default_target_id(vault: Vault) -> str | None:
    """The id of the default export target; ``None`` when unset or since deleted."""
    value = (vault.setting(DEFAULT_TARGET_SETTING) or "").strip()
    return value if value and value in vault.ids() else None


def default_target(vault: Vault) -> ExportTarget | None:
    integration_id = default_target_id(vault)
    if integration_id is None:
        return None
    item = vault.get(integration_id)
    wire = item.credentials.to_wire()
    return ExportTarget(
        item.id,
        item.label,
        item.provider,
        str(wire.get("bucket", "")),
        str(wire.get("region", "")),
        stored_jurisdiction(vault, item.id) if item.provider == "r2" else None,
    )


def not_storage(label: str, provider: str) -> InvalidInput:
    """The error for an id that names a help-center integration where a bucket is needed."""
    return InvalidInput(
        [
            FieldProblem(
                "id",
                f"'{label}' is a {provider} integration; only S3 or R2 can be the export target",
            )
        ]
    )


def set_default_target(vault: Vault, integration_id: str) -> ExportTarget:
    """Make one storage integration the default export target (replacing any other)."""
    item = vault.get(integration_id)
    if item.provider not in STORAGE_PROVIDERS:
        raise not_storage(item.label, item.provider)
    vault.set_setting(DEFAULT_TARGET_SETTING, item.id)
    target = default_target(vault)
    assert target is not None
    return target


def clear_default_target(vault: Vault) -> str | None:
    """Forget the default export target; returns the id it had, if any."""
    previous = default_target_id(vault)
    vault.delete_setting(DEFAULT_TARGET_SETTING)
    return previous
