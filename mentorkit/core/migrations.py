"""The SQLite schema, as numbered steps. The store applies the missing ones on open.

Never edit a released step: add a new one, here and in :mod:`.migrations_postgres` (the same
steps for PostgreSQL, same tables, columns and rules). ``PRAGMA user_version`` records the
last step applied.
"""

from __future__ import annotations

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE programmes (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)",
        """CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            programme_id INTEGER NOT NULL REFERENCES programmes(id),
            name TEXT NOT NULL,
            is_facilitator INTEGER NOT NULL DEFAULT 0,
            code_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE relationships (
            id INTEGER PRIMARY KEY,
            programme_id INTEGER NOT NULL REFERENCES programmes(id),
            kind TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL)""",
        """CREATE TABLE members (
            relationship_id INTEGER NOT NULL REFERENCES relationships(id),
            person_id INTEGER NOT NULL REFERENCES people(id),
            role TEXT NOT NULL,
            PRIMARY KEY (relationship_id, person_id))""",
        "CREATE INDEX members_by_person ON members (person_id)",
        """CREATE TABLE responses (
            id INTEGER PRIMARY KEY,
            worksheet_id TEXT NOT NULL,
            relationship_id INTEGER NOT NULL REFERENCES relationships(id),
            owner_id INTEGER NOT NULL DEFAULT 0,
            UNIQUE (worksheet_id, relationship_id, owner_id))""",
        """CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            response_id INTEGER NOT NULL REFERENCES responses(id),
            author_id INTEGER NOT NULL REFERENCES people(id),
            saved_at TEXT NOT NULL,
            spec_version INTEGER NOT NULL,
            data TEXT NOT NULL)""",
        "CREATE INDEX revisions_by_response ON revisions (response_id, id)",
        """CREATE TRIGGER revisions_are_append_only BEFORE UPDATE ON revisions
            BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END""",
        """CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id),
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL)""",
        """CREATE TABLE sign_in_failures (
            id INTEGER PRIMARY KEY, client TEXT NOT NULL, at TEXT NOT NULL)""",
        "CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, at)",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            person_id INTEGER,
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}')""",
    ],
    2: [
        """CREATE TABLE confirmations (
            id INTEGER PRIMARY KEY,
            worksheet_id TEXT NOT NULL,
            relationship_id INTEGER NOT NULL REFERENCES relationships(id),
            version INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES people(id),
            confirmed_at TEXT NOT NULL,
            UNIQUE (worksheet_id, relationship_id, version, person_id))""",
    ],
    3: [
        "ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE people ADD COLUMN details TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE people ADD COLUMN code_state TEXT NOT NULL DEFAULT 'active'",
        "CREATE UNIQUE INDEX people_by_email ON people (programme_id, email) WHERE email != ''",
    ],
    4: [
        # A right code clears its address's wrong ones for that address only; the
        # programme-wide count keeps them, so a valid code cannot wipe out a guessing run.
        "ALTER TABLE sign_in_failures ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at)",
        # Counting a person's recent saves (the save-rate limit) without a scan.
        "CREATE INDEX revisions_by_author ON revisions (author_id, saved_at)",
    ],
    5: [
        # Append-only means kept, too: no revision is ever deleted.
        """CREATE TRIGGER revisions_are_kept BEFORE DELETE ON revisions
            BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END""",
    ],
}

SCHEMA_VERSION = max(MIGRATIONS)
