"""The default export target: a bucket checked step by step, then saved and marked default.

``ExportTargetSetup`` runs a fixed sequence of named steps (``StepId``) and reports each one
twice to ``on_step``: once as it starts (``RUNNING``) and once as it ends, with a status, the
time it took and a message that says what to fix. A failure stops the run at that step; a
probe object once written is always deleted, even when a later step fails or the run is
cancelled. "The bucket does not exist" is its own status (``BUCKET_MISSING``) so a front end
can ask whether to create it, set ``create_bucket`` and run again from ``StepId.BUCKET``.

The CLI runs everything in one call, ``run(vault)``; a GUI may do the same on a worker. The
network steps never touch the vault, so a front end may also run them alone
(``run(stop_before=StepId.SAVE)``) and the vault steps later (``run(vault,
start_at=StepId.SAVE)``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from app.default_target import (
    STORAGE_PROVIDERS,
    jurisdiction_setting,
    not_storage,
    set_default_target,
    stored_jurisdiction,
)
from app.endpoints import endpoint_overrides, jurisdiction_key
from app.errors import InvalidInput, UserFacingError
from app.export_steps import (
    NETWORK_STEPS,
    STEP_TITLES,
    VAULT_STEPS,
    SetupResult,
    StepId,
    StepReport,
    StepStatus,
    TargetForm,
)
from app.models import NewIntegration, parse_new, validate_label
from app.offline import blocking, check_values
from app.remote import IntegrationApi
from app.sync import SyncService
from app.vault import Vault
from app.verification import DEFAULT_TIMEOUT_S
from providers import storage
from providers.base import Category, CheckFailed, Step, VerificationResult
from providers.r2 import DEFAULT_JURISDICTION, JURISDICTIONS, endpoint_for, jurisdiction_title

log = logging.getLogger(__name__)

_PROBE_OTHERS_TIMEOUT_S = 5.0


class _Skip(Exception):
    """A step that does not apply here; its message says why."""


class _BucketMissing(Exception):
    """The bucket does not exist and creating it was not asked for."""


OnStep = Callable[[StepReport], None]


class ExportTargetSetup:
    """Checks a bucket for use as the export target, then saves it as the default.

    Args:
        form: the filled-in form.
        create_bucket: create the bucket when it is missing (else the bucket step ends as
            ``BUCKET_MISSING``); may be changed between runs.
        push: also push the saved integration to the remote API.
        timeout_s: per network call.
        endpoints: ``INTEGRATION_VAULT_ENDPOINTS`` overrides (read from the environment
            when not given).
    """

    def __init__(
        self,
        form: TargetForm,
        *,
        create_bucket: bool = False,
        push: bool = False,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        endpoints: Mapping[str, str] | None = None,
    ) -> None:
        self.form = form
        self.create_bucket = create_bucket
        self.push = push
        self.timeout_s = timeout_s
        self.endpoints = dict(endpoint_overrides() if endpoints is None else endpoints)
        self.integration_id: str | None = form.integration_id
        self.bucket_created = False
        self._new: NewIntegration | None = None
        self._target: storage.StorageTarget | None = None
        self._client: Any = None
        self._bucket_region: str | None = None
        self._probe: storage.Probe | None = None
        self._passed: dict[StepId, StepReport] = {}

    @property
    def plan(self) -> tuple[StepId, ...]:
        """The steps this setup runs, in order (the push step only when asked for)."""
        return tuple(s for s in StepId if s is not StepId.PUSH or self.push)

    @property
    def probe_pending(self) -> bool:
        """Whether a probe object was written and not yet deleted."""
        return self._probe is not None

    # -- running ------------------------------------------------------------------------

    def run(
        self,
        vault: Vault | None = None,
        *,
        on_step: OnStep | None = None,
        cancel: threading.Event | None = None,
        start_at: StepId | None = None,
        stop_before: StepId | None = None,
    ) -> SetupResult:
        """Run the planned steps from ``start_at`` up to (not including) ``stop_before``.

        Blocking. ``cancel`` is looked at between steps. ``on_step`` runs on the calling
        thread; a GUI passes a function that posts the report to its own thread.
        """
        steps = self._steps_between(start_at, stop_before)
        reports: list[StepReport] = []
        status, stopped_at = StepStatus.PASSED, None

        def emit(report: StepReport) -> None:
            if report.status is not StepStatus.RUNNING:
                reports.append(report)
            if on_step is not None:
                on_step(report)

        finished = False
        try:
            for step in steps:
                if cancel is not None and cancel.is_set():
                    emit(StepReport(step, StepStatus.CANCELLED, 0, _CANCELLED))
                    status, stopped_at = StepStatus.CANCELLED, step
                    break
                emit(StepReport(step, StepStatus.RUNNING))
                report = self.run_step(step, vault)
                emit(report)
                if not report.ok:
                    status, stopped_at = report.status, step
                    break
            finished = status is StepStatus.PASSED
        finally:
            if self._probe is not None and not finished:
                # The probe never stays behind: not after a failure, a cancel or Ctrl+C.
                emit(StepReport(StepId.DELETE, StepStatus.RUNNING))
                emit(self.run_step(StepId.DELETE))
        return SetupResult(status, tuple(reports), stopped_at, self.integration_id)

    def cleanup(self) -> StepReport | None:
        """Delete a probe object left by an unfinished run; ``None`` when there is none."""
        return self.run_step(StepId.DELETE) if self._probe is not None else None

    def run_step(self, step: StepId, vault: Vault | None = None) -> StepReport:
        """Run one step and report how it ended. Never raises for an expected problem."""
        if step in VAULT_STEPS and vault is None:
            raise ValueError(f"the '{step.value}' step needs the vault")
        started = time.monotonic()
        category: Category | None = None
        try:
            message = self._steps()[step](vault)
            status = StepStatus.PASSED
        except _Skip as skip:
            message, status = str(skip), StepStatus.SKIPPED
        except _BucketMissing as missing:
            message, status, category = str(missing), StepStatus.BUCKET_MISSING, Category.NOT_FOUND
        except CheckFailed as failure:
            message, status, category = failure.message, StepStatus.FAILED, failure.category
        except UserFacingError as exc:
            message, status, category = str(exc), StepStatus.FAILED, Category.MISCONFIGURED
        except Exception:
            log.exception("export target step '%s' failed unexpectedly", step.value)
            message = (
                "This step stopped on an internal error (a bug in Integration Vault). "
                "Details are in the log file."
            )
            status, category = StepStatus.FAILED, Category.UNKNOWN
        report = StepReport(step, status, _ms_since(started), message, category)
        if report.ok:
            self._passed[step] = report
        else:
            self._passed.pop(step, None)
        log.info("export target step %s: %s in %d ms", step.value, status.value, report.elapsed_ms)
        return report

    def _steps_between(self, start: StepId | None, stop: StepId | None) -> list[StepId]:
        plan = list(self.plan)
        first = plan.index(start) if start is not None else 0
        last = plan.index(stop) if stop is not None and stop in plan else len(plan)
        if first > 0 and self._target is None:
            raise ValueError("run the offline step before starting at a later step")
        return plan[first:last]

    def _steps(self) -> dict[StepId, Callable[[Vault | None], str]]:
        return {
            StepId.OFFLINE: lambda _: self._offline(),
            StepId.CREDENTIALS: lambda _: self._credentials(),
            StepId.BUCKET: lambda _: self._bucket(),
            StepId.REGION: lambda _: self._region(),
            StepId.WRITE: lambda _: self._write(),
            StepId.READ: lambda _: self._read(),
            StepId.DELETE: lambda _: self._delete(),
            StepId.SAVE: self._save,
            StepId.PUSH: self._push,
        }

    # -- the network steps --------------------------------------------------------------

    def _offline(self) -> str:
        form = self.form
        if form.provider not in STORAGE_PROVIDERS:
            raise CheckFailed(
                Category.MISCONFIGURED,
                f"provider: '{form.provider or '(none)'}' is not a storage provider; "
                "choose s3 or r2.",
            )
        if form.jurisdiction not in JURISDICTIONS or (
            form.provider == "s3" and form.jurisdiction != DEFAULT_JURISDICTION
        ):
            raise CheckFailed(
                Category.MISCONFIGURED,
                "jurisdiction: applies to R2 only and must be one of: "
                + ", ".join(JURISDICTIONS)
                + ".",
            )
        findings = check_values(form.provider, dict(form.values))
        problems = [f"{f.field}: {f.message}" for f in blocking(findings)]
        try:
            validate_label(form.label)
        except InvalidInput as exc:
            problems[:0] = [str(p) for p in exc.problems]
        if problems:
            raise CheckFailed(
                Category.MISCONFIGURED, "; ".join(problems) + ". Correct the form, then run again."
            )
        self._new = parse_new(
            {"label": form.label, "provider": form.provider, "credentials": dict(form.values)}
        )
        self._target = self._target_for(form.jurisdiction)
        self._client = None
        warnings = "; ".join(f"{f.field}: {f.message}" for f in findings)
        return f"Looks right; note {warnings}." if warnings else "No mistakes found in the form."

    def _credentials(self) -> str:
        detail = storage.check_key(self._ready(), self.timeout_s)
        return f"{detail[:1].upper()}{detail[1:]}."

    def _target_for(self, jurisdiction: str) -> storage.StorageTarget:
        creds = self._validated().credentials
        wire = creds.to_wire()
        if self.form.provider == "s3":
            region, endpoint = str(wire["region"]), self.endpoints.get("s3")
        else:
            region = "auto"
            endpoint = self._r2_endpoint(str(wire["accountId"]), jurisdiction, probing=False)
        return storage.StorageTarget(
            provider=self.form.provider,
            bucket=str(wire["bucket"]),
            region=region,
            access_key_id=str(wire["accessKeyId"]),
            secret_access_key=getattr(creds, "secret_access_key"),  # noqa: B009 (a SecretStr)
            endpoint_url=endpoint,
        )

    def _r2_endpoint(self, account: str, jurisdiction: str, *, probing: bool) -> str | None:
        key = jurisdiction_key(jurisdiction)
        if key in self.endpoints:
            return self.endpoints[key]
        if probing and any(k == "r2" or k.startswith("r2:") for k in self.endpoints):
            # R2 is pointed at a test server or mirror; other jurisdictions are not there.
            return None
        return endpoint_for(account, jurisdiction)

    def _bucket(self) -> str:
        target = self._ready()
        try:
            self._bucket_region = storage.head_bucket(target, self._s3())
            return f"Bucket '{target.bucket}' found{_in_region(self._bucket_region)}."
        except CheckFailed as failure:
            if target.provider == "r2" and failure.category in (
                Category.NOT_FOUND,
                Category.PERMISSION,
            ):
                self._raise_if_elsewhere(target)
            if failure.category is not Category.NOT_FOUND:
                raise
        where = self._where()
        if not self.create_bucket:
            raise _BucketMissing(
                f"Bucket '{target.bucket}' does not exist. It can be created {where}."
            )
        storage.create_bucket(target, self.timeout_s)
        self.bucket_created = True
        self._bucket_region = storage.head_bucket(target, self._s3())
        return f"Bucket '{target.bucket}' did not exist; created it {where}."

    def _raise_if_elsewhere(self, target: storage.StorageTarget) -> None:
        account = str(self._validated().credentials.to_wire()["accountId"])
        for other in JURISDICTIONS:
            url = self._r2_endpoint(account, other, probing=True)
            if other == self.form.jurisdiction or url is None:
                continue
            client = storage.make_client(
                replace(target, endpoint_url=url),
                "s3",
                min(self.timeout_s, _PROBE_OTHERS_TIMEOUT_S),
            )
            try:
                storage.head_bucket(target, client)
            except CheckFailed:
                continue
            chosen = jurisdiction_title(self.form.jurisdiction)
            raise CheckFailed(
                Category.MISCONFIGURED,
                f"Bucket '{target.bucket}' lives in the {jurisdiction_title(other)} "
                f"jurisdiction, so the {chosen} endpoint cannot see it. Choose "
                f"{jurisdiction_title(other)} as the jurisdiction.",
            )

    def _region(self) -> str:
        target = self._ready()
        if target.provider != "s3":
            raise _Skip(
                f"R2 has no regions (jurisdiction: {jurisdiction_title(self.form.jurisdiction)})."
            )
        detail = storage.check_region(target, self._bucket_region)
        return f"Region {detail}." if self._bucket_region else f"Region not checked: {detail}."

    def _write(self) -> str:
        target, probe = self._ready(), storage.new_probe()
        try:
            storage.write_probe(target, self._s3(), probe)
        except CheckFailed as failure:
            if failure.category not in (Category.PERMISSION, Category.AUTH):
                # The write may have landed before the answer was lost: remove it quietly.
                self._probe = probe
                self._delete(quiet=True)
            raise
        self._probe = probe
        return f"Wrote {probe.key} ({len(probe.body)} bytes)."

    def _read(self) -> str:
        if self._probe is None:
            raise CheckFailed(Category.UNKNOWN, "There is no probe object to read: write it first.")
        storage.read_probe(self._ready(), self._s3(), self._probe)
        return f"Read back the same {len(self._probe.body)} bytes."

    def _delete(self, quiet: bool = False) -> str:
        probe, self._probe = self._probe, None
        if probe is None:
            raise _Skip("No probe object to delete.")
        try:
            storage.delete_probe(self._ready(), self._s3(), probe)
        except CheckFailed:
            if not quiet:
                raise
        return "Deleted the probe object; nothing is left in the bucket."

    # -- the vault steps ----------------------------------------------------------------

    def _save(self, vault: Vault | None) -> str:
        assert vault is not None
        missing = [STEP_TITLES[s] for s in NETWORK_STEPS if s not in self._passed]
        if missing:
            raise CheckFailed(
                Category.UNKNOWN, f"Not saved: these checks have not passed: {', '.join(missing)}."
            )
        new, note = self._validated(), ""
        # The same setup run again (same label, bucket and key): update, never duplicate.
        # Another label is another integration: an existing one is never overwritten.
        same = _same_bucket_and_key(vault, new) if self.integration_id is None else None
        if same is not None:
            item = vault.update(same, label=new.label, credentials=new.credentials)
            verb = "Updated"
            note = " (it already held this label, bucket and access key ID; no copy was made)"
        elif self.integration_id is None:
            item = vault.add(new)
            verb = "Saved"
        else:
            current = vault.get(self.integration_id)
            if current.provider != new.provider:
                raise CheckFailed(
                    Category.MISCONFIGURED,
                    f"'{current.label}' is a {current.provider} integration, not {new.provider}.",
                )
            item = vault.update(current.id, label=new.label, credentials=new.credentials)
            verb = "Updated"
        self.integration_id = item.id
        if item.provider == "r2":
            vault.set_setting(jurisdiction_setting(item.id), self.form.jurisdiction)
        set_default_target(vault, item.id)
        vault.record_check(item.id, self._as_check())
        return f"{verb} '{item.label}'{note} and made it the default export target."

    def _as_check(self) -> VerificationResult:
        reports = [self._passed[s] for s in NETWORK_STEPS]
        steps = tuple(
            Step(r.title, True, r.elapsed_ms, r.message, r.status is StepStatus.SKIPPED)
            for r in reports
        )
        return VerificationResult(
            True,
            Category.OK,
            "Export target setup passed: the key may write, read and delete objects.",
            sum(s.elapsed_ms for s in steps),
            steps,
        )

    def _push(self, vault: Vault | None) -> str:
        assert vault is not None
        config = vault.remote_config()
        if config is None:
            raise CheckFailed(
                Category.MISCONFIGURED,
                "The remote API is not configured. Set it up (remote configure --url …), "
                "then push this integration with 'sync push'.",
            )
        if self.integration_id is None:
            raise CheckFailed(Category.UNKNOWN, "Nothing to push: save the integration first.")
        service = SyncService(vault, IntegrationApi(config, timeout_s=self.timeout_s))
        try:
            outcome = service.push_one(self.integration_id)
        finally:
            service.api.close()
        if not outcome.ok:
            raise CheckFailed(
                Category.NETWORK,
                f"Saved here, but not on the remote API: {outcome.message}. "
                "Try again later with 'sync push'.",
            )
        return f"Remote API: {outcome.action} ({outcome.message})."

    # -- helpers ------------------------------------------------------------------------

    def _validated(self) -> NewIntegration:
        if self._new is None:
            raise ValueError("the offline step has not passed")
        return self._new

    def _ready(self) -> storage.StorageTarget:
        if self._target is None:
            raise ValueError("the offline step has not passed")
        return self._target

    def _s3(self) -> Any:
        if self._client is None:
            self._client = storage.make_client(self._ready(), "s3", self.timeout_s)
        return self._client

    def _where(self) -> str:
        if self.form.provider == "s3":
            return f"in region {self._ready().region}"
        if self.form.jurisdiction == DEFAULT_JURISDICTION:
            return "at the default R2 endpoint (no jurisdiction)"
        return f"in the {jurisdiction_title(self.form.jurisdiction)} jurisdiction"


_CANCELLED = "Cancelled before this step started; nothing more was changed."


def _in_region(region: str | None) -> str:
    return f" (region {region})" if region else ""


def _ms_since(start: float) -> int:
    return round((time.monotonic() - start) * 1000)


def form_for(vault: Vault, integration_id: str, jurisdiction: str | None = None) -> TargetForm:
    """A form filled from a stored storage integration, to set it up as the target."""
    item = vault.get(integration_id)
    if item.provider not in STORAGE_PROVIDERS:
        raise not_storage(item.label, item.provider)
    if jurisdiction is None:
        jurisdiction = (
            stored_jurisdiction(vault, item.id) if item.provider == "r2" else DEFAULT_JURISDICTION
        )
    return TargetForm(item.label, item.provider, item.credentials.to_wire(), jurisdiction, item.id)


def _same_bucket_and_key(vault: Vault, new: NewIntegration) -> str | None:
    """The id of a stored integration with this label, provider, bucket and key ID, if any.

    The label is part of it, as in an import's duplicate check: a person who names the
    setup differently means a new integration, and must not lose the one stored.
    """
    wanted = _bucket_and_key(new.provider, new.credentials.to_wire())
    for integration_id in vault.ids():
        item = vault.get(integration_id)
        same_label = item.label.strip().casefold() == new.label.strip().casefold()
        if same_label and _bucket_and_key(item.provider, item.credentials.to_wire()) == wanted:
            return item.id
    return None


def _bucket_and_key(provider: str, wire: Mapping[str, Any]) -> tuple[str, str, str]:
    return provider, str(wire.get("bucket", "")), str(wire.get("accessKeyId", ""))
