"""Integration Vault core: models, the encrypted vault, verification and the CLI (no Qt)."""

__version__ = "0.1.0"
