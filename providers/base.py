"""What every provider shares: the credentials base model, the check result and the spec."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr

Platform = Literal["cloud", "helpcenter"]
PLATFORM_TITLES: dict[str, str] = {"cloud": "Cloud storage", "helpcenter": "Help center"}


class Category(StrEnum):
    """How a check ended; every failure falls in exactly one of these."""

    OK = "ok"
    AUTH = "auth"
    PERMISSION = "permission"
    NOT_FOUND = "not_found"
    NETWORK = "network"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    MISCONFIGURED = "misconfigured"
    UNKNOWN = "unknown"


class CredentialsModel(BaseModel):
    """Base of every provider's credentials: wire (camelCase) names, stripped, strict.

    Input values never appear in validation errors (``hide_input_in_errors``), so a secret
    pasted into the wrong field cannot leak through an error message.
    """

    model_config = ConfigDict(
        populate_by_name=True,
        str_strip_whitespace=True,
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The credentials as the remote API spells them, secrets in clear (vault use only)."""
        out: dict[str, Any] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if value is None:
                continue
            out[info.alias or name] = value
        return out

    @classmethod
    def secret_fields(cls) -> list[str]:
        """Wire names of the fields that hold secrets."""
        return [info.alias or name for name, info in cls.model_fields.items() if is_secret(info)]


def is_secret(info: Any) -> bool:
    """Whether a model field holds a secret (typed ``SecretStr`` or ``SecretStr | None``)."""
    annotation = info.annotation
    if annotation is SecretStr:
        return True
    return SecretStr in getattr(annotation, "__args__", ())


@dataclass(frozen=True)
class Step:
    """One step of a verification, with how long it took."""

    name: str
    ok: bool
    elapsed_ms: int
    detail: str = ""
    skipped: bool = False


@dataclass(frozen=True)
class VerificationResult:
    """The outcome of checking one credential: the same shape for every provider."""

    ok: bool
    category: Category
    message: str
    elapsed_ms: int
    steps: tuple[Step, ...] = ()
    retry_after_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "category": self.category.value,
            "message": self.message,
            "elapsedMs": self.elapsed_ms,
            "steps": [
                {
                    "name": s.name,
                    "ok": s.ok,
                    "skipped": s.skipped,
                    "elapsedMs": s.elapsed_ms,
                    "detail": s.detail,
                }
                for s in self.steps
            ],
        }


class CheckFailed(Exception):
    """Raised inside a verifier to end the check with a category and a message."""

    def __init__(
        self, category: Category, message: str, *, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.category = category
        self.message = message
        self.retry_after_s = retry_after_s


@dataclass
class StepRecorder:
    """Collects the steps of one check; a verifier runs each step inside ``step()``."""

    steps: list[Step] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, str]]:
        """Time a step; a ``CheckFailed`` inside marks it failed with the check's message."""
        note: dict[str, str] = {"detail": ""}
        begun = time.monotonic()
        try:
            yield note
        except CheckFailed as failure:
            self.steps.append(Step(name, False, _ms_since(begun), failure.message))
            raise
        self.steps.append(Step(name, True, _ms_since(begun), note["detail"]))

    def skipped(self, name: str, why: str) -> None:
        self.steps.append(Step(name, True, 0, why, skipped=True))

    def passed(self, message: str) -> VerificationResult:
        return VerificationResult(
            True, Category.OK, message, _ms_since(self.started), tuple(self.steps)
        )

    def failed(self, failure: CheckFailed) -> VerificationResult:
        return VerificationResult(
            False,
            failure.category,
            failure.message,
            _ms_since(self.started),
            tuple(self.steps),
            failure.retry_after_s,
        )


def _ms_since(start: float) -> int:
    return round((time.monotonic() - start) * 1000)


@dataclass(frozen=True)
class VerifyContext:
    """What a verifier needs besides the credentials."""

    timeout_s: float = 10.0
    endpoint: str | None = None  # INTEGRATION_VAULT_ENDPOINTS override for this provider
    write_probe: bool = False
    jurisdiction: str = ""  # R2 only: "", "eu", "fedramp" (a local setting per integration)


Verifier = Callable[[Any, VerifyContext], VerificationResult]


@dataclass(frozen=True)
class ProviderSpec:
    """Everything the app knows about one provider."""

    name: str
    title: str
    platform: Platform
    credentials: type[CredentialsModel]
    verify: Verifier
    summary: str = ""
