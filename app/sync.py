"""Mirroring the vault to the remote Integration API without ever losing an edit.

Each integration is one step: the network calls first, then one local transaction. A
failure anywhere in a step leaves that integration's local data as it was (only the reason
is noted), so a push of many can be re-run safely.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.errors import InvalidInput, SyncStepFailed, UserFacingError
from app.models import MASK, Integration, parse_new
from app.remote import IntegrationApi, RemoteError, RemoteRecord, RemoteStamp
from app.vault import Vault
from providers.base import Category, VerificationResult

log = logging.getLogger(__name__)

_REMOTE_CATEGORY = {
    "network": Category.NETWORK,
    "auth": Category.AUTH,
    "not_found": Category.NOT_FOUND,
    "validation": Category.MISCONFIGURED,
}


@dataclass(frozen=True)
class SyncOutcome:
    """What happened to one integration in a sync operation."""

    integration_id: str | None
    label: str
    action: str  # created | updated | up to date | pulled | conflict | kept local | ... | error
    message: str
    ok: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.integration_id,
            "label": self.label,
            "action": self.action,
            "ok": self.ok,
            "message": self.message,
        }


def wire_record(item: Integration) -> dict[str, Any]:
    """The body the API stores: ``{label, platform, provider, credentials}``."""
    return {
        "label": item.label,
        "platform": item.platform,
        "provider": item.provider,
        "credentials": item.credentials.to_wire(),
    }


class SyncService:
    """Push, pull, resolve, delete and remote verify, one integration step at a time."""

    def __init__(self, vault: Vault, api: IntegrationApi) -> None:
        self.vault = vault
        self.api = api

    def push(
        self, ids: list[str], on_outcome: Callable[[SyncOutcome], None] | None = None
    ) -> list[SyncOutcome]:
        outcomes = []
        for integration_id in ids:
            outcome = self.push_one(integration_id)
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
        return outcomes

    def push_one(self, integration_id: str) -> SyncOutcome:
        item = self.vault.get(integration_id)
        state, remote_id, seen = self.vault.sync_info(item.id)
        if state == "conflict":
            return SyncOutcome(
                item.id,
                item.label,
                "conflict",
                "resolve the conflict first (sync resolve ID --keep local|remote)",
                ok=False,
            )
        if remote_id is not None and state == "synced":
            return SyncOutcome(item.id, item.label, "up to date", "no local changes to send")
        try:
            if remote_id is None:
                # The key survives edits until a create is confirmed, so a create whose
                # answer was lost is recognised by the server when it is sent again.
                key, retried = self.vault.create_key(item.id)
                stamp = self.api.create(wire_record(item), key)
                if retried:
                    # An earlier attempt may have created an older version of the record.
                    stamp = self._bring_up_to_date(item, stamp)
                self.vault.mark_synced(item.id, stamp.id, stamp.updated_at, item.updated_at)
                return SyncOutcome(item.id, item.label, "created", f"created as {stamp.id}")
            try:
                remote = self.api.fetch(remote_id)
            except RemoteError as exc:
                if exc.kind != "not_found":
                    raise
                self.vault.mark_local_only(item.id, "was deleted on the server")
                return SyncOutcome(
                    item.id,
                    item.label,
                    "error",
                    "no longer on the server; it is local only now (push again to re-create it)",
                    ok=False,
                )
            if seen is not None and remote.updated_at > seen and _holds(remote, item):
                # The server already has exactly this version: an update of ours whose
                # answer was lost. Nothing to choose between; adopt the server's stamp.
                self.vault.mark_synced(item.id, remote_id, remote.updated_at, item.updated_at)
                return SyncOutcome(item.id, item.label, "up to date", f"{remote_id} holds it")
            if seen is None or remote.updated_at > seen:
                self.vault.mark_conflict(item.id, remote.to_json())
                return SyncOutcome(
                    item.id,
                    item.label,
                    "conflict",
                    "changed on the server since the last sync; choose which side to keep",
                    ok=False,
                )
            stamp = self.api.update(remote_id, wire_record(item))
            self.vault.mark_synced(item.id, remote_id, stamp.updated_at, item.updated_at)
            return SyncOutcome(item.id, item.label, "updated", f"updated {remote_id}")
        except RemoteError as exc:
            self.vault.mark_sync_error(item.id, str(exc))
            return SyncOutcome(item.id, item.label, "error", str(exc), ok=False)

    def _bring_up_to_date(self, item: Integration, stamp: RemoteStamp) -> RemoteStamp:
        remote = self.api.fetch(stamp.id)
        if _holds(remote, item):
            return stamp
        return self.api.update(stamp.id, wire_record(item))

    def pull(self, remote_id: str) -> SyncOutcome:
        """Bring one server record into the vault, as new or over an unmodified copy."""
        try:
            remote = self.api.fetch(remote_id)
        except RemoteError as exc:
            if exc.kind != "not_found" or self.vault.local_id_for_remote(remote_id):
                raise
            raise RemoteError(
                "not_found", f"the server has no integration with id {remote_id}", exc.status
            ) from None
        new = _validated(remote)
        local_id = self.vault.local_id_for_remote(remote.id)
        if local_id is not None:
            state, _, seen = self.vault.sync_info(local_id)
            server_newer = seen is None or remote.updated_at > seen
            if state in ("modified", "conflict") and server_newer:
                self.vault.mark_conflict(local_id, remote.to_json())
                return SyncOutcome(
                    local_id,
                    new.label,
                    "conflict",
                    "changed on both sides; choose which side to keep",
                    ok=False,
                )
            if state == "modified":
                return SyncOutcome(
                    local_id,
                    new.label,
                    "kept local",
                    "the server has nothing newer; push to send the local changes",
                )
        saved = self.vault.apply_remote(
            local_id, new, remote.id, remote.updated_at, local_id=str(uuid.uuid4())
        )
        return SyncOutcome(saved, new.label, "pulled", f"copied {remote.id} from the server")

    def resolve(self, integration_id: str, keep: str) -> SyncOutcome:
        item = self.vault.get(integration_id)
        state, remote_id, _ = self.vault.sync_info(item.id)
        snapshot = self.vault.conflict_remote(item.id)
        if state != "conflict" or snapshot is None or remote_id is None:
            raise UserFacingError(f"{item.label} has no conflict to resolve")
        if keep == "remote":
            remote = RemoteRecord(**_record_args(snapshot))
            self.vault.apply_remote(
                item.id, _validated(remote), remote_id, remote.updated_at, local_id=item.id
            )
            return SyncOutcome(
                item.id, item.label, "kept remote", "the server's version is now the local one"
            )
        try:
            current = self.api.fetch(remote_id)
        except RemoteError as exc:
            if exc.kind != "not_found":
                raise
            self.vault.mark_local_only(item.id, None)
            return SyncOutcome(
                item.id,
                item.label,
                "kept local",
                "it was deleted on the server, so it is local only now; push it to create it again",
            )
        recorded = RemoteRecord(**_record_args(snapshot))
        if current.updated_at > recorded.updated_at:
            self.vault.mark_conflict(item.id, current.to_json())
            return SyncOutcome(
                item.id,
                item.label,
                "conflict",
                "changed on the server again; compare once more",
                ok=False,
            )
        stamp = self.api.update(remote_id, wire_record(item))
        self.vault.mark_synced(item.id, remote_id, stamp.updated_at)
        return SyncOutcome(
            item.id, item.label, "kept local", "the local version is now on the server"
        )

    def delete(self, integration_id: str, remote: bool) -> SyncOutcome:
        """Delete locally, and first on the server when ``remote`` (nothing local is lost
        when the server refuses)."""
        item = self.vault.get(integration_id)
        _, remote_id, _ = self.vault.sync_info(item.id)
        note = "deleted locally"
        if remote and remote_id:
            try:
                self.api.delete(remote_id)
                note = "deleted here and on the server"
            except RemoteError as exc:
                if exc.kind != "not_found":
                    raise
                note = "deleted locally (it was already gone from the server)"
        elif remote_id:
            note = "deleted locally; it is still on the server"
        self.vault.delete(item.id)
        return SyncOutcome(item.id, item.label, "deleted", note)

    def verify_remote(self, integration_id: str) -> VerificationResult:
        """Ask the API to check the credentials: by id when in sync, else by value."""
        item = self.vault.get(integration_id)
        state, remote_id, _ = self.vault.sync_info(item.id)
        body: dict[str, Any]
        if remote_id and state == "synced":
            body = {"integrationId": remote_id}
        else:
            record = wire_record(item)
            body = {k: record[k] for k in ("platform", "provider", "credentials")}
        started = time.monotonic()
        try:
            ok, message = self.api.verify(body)
            category = Category.OK if ok else Category.AUTH
        except RemoteError as exc:
            ok, message = False, f"the remote check could not run: {exc}"
            category = _REMOTE_CATEGORY.get(exc.kind, Category.UNKNOWN)
        elapsed = round((time.monotonic() - started) * 1000)
        result = VerificationResult(ok, category, message, elapsed)
        self.vault.record_check(item.id, result, source="remote")
        return result


@dataclass(frozen=True)
class FieldComparison:
    """One line of a conflict: a field's local and remote values (secrets masked)."""

    field: str
    local: str
    remote: str
    differs: bool


def compare_sides(vault: Vault, integration_id: str) -> list[FieldComparison]:
    """Both sides of a conflict, field by field; secrets show only whether they differ."""
    item = vault.get(integration_id)
    snapshot = vault.conflict_remote(item.id)
    if snapshot is None:
        raise UserFacingError(f"{item.label} has no conflict to resolve")
    local = {"label": item.label, "platform": item.platform, "provider": item.provider}
    remote = {k: snapshot.get(k) for k in local}
    secrets = set(item.credentials.secret_fields())
    local_creds = item.credentials.to_wire()
    remote_creds = snapshot.get("credentials") or {}
    rows = [FieldComparison(k, str(local[k]), str(remote[k]), local[k] != remote[k]) for k in local]
    for name in dict.fromkeys([*local_creds, *remote_creds]):
        mine, theirs = local_creds.get(name), remote_creds.get(name)
        differs = mine != theirs
        if name in secrets:
            shown_mine = MASK if mine else "(empty)"
            shown_theirs = MASK if theirs else "(empty)"
        else:
            shown_mine = "(empty)" if mine is None else str(mine)
            shown_theirs = "(empty)" if theirs is None else str(theirs)
        rows.append(FieldComparison(f"credentials.{name}", shown_mine, shown_theirs, differs))
    return rows


def _validated(remote: RemoteRecord) -> Any:
    try:
        return parse_new(
            {
                "label": remote.label,
                "platform": remote.platform,
                "provider": remote.provider,
                "credentials": remote.credentials,
            }
        )
    except InvalidInput as exc:
        raise SyncStepFailed(
            f"the server's record {remote.id} is not valid here: {exc}; nothing was copied"
        ) from None


def _record_args(snapshot: dict[str, Any]) -> dict[str, Any]:
    from app import timefmt

    return {
        "id": snapshot["id"],
        "label": snapshot["label"],
        "platform": snapshot["platform"],
        "provider": snapshot["provider"],
        "credentials": snapshot["credentials"],
        "created_at": timefmt.from_api(snapshot["createdAt"]),
        "updated_at": timefmt.from_api(snapshot["updatedAt"]),
    }


def _holds(remote: RemoteRecord, item: Integration) -> bool:
    """Whether the server's record says exactly what the local integration says."""
    held = {k: getattr(remote, k) for k in ("label", "platform", "provider", "credentials")}
    return held == wire_record(item)
