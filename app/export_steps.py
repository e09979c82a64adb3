"""The vocabulary of export-target setup: step ids, statuses, reports and the form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.errors import FieldProblem, InvalidInput
from providers.base import Category
from providers.r2 import DEFAULT_JURISDICTION


class StepId(StrEnum):
    """The steps of a setup, in the order they run."""

    OFFLINE = "offline"
    CREDENTIALS = "credentials"
    BUCKET = "bucket"
    REGION = "region"
    WRITE = "write"
    READ = "read"
    DELETE = "delete"
    SAVE = "save"
    PUSH = "push"


STEP_TITLES: dict[StepId, str] = {
    StepId.OFFLINE: "offline check of the form",
    StepId.CREDENTIALS: "credentials accepted",
    StepId.BUCKET: "bucket exists",
    StepId.REGION: "region matches",
    StepId.WRITE: "write a probe object",
    StepId.READ: "read it back and compare",
    StepId.DELETE: "delete the probe object",
    StepId.SAVE: "save as the default export target",
    StepId.PUSH: "push to the remote API",
}
NETWORK_STEPS = tuple(s for s in StepId if s not in (StepId.SAVE, StepId.PUSH))
VAULT_STEPS = (StepId.SAVE, StepId.PUSH)


class StepStatus(StrEnum):
    """Where a step stands; every status but ``RUNNING`` is final."""

    RUNNING = "running"
    PASSED = "passed"
    SKIPPED = "skipped"
    FAILED = "failed"
    BUCKET_MISSING = "bucket_missing"
    CANCELLED = "cancelled"

    @property
    def mark(self) -> str:
        return {"running": "…", "passed": "✓", "skipped": "–"}.get(self.value, "✗")


@dataclass(frozen=True)
class StepReport:
    """One step's start or end: what it says to the person, and how long it took."""

    step: StepId
    status: StepStatus
    elapsed_ms: int = 0
    message: str = ""
    category: Category | None = None

    @property
    def ok(self) -> bool:
        return self.status in (StepStatus.PASSED, StepStatus.SKIPPED)

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]

    @property
    def mark(self) -> str:
        return self.status.mark

    def to_json(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "title": self.title,
            "status": self.status.value,
            "ok": self.ok,
            "mark": self.mark,
            "elapsedMs": self.elapsed_ms,
            "message": self.message,
            "category": self.category.value if self.category else None,
        }


@dataclass(frozen=True)
class SetupResult:
    """How a run ended: ``PASSED``, ``FAILED``, ``BUCKET_MISSING`` or ``CANCELLED``."""

    status: StepStatus
    reports: tuple[StepReport, ...]  # final reports only, in order
    stopped_at: StepId | None = None
    integration_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is StepStatus.PASSED

    @property
    def message(self) -> str:
        for report in self.reports:
            if report.step is self.stopped_at and not report.ok:
                return report.message
        return "Every step passed."


@dataclass(frozen=True)
class TargetForm:
    """What the person filled in: wire-named credential fields exactly as typed.

    ``integration_id`` names an existing storage integration to update instead of adding a
    new one. ``jurisdiction`` applies to R2 only and is kept as a local setting.
    """

    label: str
    provider: str
    values: Mapping[str, Any] = field(repr=False)
    jurisdiction: str = DEFAULT_JURISDICTION
    integration_id: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> TargetForm:
        """``{label, provider, credentials, jurisdiction?}`` as ``add --json`` takes it."""
        if not isinstance(data, dict):
            raise InvalidInput([problem("(input)", "expected a JSON object")])
        unknown = sorted(
            set(data) - {"label", "provider", "platform", "credentials", "jurisdiction"}
        )
        if unknown:
            raise InvalidInput([problem(k, "unknown field") for k in unknown])
        credentials = data.get("credentials")
        if not isinstance(credentials, dict):
            raise InvalidInput([problem("credentials", "expected an object of fields")])
        return cls(
            label=str(data.get("label") or ""),
            provider=str(data.get("provider") or "").strip().lower(),
            values=dict(credentials),
            jurisdiction=str(data.get("jurisdiction") or DEFAULT_JURISDICTION).lower(),
        )


def problem(where: str, message: str) -> FieldProblem:
    return FieldProblem(where, message)
