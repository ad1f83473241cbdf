"""What ``serve`` and ``preview`` both print and decide: the access codes, and the room (pages
prepared ahead, held at once, loading at once) for the people expected."""

from __future__ import annotations

from mentorkit.core.store import Store
from mentorkit.exceptions import ConfigError
from mentorkit.server.warm import LOADS_PER_CORE, Room, machine_room, ready_for


def print_invitations(invitations: list, host: str, port: int) -> None:
    """Each person's access code and sign-in link, shown once."""
    print("Access codes (shown once; keep them safe and hand each person their own):")
    for invitation in invitations:
        link = f"http://{host}:{port}/signin?code={invitation.code}"
        print(f"  {invitation.person.name:<16} {invitation.role:<12} {invitation.code}   {link}")


def room_for(
    store: Store, expect: int | None, max_pages: int | None, loads_at_once: int | None
) -> Room:
    """How many page kernels to keep ready, to start at once and to hold in all, and pages
    to let load at once, from the people expected and what this machine holds; says so on
    the start-up lines."""
    if expect is not None and expect < 0:
        raise ConfigError("--expect takes the number of people coming, 0 or more.")
    if max_pages is not None and max_pages < 1:
        raise ConfigError("--max-pages takes the most pages open at once, 1 or more.")
    if loads_at_once is not None and loads_at_once < 1:
        raise ConfigError("--loads-at-once takes the most pages loading at once, 1 or more.")
    cores, free, limit = machine_room()
    loads = LOADS_PER_CORE * cores if loads_at_once is None else loads_at_once
    limit = limit if max_pages is None else max_pages
    expected = len(store.people(store.programme().id)) if expect is None else expect
    machine = (
        f"This machine ({cores} {'core' if cores == 1 else 'cores'}, {free / 1024:.1f} GB "
        f"free) {'holds about' if max_pages is None else 'is set to hold'} {limit} open pages "
        f"at once, and lets {loads} {'page' if loads == 1 else 'pages'} load at a time; beyond "
        "that, people wait their turn and see their place in the queue."
    )
    if expected == 0:
        print(f"No pages are prepared ahead (--expect 0). {machine}", flush=True)
        return Room(0, cores, limit, loads, 0)
    ready = ready_for(expected, limit)
    print(
        f"Ready for {expected} {'person' if expected == 1 else 'people'}: {ready} pages are "
        f"prepared ahead and refilled as they are used. {machine}",
        flush=True,
    )
    return Room(ready, cores, limit, loads, expected)
