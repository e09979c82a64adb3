"""Offline checks: the mistakes people make when pasting credentials, found with no network.

Each rule looks at raw field values (as typed or as stored, keyed by wire name) and returns
findings that name the field and the fix. Rules never echo a secret value back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

_AWS_KEY_ID = re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$")
_AWS_SECRET = re.compile(r"^[A-Za-z0-9/+=]{40}$")
_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_QUOTES = ('"', "'", "“", "”", "‘", "’", "`")
_SCHEMES = ("bearer ", "basic ", "token ", "authorization:", "bearer:")


@dataclass(frozen=True)
class Finding:
    """One problem in one field, with what to do about it."""

    field: str
    message: str
    severity: Severity = "error"

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "severity": self.severity, "message": self.message}


# The dots a masked secret is shown with: pasting them back is caught by the form itself.
_MASK_DOTS = set("•●")

Rule = Callable[[dict[str, str], set[str]], list[Finding]]


def generic_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """Rules that apply to every provider."""
    found: list[Finding] = []
    for name, raw in values.items():
        if not isinstance(raw, str) or not raw:
            continue
        if raw != raw.strip():
            found.append(
                Finding(
                    name, "has spaces or line breaks around it; they are removed on save", "warning"
                )
            )
        text = raw.strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
            found.append(
                Finding(name, "is wrapped in quotes; remove them and paste only the value")
            )
        if name in secrets and not text.isascii() and set(text) - _MASK_DOTS:
            found.append(
                Finding(
                    name,
                    "contains characters that no key or token has (letters "
                    "outside A–Z, symbols or emoji); copy it again from "
                    "the provider",
                )
            )
        if name in secrets and text.lower().startswith(_SCHEMES):
            word = text.split()[0].rstrip(":")
            found.append(
                Finding(
                    name,
                    f"starts with '{word}'; paste only the key or token itself, without '{word} '",
                )
            )
        if name not in secrets and " " in text and name not in ("label",):
            found.append(Finding(name, "contains spaces, which this field never has"))
    secret_values = {values[s].strip() for s in secrets if isinstance(values.get(s), str)}
    for name, raw in values.items():
        if name in secrets or not isinstance(raw, str) or not raw.strip():
            continue
        if raw.strip() in secret_values:
            found.append(
                Finding(
                    name,
                    "holds the same value as a secret field; the secret "
                    "was probably pasted here by mistake",
                )
            )
    return found


def s3_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    found: list[Finding] = []
    key_id = values.get("accessKeyId", "").strip()
    secret = values.get("secretAccessKey", "").strip()
    if key_id and _AWS_SECRET.match(key_id) and not _AWS_KEY_ID.match(key_id):
        found.append(
            Finding(
                "accessKeyId",
                "looks like a secret access key (40 characters); "
                "the access key ID is 20 characters starting "
                "with AKIA",
                "warning",
            )
        )
    elif key_id and not _AWS_KEY_ID.match(key_id):
        found.append(
            Finding(
                "accessKeyId",
                "AWS access key IDs are 20 capital letters and digits starting with AKIA (or ASIA)",
                "warning",
            )
        )
    if secret and _AWS_KEY_ID.match(secret):
        found.append(
            Finding(
                "secretAccessKey",
                "holds an access key ID (AKIA…); paste the secret access key here instead",
            )
        )
    elif secret and not _AWS_SECRET.match(secret):
        found.append(
            Finding("secretAccessKey", "AWS secret access keys are 40 characters long", "warning")
        )
    if _HEX32.match(key_id) and _HEX64.match(secret):
        found.append(
            Finding(
                "accessKeyId",
                "this looks like a Cloudflare R2 token; add it as an R2 integration instead",
                "warning",
            )
        )
    return found


def r2_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    found: list[Finding] = []
    account = values.get("accountId", "").strip()
    key_id = values.get("accessKeyId", "").strip()
    secret = values.get("secretAccessKey", "").strip()
    if account and not _HEX32.match(account):
        found.append(
            Finding(
                "accountId",
                "a Cloudflare account ID is 32 hexadecimal "
                "characters (0-9, a-f); copy it from R2 › Overview",
                "warning",
            )
        )
    if _AWS_KEY_ID.match(key_id):
        found.append(
            Finding(
                "accessKeyId",
                "this is an AWS access key (AKIA…), not an R2 "
                "token: create an R2 API token, or add this key "
                "as an S3 integration",
                "warning",
            )
        )
    elif key_id and not _HEX32.match(key_id):
        found.append(
            Finding("accessKeyId", "R2 access key IDs are 32 hexadecimal characters", "warning")
        )
    if secret and _AWS_SECRET.match(secret) and not _HEX64.match(secret):
        found.append(
            Finding(
                "secretAccessKey",
                "this looks like an AWS secret key; R2 secret "
                "access keys are 64 hexadecimal characters",
                "warning",
            )
        )
    elif secret and not _HEX64.match(secret):
        found.append(
            Finding(
                "secretAccessKey", "R2 secret access keys are 64 hexadecimal characters", "warning"
            )
        )
    if account and key_id and account.lower() == key_id.lower():
        found.append(
            Finding(
                "accessKeyId", "is the same as the account ID; paste the API token's access key ID"
            )
        )
    return found


def email_findings(field_name: str) -> Rule:
    """A rule for an e-mail field that may have received a token instead."""

    def rule(values: dict[str, str], secrets: set[str]) -> list[Finding]:
        text = values.get(field_name, "").strip()
        if text and "@" not in text and len(text) >= 20 and " " not in text:
            return [
                Finding(
                    field_name,
                    "looks like a token, not an e-mail address; enter the "
                    "agent's e-mail here and the token in its own field",
                )
            ]
        return []

    return rule


PROVIDER_RULES: dict[str, list[Rule]] = {
    "s3": [s3_findings],
    "r2": [r2_findings],
    "zendesk": [email_findings("username")],
}


def lint(provider: str, values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """Every offline finding for ``values`` of ``provider`` (no model validation here)."""
    found = generic_findings(values, secrets)
    for rule in PROVIDER_RULES.get(provider, []):
        found.extend(rule(values, secrets))
    return found
