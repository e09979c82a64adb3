"""Integration records and the validation that turns raw input into them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

import providers
from app.errors import FieldProblem, InvalidInput
from app.logsetup import SECRETS
from providers.base import CredentialsModel, Step, VerificationResult

MAX_LABEL = 200
MASK = "••••••••"
STALE_AFTER = timedelta(days=30)
SYNC_STATE_TITLES = {
    "local": "local only",
    "synced": "synced",
    "modified": "modified since sync",
    "conflict": "conflict",
}


def is_stale(checked_at: datetime, now: datetime | None = None) -> bool:
    """A check older than 30 days no longer says much about the credential."""
    return (now or datetime.now(UTC)) - checked_at > STALE_AFTER


@dataclass(frozen=True)
class CheckRecord:
    """One stored verification outcome."""

    checked_at: datetime
    ok: bool
    category: str
    message: str
    elapsed_ms: int
    steps: tuple[Step, ...] = ()

    @classmethod
    def from_result(cls, result: VerificationResult, at: datetime) -> CheckRecord:
        return cls(
            at, result.ok, result.category.value, result.message, result.elapsed_ms, result.steps
        )


@dataclass(frozen=True)
class IntegrationRow:
    """What the list shows of an integration: never its credentials."""

    id: str
    label: str
    provider: str
    platform: str
    created_at: datetime
    updated_at: datetime
    last_check: CheckRecord | None = None
    sync_state: str = "local"  # local | synced | modified | conflict
    sync_error: str | None = None
    remote_id: str | None = None

    @property
    def sync_display(self) -> str:
        """What the list shows: the state, or the error of the last sync attempt."""
        if self.sync_error:
            return f"error: {self.sync_error}"
        return SYNC_STATE_TITLES.get(self.sync_state, self.sync_state)


@dataclass(frozen=True)
class Integration:
    """A whole integration, credentials included (secrets stay ``SecretStr``)."""

    id: str
    label: str
    provider: str
    platform: str
    credentials: CredentialsModel
    created_at: datetime
    updated_at: datetime

    def credentials_view(self, reveal: bool = False) -> dict[str, Any]:
        """Wire-named credentials with secrets masked unless ``reveal``."""
        data = self.credentials.to_wire()
        if not reveal:
            for name in self.credentials.secret_fields():
                if name in data:
                    data[name] = MASK
        return data


@dataclass(frozen=True)
class IntegrationVersion:
    """An earlier state of an integration, kept when it was overwritten."""

    id: int
    saved_at: datetime
    label: str
    credentials: CredentialsModel


@dataclass(frozen=True)
class NewIntegration:
    """Validated input for a new integration, before it has an id."""

    label: str
    provider: str
    platform: str
    credentials: CredentialsModel


@dataclass
class _Problems:
    items: list[FieldProblem] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.items.append(FieldProblem(where, message))


def validate_label(value: Any) -> str:
    """A label is a short, non-empty line of text."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput([FieldProblem("label", 'must be text, e.g. "Support S3 export"')])
    if not value or not value.strip():
        raise InvalidInput([FieldProblem("label", "required: give the integration a name")])
    text = " ".join(value.split())
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidInput([FieldProblem("label", "may not contain control characters")])
    if len(text) > MAX_LABEL:
        raise InvalidInput([FieldProblem("label", f"at most {MAX_LABEL} characters")])
    return text


def spec_for(provider: Any) -> providers.ProviderSpec:
    spec = providers.get(provider) if isinstance(provider, str) else None
    if spec is None:
        known = ", ".join(providers.PROVIDERS)
        shown = provider if isinstance(provider, str) and provider else "(none)"
        raise InvalidInput(
            [FieldProblem("provider", f"unknown provider '{shown}'; one of {known}")]
        )
    return spec


def parse_new(data: Any) -> NewIntegration:
    """Validate ``{label, provider, platform?, credentials}``; every problem names its field."""
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(input)", "expected a JSON object")])
    problems = _Problems()
    label = provider = platform = None
    credentials = None
    try:
        label = validate_label(data.get("label"))
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
    try:
        spec = spec_for(data.get("provider"))
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
        raise InvalidInput(problems.items) from None
    provider = spec.name
    platform = data.get("platform") or spec.platform
    if platform != spec.platform:
        problems.add("platform", f"{spec.name} is a '{spec.platform}' provider, not '{platform}'")
    try:
        credentials = build_credentials(spec.name, data.get("credentials"))
    except InvalidInput as exc:
        problems.items.extend(exc.problems)
    unknown = sorted(set(data) - {"label", "provider", "platform", "credentials"})
    for key in unknown:
        problems.add(key, "unknown field; expected label, provider, platform and credentials")
    if problems.items or credentials is None or label is None:
        raise InvalidInput(problems.items)
    return NewIntegration(label, provider, spec.platform, credentials)


def build_credentials(provider: str, data: Any, *, remember: bool = True) -> CredentialsModel:
    """Validate credentials for ``provider``; problems are named ``credentials.<wireName>``.

    Secrets that pass are remembered for the log redaction filter; ``remember=False`` is for
    checking half-typed values, which would only fill that list with fragments.
    """
    model = spec_for(provider).credentials
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("credentials", "expected an object of fields")])
    try:
        credentials = model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_problems_from(exc, model)) from None
    if remember:
        for value in _secret_values(credentials):
            SECRETS.add(value)
    return credentials


def _secret_values(credentials: CredentialsModel) -> set[str]:
    wire = credentials.to_wire()
    return {str(wire[name]) for name in credentials.secret_fields() if name in wire}


def merge_credentials(current: CredentialsModel, changes: dict[str, Any]) -> CredentialsModel:
    """Apply changed fields (wire or Python names) to stored credentials and re-validate."""
    model = type(current)
    names = {name: (info.alias or name) for name, info in model.model_fields.items()}
    wire = current.to_wire()
    for key, value in changes.items():
        wire[names.get(key, key)] = value
    provider = next(s.name for s in providers.PROVIDERS.values() if s.credentials is model)
    return build_credentials(provider, wire)


def field_names(model: type[CredentialsModel]) -> dict[str, str]:
    """Python field name -> wire name."""
    return {name: (info.alias or name) for name, info in model.model_fields.items()}


def _problems_from(exc: ValidationError, model: type[CredentialsModel]) -> list[FieldProblem]:
    wire = field_names(model)
    expected = ", ".join(wire.values())
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = error.get("loc") or ()
        key = str(loc[0]) if loc else ""
        name = wire.get(key, key)
        kind = error.get("type", "")
        if kind == "missing":
            message = "required"
        elif kind == "extra_forbidden":
            message = f"not a field of this provider (expected {expected})"
        elif kind == "string_type":
            message = "must be text"
        else:
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(FieldProblem(f"credentials.{name}" if name else "credentials", message))
    return problems
