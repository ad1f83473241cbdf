"""Who a JupyterHub user is in the programme: the person whose email is their hub name, or,
failing that, the one person whose email begins with it (``amara`` for
``amara@example.org``). Facilitators are hub users named in the programme like anyone else.
"""

from __future__ import annotations

from mentorkit.core.models import Person
from mentorkit.core.store import Store


def person_for_hub_user(store: Store, hub_name: str) -> Person | None:
    """The programme's person for the hub user ``hub_name`` (None: nobody, or not one)."""
    wanted = hub_name.strip().lower()
    if not wanted:
        return None
    people = [p for p in store.people(store.programme().id) if p.email]
    exact = [p for p in people if p.email.lower() == wanted]
    if exact:
        return exact[0]
    by_name = [p for p in people if p.email.lower().split("@", 1)[0] == wanted]
    return by_name[0] if len(by_name) == 1 else None
