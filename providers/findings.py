"""Offline checks: the mistakes people make when pasting credentials, found with no network.

Each rule looks at raw field values (as typed or as stored, keyed by wire name) and returns
findings that name the field and the fix. Rules never echo a secret value back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

_AWS_KEY_ID = re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$")
_AWS_SECRET = re.compile(r"^[A-Za-z0-9/+=]{40}$")
_HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_QUOTES = ('"', "'", "“", "”", "‘", "’", "`", "«", "»")
# An ``Authorization`` header, or its scheme word, pasted in front of a key or token.
_PREFIX = re.compile(
    r"^(?P<header>authorization\s*:\s*)?(?P<scheme>(?:bearer|basic|token)(?:\s+|\s*[:=]\s*))?",
    re.IGNORECASE,
)
_SCHEME_TITLES = {"bearer": "Bearer", "basic": "Basic", "token": "Token"}


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


def _invisible(ch: str) -> bool:
    """Zero-width spaces, byte-order marks and control characters that copying brings along."""
    return not ch.isspace() and unicodedata.category(ch) in ("Cc", "Cf")


def _unquoted(text: str) -> str:
    return text.strip("".join(_QUOTES)).strip()


def _quote_finding(name: str, text: str) -> Finding | None:
    starts, ends = text[:1] in _QUOTES, text[-1:] in _QUOTES
    if starts and ends and len(text) >= 2:
        return Finding(name, "is wrapped in quotes; remove them and paste only the value")
    if starts or ends:
        where = "starts" if starts else "ends"
        return Finding(
            name, f"{where} with a quote mark; remove the quotes and paste only the value"
        )
    return None


def _prefix_finding(name: str, text: str) -> tuple[Finding | None, str]:
    """A pasted ``Authorization:`` / ``Bearer`` / ``Basic`` in front of a secret, and the rest.

    The message is built from the matched words only, never from the secret after them.
    """
    match = _PREFIX.match(text)
    rest = text[match.end() :] if match else text
    if match is None or not match.group(0) or not rest:
        return None, text
    words = []
    if match.group("header"):
        words.append("Authorization:")
    if match.group("scheme"):
        scheme = re.split(r"[\s:=]", match.group("scheme"), maxsplit=1)[0].lower()
        words.append(_SCHEME_TITLES[scheme])
    shown = " ".join(words)
    message = f"starts with '{shown}'; paste only the key or token itself, without '{shown} '"
    return Finding(name, message), rest


def _field_findings(name: str, raw: str, secret: bool) -> list[Finding]:
    """The paste mistakes one field can show, whatever the provider."""
    found: list[Finding] = []
    if raw != raw.strip():
        found.append(
            Finding(
                name, "has spaces or line breaks around it; they are removed on save", "warning"
            )
        )
    text = raw.strip()
    quoted = _quote_finding(name, text)
    if quoted:
        found.append(quoted)
    inner = _unquoted(text)
    if any(_invisible(ch) for ch in inner):
        found.append(
            Finding(
                name,
                "contains invisible characters (zero-width spaces or control characters, "
                "often copied along from a web page or chat); type it again or paste it as "
                "plain text",
            )
        )
    if not secret:
        if name != "label" and any(ch.isspace() for ch in inner):
            found.append(
                Finding(name, "contains spaces or line breaks, which this field never has")
            )
        return found
    visible = {ch for ch in inner if not _invisible(ch)}
    if any(not ch.isascii() for ch in visible) and visible - _MASK_DOTS:
        found.append(
            Finding(
                name,
                "contains characters that no key or token has (letters "
                "outside A–Z, symbols or emoji); copy it again from "
                "the provider",
            )
        )
    prefixed, rest = _prefix_finding(name, inner)
    if prefixed:
        found.append(prefixed)
    if any(ch.isspace() for ch in rest):
        found.append(
            Finding(
                name,
                "contains a space or line break inside; keys and tokens have none, so copy "
                "it again in one piece",
            )
        )
    return found


def generic_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """Rules that apply to every provider."""
    found: list[Finding] = []
    for name, raw in values.items():
        if isinstance(raw, str) and raw:
            found.extend(_field_findings(name, raw, name in secrets))
    secret_values = {
        values[s].strip() for s in secrets if isinstance(values.get(s), str) and values[s].strip()
    }
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


def _text(values: dict[str, str], name: str) -> str:
    """A field's value without the spaces and quotes that the generic rules already report."""
    raw = values.get(name, "")
    return _unquoted(raw.strip()) if isinstance(raw, str) else ""


# What a pasted bucket address looks like: s3://, an ARN, a URL or an endpoint host name.
_BUCKET_ADDRESS = ("s3://", "arn:aws:s3:", "http://", "https://")
_BUCKET_HOSTS = (".amazonaws.com", ".cloudflarestorage.com")
_S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def bucket_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """A bucket address pasted where only the bucket's name goes."""
    bucket = _text(values, "bucket").lower()
    if bucket.startswith(_BUCKET_ADDRESS):
        return [
            Finding(
                "bucket",
                "is an address (s3://, ARN or URL), not a bucket name; enter only the "
                "bucket's name, e.g. 'acme-screenshots'",
            )
        ]
    if bucket.endswith(_BUCKET_HOSTS):
        return [
            Finding(
                "bucket",
                "looks like the bucket's web address (host name); enter only the bucket's "
                "name, the part before '.s3' or '.r2'",
                "warning",
            )
        ]
    return []


def s3_bucket_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """The AWS bucket naming rules that the shared model rules leave out."""
    bucket = _text(values, "bucket").lower()
    for prefix in _S3_RESERVED_PREFIXES:
        if bucket.startswith(prefix):
            return [Finding("bucket", f"S3 bucket names may not start with '{prefix}'")]
    for suffix in _S3_RESERVED_SUFFIXES:
        if bucket.endswith(suffix):
            return [Finding("bucket", f"S3 bucket names may not end with '{suffix}'")]
    return []


def s3_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    found: list[Finding] = []
    key_id = _text(values, "accessKeyId")
    secret = _text(values, "secretAccessKey")
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
    account = _text(values, "accountId")
    key_id = _text(values, "accessKeyId")
    secret = _text(values, "secretAccessKey")
    if "://" in account or "cloudflarestorage.com" in account.lower():
        found.append(
            Finding(
                "accountId",
                "is the R2 endpoint address, not the account ID; enter only the 32 hexadecimal "
                "characters before '.r2.cloudflarestorage.com'",
            )
        )
    elif account and not _HEX32.match(account):
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
    elif _HEX64.match(key_id):
        found.append(
            Finding(
                "accessKeyId",
                "looks like the secret access key (64 characters); the access key ID is the "
                "token's 32-character id",
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
    elif _HEX32.match(secret):
        found.append(
            Finding(
                "secretAccessKey",
                "looks like an access key ID (32 characters); paste the token's 64-character "
                "secret access key here",
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
    """A rule for an e-mail field that may have received a token, or the whole login, instead."""

    def rule(values: dict[str, str], secrets: set[str]) -> list[Finding]:
        text = _text(values, field_name)
        lowered = text.lower()
        if "/token:" in lowered:
            message = (
                "holds the whole 'e-mail/token:API token' login; enter only the e-mail here "
                "and the token in its own field"
            )
        elif lowered.endswith("/token"):
            message = "ends with '/token'; enter only the e-mail address (the app adds '/token')"
        elif lowered.startswith("mailto:"):
            message = "starts with 'mailto:'; enter only the e-mail address"
        elif "@" not in text and len(text) >= 20 and not any(ch.isspace() for ch in text):
            message = (
                "looks like a token, not an e-mail address; enter the "
                "agent's e-mail here and the token in its own field"
            )
        else:
            return []
        return [Finding(field_name, message)]

    return rule


def zendesk_token_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """The whole ``e-mail/token:API token`` login pasted into the token field."""
    if "/token:" in _text(values, "token").lower():
        return [
            Finding(
                "token",
                "holds the whole 'e-mail/token:API token' login; paste only the API token, "
                "the part after 'token:'",
            )
        ]
    return []


# An AWS region: area, an optional partition part, a direction and a number, e.g. us-east-1,
# eu-central-2, ap-southeast-4, us-gov-west-1, us-isob-east-1, cn-north-1, cn-northwest-1.
_AWS_REGION = re.compile(
    r"^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central)(east|west)?-\d{1,2}$"
)


def s3_region_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """A region that no AWS region looks like (a typo, a city, an R2 'auto')."""
    region = _text(values, "region").lower()
    if not region or _AWS_REGION.match(region):
        return []
    return [
        Finding(
            "region",
            f"'{region}' is not an AWS region; use the bucket's region code as the S3 console "
            "shows it, e.g. us-east-1 or eu-central-1",
            # A warning: an S3-compatible mirror may name its regions its own way.
            "warning",
        )
    ]


def r2_region_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """R2 has no regions: anything but 'auto' is ignored, which misleads whoever reads it."""
    region = _text(values, "region").lower()
    if not region or region == "auto":
        return []
    return [
        Finding(
            "region",
            f"R2 ignores the region ('{region}' has no effect); set it to auto, and choose a "
            "jurisdiction instead if the bucket must stay in the EU",
            "warning",
        )
    ]


def help_center_key_findings(values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """A help center's key or token that is plainly something else: an AWS key, an e-mail."""
    found = []
    for name in sorted(secrets):
        text = _text(values, name)
        if _AWS_KEY_ID.match(text):
            found.append(
                Finding(
                    name,
                    "is an AWS access key ID (AKIA…), not this help center's key; copy the key "
                    "from the help center's own API settings",
                )
            )
        elif _LOOKS_LIKE_EMAIL.match(text):
            found.append(
                Finding(
                    name,
                    "is an e-mail address, not a key; copy the key from the help center's "
                    "own API settings",
                )
            )
    return found


_LOOKS_LIKE_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[a-z]{2,}$", re.I)

PROVIDER_RULES: dict[str, list[Rule]] = {
    "s3": [bucket_findings, s3_bucket_findings, s3_findings, s3_region_findings],
    "r2": [bucket_findings, r2_findings, r2_region_findings],
    "zendesk": [email_findings("username"), zendesk_token_findings, help_center_key_findings],
    **{
        name: [help_center_key_findings]
        for name in ("intercom", "helpscout", "helpjuice", "freshdesk", "knowledgeowl")
    },
}


def lint(provider: str, values: dict[str, str], secrets: set[str]) -> list[Finding]:
    """Every offline finding for ``values`` of ``provider`` (no model validation here)."""
    found = generic_findings(values, secrets)
    for rule in PROVIDER_RULES.get(provider, []):
        found.extend(rule(values, secrets))
    return found
