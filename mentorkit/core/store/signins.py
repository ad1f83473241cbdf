"""Sign-in sessions, failed sign-in attempts and the audit log."""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import datetime, timedelta, timezone
from typing import Any

from mentorkit.core.models import (
    Person,
)
from mentorkit.core.store.connection import now
from mentorkit.core.store.people import PeopleRecords
from mentorkit.exceptions import (
    StoreUnavailable,
)


class SignInRecords(PeopleRecords):
    """Sign-in sessions, attempts and the audit log."""

    # --- sessions, sign-in attempts and audit --------------------------------------------

    def create_sign_in(self, person_id: int, token_hash: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash, person_id, now(), now()),
            )

    def signed_in_person_of(self, token_hash: str, max_idle: timedelta) -> Person | None:
        """The person a live session belongs to (touching it), or None."""
        row = self._one("SELECT * FROM sessions WHERE token_hash = ?", token_hash)
        if row is None:
            return None
        last_seen = datetime.fromisoformat(row["last_seen_at"])
        if datetime.now(timezone.utc) - last_seen > max_idle:
            with suppress(StoreUnavailable):  # expired all the same
                self.end_sign_in(token_hash)
            return None
        if datetime.now(timezone.utc) - last_seen > timedelta(minutes=5):
            with suppress(StoreUnavailable), self._transaction() as db:  # reading goes on
                db.execute(
                    "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", (now(), token_hash)
                )
        return self.person(row["person_id"])

    def end_sign_in(self, token_hash: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def record_failed_sign_in(self, client: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO sign_in_failures (client, at) VALUES (?, ?)", (client, now()))

    def recent_failed_sign_ins(self, client: str | None, since: datetime) -> list[str]:
        """Times of failed sign-ins since ``since``, oldest first: from ``client`` (those not
        cleared by a right code from there since), or from anywhere when ``client`` is None."""
        at = since.isoformat(timespec="microseconds")
        if client is None:
            rows = self._all("SELECT at FROM sign_in_failures WHERE at >= ? ORDER BY at", at)
        else:
            rows = self._all(
                "SELECT at FROM sign_in_failures "
                "WHERE client = ? AND cleared = 0 AND at >= ? ORDER BY at",
                client,
                at,
            )
        return [r["at"] for r in rows]

    def clear_failed_sign_ins(self, client: str) -> None:
        """A right code from ``client``: its own count starts again (the programme's does not)."""
        with self._transaction() as db:
            db.execute("UPDATE sign_in_failures SET cleared = 1 WHERE client = ?", (client,))

    def audit(
        self,
        action: str,
        person_id: int | None = None,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record an event (sign-ins, saves, exports) in the audit log."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO audit (at, person_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                (now(), person_id, action, subject, json.dumps(detail or {})),
            )

    def audit_events(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest audit events, newest first."""
        return [dict(r) for r in self._all("SELECT * FROM audit ORDER BY id DESC LIMIT ?", limit)]
