"""Logging: a rotating file in the platform log folder, with secrets redacted as a second guard.

The first guard is that code never logs a secret (secrets are ``SecretStr``). The filter
here also masks every secret value the process has loaded and anything shaped like an
``Authorization`` header, in case a third-party library logs one.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

from app import paths

REDACTED = "[redacted]"
_MIN_SECRET_LEN = 4
# A header or parameter that carries a credential, with an optional scheme word before it
# ("Authorization: Basic dXNlcjp0b2tlbg==", "api_key=…", "'token': '…'").
_HEADER = re.compile(
    r"(?i)(authorization|x-api-key|api[_-]?key|token)(['\"]?\s*[:=]\s*['\"]?"
    r"(?:(?:bearer|basic|token|digest)\s+)?)([^\s'\",&]+)"
)


class SecretRegistry:
    """Secret values seen in this process, so the log filter can mask them."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str) -> None:
        if len(value) < _MIN_SECRET_LEN:
            return
        with self._lock:
            if value not in self._values:
                self._values.add(value)
                self._pattern = None

    def redact(self, text: str) -> str:
        with self._lock:
            if self._values and self._pattern is None:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
            pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        return _HEADER.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)


SECRETS = SecretRegistry()


class RedactingFilter(logging.Filter):
    """Rewrites each record's final text with every known secret masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = SECRETS.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = SECRETS.redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def configure(verbose: bool = False, log_file: Path | None = None) -> Path | None:
    """Send logs to a rotating file (and stderr when ``verbose``); returns the file path."""
    root = logging.getLogger()
    if hasattr(root, "integration_vault_log"):
        return root.integration_vault_log
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    redact = RedactingFilter()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    wanted = log_file or paths.log_dir() / "integration-vault.log"
    written: Path | None = wanted
    try:
        wanted.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            wanted, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        wanted.chmod(0o600)
    except OSError:
        handler, written = logging.NullHandler(), None
    handler.addFilter(redact)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.addFilter(redact)
        stream.setFormatter(formatter)
        root.addHandler(stream)
    # Libraries that can log request headers or bodies stay quiet.
    for noisy in ("botocore", "boto3", "urllib3", "s3transfer", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    root.integration_vault_log = written  # type: ignore[attr-defined]
    return written
