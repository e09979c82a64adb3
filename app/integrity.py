"""Telling a wrong master password from a damaged vault file.

SQLCipher answers both with "file is not a database". Each page of a SQLCipher 4 file
carries an HMAC-SHA512 of its ciphertext, keyed from the password. When page 1 fails but
page 2 verifies with the same password, the password is right and the file was damaged or
modified. This needs one extra key derivation, paid only when opening has already failed.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from pathlib import Path

# SQLCipher 4 defaults (the vault never changes them).
PAGE_SIZE = 4096
SALT_SIZE = 16
KDF_ITERATIONS = 256_000
HMAC_KDF_ITERATIONS = 2
HMAC_SALT_MASK = 0x3A
HMAC_SIZE = 64
KEY_SIZE = 32


def _keys(password: str, salt: bytes) -> bytes:
    key = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, KDF_ITERATIONS, KEY_SIZE)
    hmac_salt = bytes(b ^ HMAC_SALT_MASK for b in salt)
    return hashlib.pbkdf2_hmac("sha512", key, hmac_salt, HMAC_KDF_ITERATIONS, KEY_SIZE)


def _page_ok(hmac_key: bytes, page: bytes, number: int) -> bool:
    start = SALT_SIZE if number == 1 else 0
    body, stored = page[start : PAGE_SIZE - HMAC_SIZE], page[PAGE_SIZE - HMAC_SIZE :]
    expected = hmac.new(hmac_key, body + struct.pack("<I", number), hashlib.sha512).digest()
    return hmac.compare_digest(expected, stored)


def password_fits_damaged_file(path: Path, password: str) -> bool:
    """True when ``password`` verifies a later page although page 1 does not verify."""
    with path.open("rb") as handle:
        first = handle.read(PAGE_SIZE)
        second = handle.read(PAGE_SIZE)
    if len(first) < PAGE_SIZE or len(second) < PAGE_SIZE:
        return False
    hmac_key = _keys(password, first[:SALT_SIZE])
    return not _page_ok(hmac_key, first, 1) and _page_ok(hmac_key, second, 2)


def password_opens(path: Path, password: str) -> bool:
    """True when ``password`` verifies page 1 of the vault file at ``path``."""
    with path.open("rb") as handle:
        first = handle.read(PAGE_SIZE)
    if len(first) < PAGE_SIZE:
        return False
    return _page_ok(_keys(password, first[:SALT_SIZE]), first, 1)


def salt_changed_since(path: Path, copy: Path, password: str) -> bool:
    """True when the file's key salt differs from an older copy that ``password`` opens.

    A flipped byte in the salt makes every page fail, exactly like a wrong password; the
    automatic copies are byte copies with the same salt, so they tell the two apart.
    """
    with path.open("rb") as handle, copy.open("rb") as older:
        if handle.read(SALT_SIZE) == older.read(SALT_SIZE):
            return False
    return password_opens(copy, password)
