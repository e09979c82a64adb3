"""The offline check: model validation plus paste-mistake rules, with no network at all."""

from __future__ import annotations

from typing import Any

import providers
from app.errors import InvalidInput
from app.models import Integration, build_credentials
from providers.findings import Finding, lint


def check_values(provider: str, values: dict[str, Any]) -> list[Finding]:
    """Findings for raw field values (wire names) as typed in a form or read from a file."""
    spec = providers.get(provider)
    if spec is None:
        return [Finding("provider", f"unknown provider '{provider}'")]
    secrets = set(spec.credentials.secret_fields())
    rejected: list[Finding] = []
    try:
        build_credentials(spec.name, values, remember=False)
    except InvalidInput as exc:
        rejected = [Finding(p.field.removeprefix("credentials."), p.message) for p in exc.problems]
    text_values = {k: v for k, v in values.items() if isinstance(v, str)}
    pasted = lint(spec.name, text_values, secrets)

    # The model says what a field must be; a paste rule for the same field says why it is not
    # (quotes, a token in the e-mail field, an address), so both show, the cause first.
    found: list[Finding] = []
    for problem in rejected:
        found.extend(f for f in pasted if f.field == problem.field and f not in found)
        found.append(problem)
    found.extend(f for f in pasted if f not in found)
    return found


def check_integration(integration: Integration) -> list[Finding]:
    """Findings for a stored integration."""
    return check_values(integration.provider, integration.credentials.to_wire())


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that make a network check pointless."""
    return [f for f in findings if f.severity == "error"]
