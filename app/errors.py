"""Typed errors: what a person is shown as is, what is silent, and everything else (a bug)."""

from __future__ import annotations

from dataclasses import dataclass


class UserFacingError(Exception):
    """An expected problem whose message is shown to the person exactly as written."""

    exit_code = 2


class Cancelled(Exception):
    """The person stopped an operation; nothing is shown."""


class VaultError(UserFacingError):
    """The vault cannot be used: missing, locked, wrong password or not a vault."""

    exit_code = 3


class WrongPassword(VaultError):
    def __init__(self, message: str = "wrong master password") -> None:
        super().__init__(message)


class VaultMissing(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"no vault at {path}; create one with 'integration-vault init'")


class VaultExists(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"a file already exists at {path}; refusing to overwrite it")


class NotAVault(VaultError):
    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path} is not an Integration Vault ({why})")


class UnknownIntegration(UserFacingError):
    exit_code = 2

    def __init__(self, integration_id: str) -> None:
        super().__init__(f"no integration with id {integration_id}")


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: its wire path (``credentials.subdomain``) and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(UserFacingError):
    """Input that failed validation; each problem names its field."""

    exit_code = 4

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class VaultDamaged(VaultError):
    def __init__(self, path: str, why: str, hint: str = "") -> None:
        super().__init__(f"the vault {path} is damaged or modified ({why}).{hint}")


class VaultBusy(VaultError):
    def __init__(self, path: str, why: str = "another program is writing to it") -> None:
        super().__init__(f"the vault {path} is busy: {why}; close it there, then try again")


class VaultClosed(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(f"the vault {path} is locked; unlock it first")


class OutputExists(UserFacingError):
    """An output file (backup, export) is never replaced; a folder is not a file name."""

    exit_code = 2

    def __init__(self, path: str, is_folder: bool = False) -> None:
        if is_folder:
            message = f"{path} is a folder; give the name of a new file inside it"
        else:
            message = f"a file already exists at {path}; refusing to overwrite it"
        super().__init__(message)


class SyncStepFailed(UserFacingError):
    """A sync step could not be done for a reason the message names (exit 1, not usage)."""

    exit_code = 1
