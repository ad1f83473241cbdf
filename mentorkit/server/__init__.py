"""``mentorkit serve``: Voila on the notebooks folder, set up for a workshop room.

* ``pages`` — ``/signin`` and ``/signout`` (both forms carry an XSRF token; a ``?code=`` link
  fills the form in but never signs in by itself) and plain message pages.
* ``identity`` — sign-in as jupyter_server's ``IdentityProvider``, so every handler (pages,
  kernels, websockets, shutdown) needs a live session, and an ``Authorizer`` that lets a person
  reach only the kernels their own pages started.
* ``kernels`` — the kernel manager: who owns each kernel, a limit per person, and giving back
  the kernels of pages people have left.
* ``warm`` — kernels started ahead of the people who need them, refilled at the pace the
  machine allows, and handed out in the order people arrive.
* ``guards`` — headers on every answer (no framing), no errors or stderr over the websocket,
  shutdown of one's own kernel only, the per-person page limit, the queue for a kernel.
* ``app`` — the Voila application assembled from these, over HTTP or HTTPS.

No sources and no tracebacks reach a page (a friendly message; details in the server's log);
idle kernels are culled; there is no directory listing.

Runs in the server's process, beside the pages' kernels: it may import :mod:`mentorkit.core`
only (pages are drawn by :mod:`mentorkit.ui`, in their kernels).
"""

from mentorkit.server.app import (
    FRIENDLY_ERROR,
    MentorkitVoila,
    https_context,
    serve,
    voila_arguments,
)
from mentorkit.server.pages import HOME, safe_next

__all__ = [
    "FRIENDLY_ERROR",
    "HOME",
    "MentorkitVoila",
    "https_context",
    "safe_next",
    "serve",
    "voila_arguments",
]
