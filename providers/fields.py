"""Field declarations and the normalisers for what people paste into credential forms."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")


def field(
    alias: str,
    title: str,
    help_text: str,
    example: str,
    where: str = "",
    **kwargs: Any,
) -> Any:
    """A credential field with everything the generated form shows beside it."""
    return Field(
        alias=alias,
        title=title,
        description=help_text,
        examples=[example],
        json_schema_extra={"where": where} if where else None,
        **kwargs,
    )


def tenant_subdomain(value: str, domain: str, product: str) -> str:
    """Reduce a pasted account address to its subdomain, or explain why it is not one.

    Accepts ``example``, ``example.<domain>`` and ``https://example.<domain>/any/path``.
    Anything that could steer credentials to another host (``@``, ``#``, ``?``, a port,
    another domain) is refused.
    """
    text = value.strip().lower()
    hint = f"use the part before .{domain}, e.g. 'example' for example.{domain}"
    if not text:
        raise ValueError(f"enter your {product} subdomain ({hint})")
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"not a web address; {hint}")
        if "@" in parts.netloc or parts.query or parts.fragment or ":" in parts.netloc:
            raise ValueError(f"the address has extra parts (@, ?, # or a port); {hint}")
        text = parts.netloc
    else:
        text = text.rstrip("/")
        if any(ch in text for ch in "/@#?:\\ "):
            raise ValueError(f"may not contain '/', '@', '#', '?', ':' or spaces; {hint}")
    if text.endswith("." + domain):
        text = text[: -len(domain) - 1]
    elif "." in text:
        raise ValueError(f"this is not a {product} address; {hint}")
    if not _LABEL.match(text):
        raise ValueError(f"only letters, digits and '-' are allowed; {hint}")
    return text


def email_address(value: str) -> str:
    """Check the shape of an e-mail address (no look-up)."""
    text = value.strip()
    if not _EMAIL.match(text):
        raise ValueError("must be an e-mail address such as agent@example.com")
    return text


def bucket_name(value: str) -> str:
    """Apply the S3 bucket naming rules that every S3-compatible store shares."""
    text = value.strip()
    if text != text.lower():
        raise ValueError("bucket names use lowercase letters only")
    if not 3 <= len(text) <= 63:
        raise ValueError("bucket names are 3 to 63 characters long")
    if "_" in text:
        raise ValueError("bucket names may not contain '_'; use '-' instead")
    if not _BUCKET.match(text):
        raise ValueError(
            "bucket names use lowercase letters, digits, '.' and '-', "
            "and start and end with a letter or digit"
        )
    if ".." in text or _IPV4.match(text):
        raise ValueError("bucket names may not contain '..' or look like an IP address")
    return text


def host_label(value: str, what: str) -> str:
    """A value that becomes part of a host name: letters, digits and '-' only."""
    text = value.strip().lower()
    if not _LABEL.match(text):
        raise ValueError(f"{what} may contain only letters, digits and '-'")
    return text


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def secret_not_blank(value: SecretStr) -> SecretStr:
    text = value.get_secret_value().strip()
    if not text:
        raise ValueError("must not be empty")
    return SecretStr(text)
