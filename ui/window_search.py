"""Making the search box find non-secret fields: read off the GUI thread, as vault work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from qasync import asyncSlot

from app.errors import Cancelled, UserFacingError
from app.vault import Vault
from ui.integration_model import search_details

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class SearchDetailsLoader(QObject):
    """Reads the bucket, subdomain… of every listed integration for the window's search.

    The read runs as the lock's vault work: a lock waits for it (it stops early) before
    closing the vault, and what it read is dropped instead of shown.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    @asyncSlot()
    async def load(self) -> None:
        """Read the details on a worker; the window emits ``search_details_loaded`` after."""
        window = self._window
        lock = window.session.lock
        vault = window.vault
        ids = [row.id for row in window.model.rows()]
        try:
            details = await lock.vault_job(details_of, vault, ids, lambda: lock.is_locked)
        except Cancelled:
            return  # already locked: the unlock loads them again
        if lock.is_locked or vault is not window.vault:
            log.debug("search details read before a lock were dropped")
            return
        window.model.set_details(details)
        window.listing.proxy.refilter()
        window.search_details_loaded.emit()


def details_of(vault: Vault, ids: list[str], stopped: Callable[[], bool]) -> dict[str, str]:
    """On a worker: the search details of each integration still in the vault.

    Stops early once ``stopped()`` is true (the window locked), so the lock is not kept
    waiting; the caller drops the partial answer.
    """
    found = {}
    for integration_id in ids:
        if stopped():
            break
        try:
            found[integration_id] = search_details(vault.get(integration_id))
        except UserFacingError:
            continue
    return found
