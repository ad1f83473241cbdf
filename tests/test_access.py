"""Access codes, sign-in, slowing down guesses, and sessions."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

import pytest

from mentorkit.core import access
from mentorkit.exceptions import SignInRefused, TooManyAttempts

BOTH_ENGINES = True  # every test that uses the store runs on SQLite and on PostgreSQL


def test_codes_are_random_readable_and_long_enough():
    codes = {access.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", c) for c in codes)
    assert math.log2(len(access.ALPHABET)) * access.CODE_LENGTH >= 40


def test_codes_are_stored_hashed(programme):
    rows = programme.store._db.execute("SELECT code_hash FROM people").fetchall()
    stored = {r["code_hash"] for r in rows}
    for code in programme.codes.values():
        assert code not in stored and access.normalise_code(code) not in stored


def test_sign_in_forgives_case_dashes_and_look_alikes(programme):
    code = programme.codes["mentor"]
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert access.sign_in(programme.store, sloppy).id == programme.mentor.id


def test_wrong_code_is_refused_and_repeats_are_slowed(programme):
    store = programme.store
    for _ in range(access.FREE_ATTEMPTS):
        with pytest.raises(SignInRefused, match="not recognised"):
            access.sign_in(store, "AAAA-BBBB-CCCC", client="10.0.0.9")
    with pytest.raises(TooManyAttempts) as caught:
        access.sign_in(store, programme.codes["mentor"], client="10.0.0.9")
    assert caught.value.wait_seconds > 0
    assert access.sign_in(store, programme.codes["mentor"], client="10.0.0.10").name == "Amara"
    later = datetime.now(timezone.utc) + timedelta(seconds=caught.value.wait_seconds + 1)
    assert access.wait_required(store, "10.0.0.9", at=later) == 0


def test_waits_grow_with_more_wrong_codes(programme):
    store = programme.store
    for _ in range(6):
        store.record_failed_sign_in("guesser")
    assert access.wait_required(store, "guesser") > 8


def test_sessions_start_resolve_and_end(programme):
    token = access.start_session(programme.store, programme.mentee)
    assert access.signed_in_person_of(programme.store, token).id == programme.mentee.id
    assert access.signed_in_person_of(programme.store, token + "x") is None
    assert access.signed_in_person_of(programme.store, None) is None
    access.end_sign_in(programme.store, token)
    assert access.signed_in_person_of(programme.store, token) is None


def test_reset_code_stops_the_old_code_and_sessions(programme):
    token = access.start_session(programme.store, programme.mentor)
    new = access.reset_code(programme.store, programme.mentor.id)
    with pytest.raises(SignInRefused):
        access.sign_in(programme.store, programme.codes["mentor"], client="x")
    assert access.sign_in(programme.store, new).id == programme.mentor.id
    assert access.signed_in_person_of(programme.store, token) is None


def test_sign_ins_are_audited(programme):
    access.sign_in(programme.store, programme.codes["mentee"], client="1.2.3.4")
    with pytest.raises(SignInRefused):
        access.sign_in(programme.store, "nope", client="1.2.3.4")
    actions = [e["action"] for e in programme.store.audit_events()]
    assert actions[:2] == ["sign-in-refused", "sign-in"]


def test_wrong_codes_spread_over_many_addresses_slow_everyone(programme):
    store = programme.store
    refused_everywhere = 0
    for attempt in range(60):
        client = f"10.0.1.{attempt % 20}"  # 20 addresses, never more than 3 tries each
        try:
            access.sign_in(store, f"AAAA-BBBB-{attempt:04d}", client=client)
        except TooManyAttempts as error:
            assert error.everywhere and "paused for everyone" in str(error)
            refused_everywhere += 1
        except SignInRefused:
            pass
    assert refused_everywhere >= 60 - access.PROGRAMME_FREE_ATTEMPTS - 1
    with pytest.raises(TooManyAttempts):  # a fresh address waits too
        access.sign_in(store, programme.codes["mentor"], client="10.0.2.1")


def test_a_right_code_clears_its_own_address_but_not_the_programme_count(programme):
    store = programme.store
    for _ in range(2):
        with pytest.raises(SignInRefused):
            access.sign_in(store, "AAAA-BBBB-CCCC", client="10.0.3.1")
    access.sign_in(store, programme.codes["mentor"], client="10.0.3.1")
    since = datetime.now(timezone.utc) - timedelta(minutes=1)
    assert store.recent_failed_sign_ins("10.0.3.1", since) == []
    assert len(store.recent_failed_sign_ins(None, since)) == 2
