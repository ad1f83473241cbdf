"""The one place that touches the database.

SQLite in WAL mode by default; every statement is plain SQL so the same interface can sit on
PostgreSQL for hub deployments. Responses are kept as append-only revisions: a save adds a
revision and never changes an old one. Who may see which field is decided here, in the read
API, not only in the forms.

A response is stored in *layers*: a joint worksheet keeps its shared fields in layer 0 and
each person's ``private`` fields in that person's own layer; an individual worksheet keeps
everything in its owner's layer.
"""

from __future__ import annotations

from mentorkit.core.store.answers import AnswerRecords
from mentorkit.core.store.connection import SHARED, SaveLimit, StoreBase, now, recorded_kit

__all__ = ["SHARED", "SaveLimit", "Store", "StoreBase", "now", "recorded_kit"]


class Store(AnswerRecords):
    """A programme database. Use ``Store(":memory:")`` in tests.

    Its parts, each built on the one before: the connection (:mod:`.connection`), people and
    relationships (:mod:`.people`), sign-ins and the audit log (:mod:`.signins`), answers and
    confirmations (:mod:`.answers`).
    """
