"""Access codes, sign-in and sessions.

Each person has a personal access code: twelve characters from Crockford's base-32 alphabet
(60 random bits), shown as ``K7QM-4XRT-9B2H``. Dashes, spaces and capitals do not matter, and
the letters that look like digits (O, I, L) are read as the digits. Only a salted hash of a
code is stored. A wrong code is answered slowly once they start to repeat.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from mentorkit.core.models import Person
from mentorkit.core.store import Store
from mentorkit.exceptions import SignInRefused, TooManyAttempts

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
FREE_ATTEMPTS = 3
"""Wrong codes allowed from one place before each further try has to wait."""
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_WAIT_SECONDS = 300
PROGRAMME_FREE_ATTEMPTS = 30
"""Wrong codes allowed across the whole programme (any address) in the window before every
try, from anywhere, has to wait: guessing spread over many addresses is slowed too."""
PROGRAMME_MAX_WAIT_SECONDS = 60
SIGN_IN_IDLE_LIMIT = timedelta(days=30)
SIGN_IN_COOKIE = "mentorkit_session"


_LOOK_ALIKE = str.maketrans("OIL", "011")
"""Letters people mistake for digits in a code, read as the digits."""


def new_code() -> str:
    """A fresh random access code, grouped in fours for reading aloud."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Upper case, no separators, look-alike letters read as digits."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(_LOOK_ALIKE)


def hash_code(store: Store, code: str) -> str:
    """The stored form of an access code."""
    material = f"{store.code_pepper}:{normalise_code(code)}".encode()
    return hashlib.sha256(material).hexdigest()


def hash_token(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_person(
    store: Store, programme_id: int, name: str, is_facilitator: bool = False
) -> tuple[Person, str]:
    """Add a person with a fresh access code; returns the person and the code (shown once)."""
    code = new_code()
    return store.add_person(programme_id, name, hash_code(store, code), is_facilitator), code


def reset_code(store: Store, person_id: int) -> str:
    """Give a person a new access code; the old one and its sessions stop working."""
    code = new_code()
    store.set_code_hash(person_id, hash_code(store, code))
    store.audit("code-reset", person_id)
    return code


def revoke_code(store: Store, person_id: int, by: int | None = None) -> None:
    """Withdraw a person's access code: it and their sign-ins stop working at once."""
    store.revoke_code(person_id, f"revoked:{secrets.token_hex(16)}")
    store.audit("code-revoked", by, str(person_id))


def add_people(
    store: Store, programme_id: int, people: list[tuple[str, str, dict]]
) -> list[tuple[Person, str]]:
    """Add (name, email, details) people with fresh codes, all or none; returns each person
    with their code (shown once)."""
    codes = [new_code() for _ in people]
    added = store.add_people(
        programme_id,
        [
            (name, email, hash_code(store, code), details)
            for (name, email, details), code in zip(people, codes, strict=True)
        ],
    )
    return list(zip(added, codes, strict=True))


def _backoff(failures: list[str], free: int, cap: int, at: datetime) -> int:
    """Seconds still to wait after ``failures`` (oldest first): none for the first ``free``,
    then doubling from 2 s after the latest one, up to ``cap``."""
    if len(failures) < free:
        return 0
    wait = min(cap, 2 ** (len(failures) - free + 1))
    ready = datetime.fromisoformat(failures[-1]) + timedelta(seconds=wait)
    return max(0, int((ready - at).total_seconds() + 0.999))


def wait_required(store: Store, client: str, at: datetime | None = None) -> int:
    """Seconds this client must still wait before another try (0: may try now)."""
    at = at or datetime.now(timezone.utc)
    failures = store.recent_failed_sign_ins(client, at - ATTEMPT_WINDOW)
    return _backoff(failures, FREE_ATTEMPTS, MAX_WAIT_SECONDS, at)


def programme_wait_required(store: Store, at: datetime | None = None) -> int:
    """Seconds every client must wait because of wrong codes from anywhere (0: none)."""
    at = at or datetime.now(timezone.utc)
    failures = store.recent_failed_sign_ins(None, at - ATTEMPT_WINDOW)
    return _backoff(failures, PROGRAMME_FREE_ATTEMPTS, PROGRAMME_MAX_WAIT_SECONDS, at)


def sign_in(store: Store, code: str, client: str = "local") -> Person:
    """The person whose code this is; raises SignInRefused or TooManyAttempts.

    ``client`` identifies where the try came from (an IP address) for slowing down guessing
    from one place; wrong codes from everywhere together slow down every try as well.
    """
    wait = wait_required(store, client)
    if wait:
        raise TooManyAttempts(wait)
    wait = programme_wait_required(store)
    if wait:
        raise TooManyAttempts(wait, everywhere=True)
    person = store.person_by_code_hash(hash_code(store, code)) if normalise_code(code) else None
    if person is None:
        store.record_failed_sign_in(client)
        store.audit("sign-in-refused", None, client)
        raise SignInRefused()
    store.clear_failed_sign_ins(client)
    store.audit("sign-in", person.id, client)
    return person


def start_session(store: Store, person: Person) -> str:
    """A new session token for a signed-in person (kept in their browser's cookie)."""
    token = secrets.token_urlsafe(32)
    store.create_sign_in(person.id, hash_token(token))
    return token


def signed_in_person_of(store: Store, token: str | None) -> Person | None:
    """The person a session token belongs to, or None if it is unknown or expired."""
    if not token:
        return None
    return store.signed_in_person_of(hash_token(token), SIGN_IN_IDLE_LIMIT)


def end_sign_in(store: Store, token: str) -> None:
    """Sign out: the token stops working."""
    store.end_sign_in(hash_token(token))
