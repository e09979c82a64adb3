"""Numbered schema migrations; entry N takes the vault from version N to N + 1."""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: integrations, their verification history, and settings.
    [
        "CREATE TABLE integrations ("
        " id TEXT PRIMARY KEY,"
        " label TEXT NOT NULL,"
        " provider TEXT NOT NULL,"
        " platform TEXT NOT NULL,"
        " credentials TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)",
        "CREATE TABLE checks ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,"
        " checked_at TEXT NOT NULL,"
        " ok INTEGER NOT NULL,"
        " category TEXT NOT NULL,"
        " message TEXT NOT NULL,"
        " elapsed_ms INTEGER NOT NULL,"
        " steps TEXT NOT NULL DEFAULT '[]')",
        "CREATE INDEX checks_by_integration ON checks (integration_id, id)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
    # 2: mirroring to the remote Integration API.
    [
        "ALTER TABLE integrations ADD COLUMN remote_id TEXT",
        "ALTER TABLE integrations ADD COLUMN remote_updated_at TEXT",
        "ALTER TABLE integrations ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'local'",
        "ALTER TABLE integrations ADD COLUMN sync_error TEXT",
        "CREATE UNIQUE INDEX integrations_by_remote_id ON integrations (remote_id)"
        " WHERE remote_id IS NOT NULL",
        "CREATE TABLE conflicts ("
        " integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,"
        " remote TEXT NOT NULL,"
        " found_at TEXT NOT NULL)",
        "ALTER TABLE checks ADD COLUMN source TEXT NOT NULL DEFAULT 'local'",
    ],
    # 3: previous versions of each integration, so an overwritten token can be brought back.
    [
        "CREATE TABLE versions ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,"
        " saved_at TEXT NOT NULL,"
        " label TEXT NOT NULL,"
        " credentials TEXT NOT NULL)",
        "CREATE INDEX versions_by_integration ON versions (integration_id, id)",
    ],
    # 4: the list loads from indexes alone: each integration's latest local check in one
    # look-up, and the list's own columns in label order without reading the credentials.
    [
        "DROP INDEX checks_by_integration",
        "CREATE INDEX checks_latest ON checks (integration_id, source, id)",
        "CREATE INDEX integrations_list ON integrations (label COLLATE NOCASE, id, provider,"
        " platform, created_at, updated_at, sync_state, sync_error, remote_id)",
    ],
]
