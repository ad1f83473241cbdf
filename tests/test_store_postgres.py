"""The store on a real PostgreSQL server: several servers saving to one relationship at once,
migrations shared by servers, a connection that drops, and addresses that do not work.

(The store's other tests run on both engines: ``BOTH_ENGINES`` in test_store.py and others.)
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from mentorkit.core import access
from mentorkit.core.merge import merge
from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.store import SHARED, Store
from mentorkit.exceptions import (
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseUnreachable,
    StaleRevision,
)
from mentorkit.postgres_server import PostgresServer
from mentorkit.testing import free_port


@pytest.fixture
def two_servers(postgres_url, first_session):
    """Two stores on one database, as two mentorkit servers have; a pair in it."""
    one = Store(postgres_url)
    programme = one.create_programme("Shared")
    mentor, _ = access.add_person(one, programme.id, "Amara")
    mentee, _ = access.add_person(one, programme.id, "Ben")
    pair = one.add_relationship(
        programme.id, "one-to-one", [(mentor.id, "mentor"), (mentee.id, "mentee")]
    )
    two = Store(postgres_url)
    yield one, two, pair, mentor, mentee
    one.close()
    two.close()


def _at_once(worksheet, pair_id, bases, saves) -> dict[int, str]:
    """Run the (store, person, values) saves in threads released together; each one's
    outcome: "saved", or "stale" (told someone saved first)."""
    barrier = threading.Barrier(len(saves))
    outcome: dict[int, str] = {}

    def save(i: int, store: Store, person, values) -> None:
        barrier.wait()
        try:
            store.save(worksheet, pair_id, person.id, values, bases)
            outcome[i] = "saved"
        except StaleRevision:
            outcome[i] = "stale"

    threads = [threading.Thread(target=save, args=(i, *s)) for i, s in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_two_servers_saving_one_worksheet_at_once_take_turns_and_lose_nothing(
    two_servers, first_session
):
    one, two, pair, mentor, mentee = two_servers
    for round_ in range(8):
        start = one.load(first_session, pair.id, mentor.id)
        saves = [
            (one, mentor, {**start.values, "mentor_background": f"Amara {round_}"}),
            (two, mentee, {**start.values, "mentee_background": f"Ben {round_}"}),
        ]
        outcome = _at_once(first_session, pair.id, start.revisions, saves)
        assert sorted(outcome.values()) == ["saved", "stale"], outcome
        # the one told "someone saved first" merges and saves again, as the page does
        late = [i for i, word in outcome.items() if word == "stale"][0]
        store, person, mine = saves[late]
        latest = store.load(first_session, pair.id, person.id)
        merged = merge(start.values, mine, latest.values)
        assert merged.conflicts == {}
        store.save(first_session, pair.id, person.id, {**mine, **merged.adopt}, latest.revisions)
        final = two.load(first_session, pair.id, mentee.id).values
        assert final["mentor_background"] == f"Amara {round_}"
        assert final["mentee_background"] == f"Ben {round_}"
    history = one.history(first_session, pair.id, mentor.id, SHARED)
    assert len(history) == 16  # every save kept, none overwritten


def test_servers_starting_together_on_an_empty_database_migrate_it_once(postgres_url):
    stores: list[Store] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            stores.append(Store(postgres_url))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert {s.schema_version for s in stores} == {SCHEMA_VERSION}
    assert len({s.code_pepper for s in stores}) == 1  # one pepper: codes work on every server
    for store in stores:
        store.close()


def test_a_database_from_a_newer_mentorkit_is_refused_and_left_alone(postgres_url):
    Store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(99),))
    with pytest.raises(DatabaseTooNew, match="newer mentorkit") as refused:
        Store(postgres_url)
    assert "mentorkit-test" not in str(refused.value)  # the password is never shown
    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            "99",
        )


def test_a_database_holding_other_tables_is_refused_and_left_alone(postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("CREATE TABLE customers (id integer)")
    with pytest.raises(DatabaseDamaged, match="did not make"):
        Store(postgres_url)
    with psycopg.connect(postgres_url) as db:
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    assert tables == [("customers",)]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://mentorkit:wrong@127.0.0.1:{port}/postgres", "refused the user name or password"),
        ("postgresql://mentorkit:mentorkit-test@127.0.0.1:{port}/nowhere", "no database of that name"),
        ("postgresql://mentorkit:mentorkit-test@127.0.0.1:{free}/postgres", "nothing answers"),
        ("postgresql://mentorkit:mentorkit-test@no-such-host.invalid/postgres", "no host of that name"),
    ],
)  # fmt: skip
def test_a_store_that_cannot_be_reached_says_what_is_wrong_and_how_to_fix_it(postgres, url, said):
    url = url.format(port=postgres.port, free=free_port())
    with pytest.raises(DatabaseUnreachable) as refused:
        Store(url)
    message = str(refused.value)
    assert said in message
    assert "mentorkit-test" not in message and ":***@" in message
    assert "cannot be reached just now" in refused.value.public  # what a page shows
    assert "127.0.0.1" not in refused.value.public


def test_a_dropped_connection_is_made_again_for_the_next_read_and_save(two_servers, first_session):
    one, two, pair, mentor, _mentee = two_servers
    with psycopg.connect(one.path, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'mentorkit' AND pid != pg_backend_pid()"
        )
    snapshot = one.load(first_session, pair.id, mentor.id)  # a new connection, silently
    one.save(first_session, pair.id, mentor.id, {"mentor_background": "after"}, snapshot.revisions)
    assert two.load(first_session, pair.id, mentor.id).values["mentor_background"] == "after"


def test_a_save_while_the_database_is_down_is_refused_whole_and_works_once_it_is_back(
    first_session,
):
    server = PostgresServer().start()
    try:
        store = Store(server.url("down"))
        programme = store.create_programme("P")
        mentor, _ = access.add_person(store, programme.id, "Amara")
        mentee, _ = access.add_person(store, programme.id, "Ben")
        pair = store.add_relationship(
            programme.id, "one-to-one", [(mentor.id, "mentor"), (mentee.id, "mentee")]
        )
        bases = store.load(first_session, pair.id, mentor.id).revisions
        server.pause()
        with pytest.raises(DatabaseUnreachable) as refused:
            store.save(first_session, pair.id, mentor.id, {"mentor_background": "typed"}, bases)
        assert "what you typed is still on your screen" in refused.value.public
        server.resume()
        assert store.history(first_session, pair.id, mentor.id) == []  # nothing half-written
        store.save(first_session, pair.id, mentor.id, {"mentor_background": "typed"}, bases)
        assert store.load(first_session, pair.id, mentor.id).values["mentor_background"] == "typed"
        store.close()
    finally:
        server.stop()
