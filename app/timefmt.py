"""Timestamps in the remote API's form: ISO-8601 UTC with milliseconds and ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_ZERO = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC)


def to_api(moment: datetime) -> str:
    """``2024-02-26T16:24:18.676Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def from_api(text: str) -> datetime:
    """Parse the API form (or any ISO-8601 with an offset) into an aware UTC datetime."""
    parsed = datetime.fromisoformat(text.strip())  # 3.11+ reads the "Z" suffix itself
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed if parsed.utcoffset() == _ZERO else parsed.astimezone(UTC)


def age_text(moment: datetime, reference: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '12 days ago'."""
    seconds = ((reference or now()) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "1 day ago" if days == 1 else f"{days} days ago"
