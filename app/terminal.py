"""Text for a terminal: control characters shown as escapes, never sent raw.

A label or message that holds ``ESC [ …`` would otherwise recolour, move or clear the
person's terminal (or hide text from them). Newlines and tabs are layout and stay as they are.
"""

from __future__ import annotations

from typing import Any, TextIO

_KEPT = {"\n", "\t"}


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 or 127 <= code < 160) and ch not in _KEPT


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab written as ``\\xNN``."""
    if not any(_is_control(ch) for ch in text):
        return text
    return "".join(f"\\x{ord(ch):02x}" if _is_control(ch) else ch for ch in text)


class EscapingStream:
    """A text stream that passes everything written to it through ``printable``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(printable(text))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
