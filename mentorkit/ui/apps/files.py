"""Files a page offers, and the one way a page action shows what went wrong.

Every download on every page is a link made by :func:`download_link` (the file inside the
link, so it works offline and needs no second request); a file made by pressing a button
starts downloading in the same click (:func:`started_download`); every chart is an image made by
:func:`chart_image`. An action that makes a file runs through :func:`attempt`: a
:class:`~mentorkit.exceptions.MentorkitError` is written for people and is shown as it is;
anything else goes to the server's log and the person sees a plain sentence, never the
error's own text (it may hold a path or a traceback).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from typing import TypeVar

from mentorkit.core.text import escape
from mentorkit.exceptions import MentorkitError
from mentorkit.ui.page_log import log_exception

T = TypeVar("T")

SOMETHING_WENT_WRONG = (
    "Something went wrong on our side while {doing}. Your saved work is safe. Please try "
    "again; if it happens again, tell your facilitator."
)


def data_uri(data: bytes, media: str) -> str:
    """``data`` inside a ``data:`` address."""
    return f"data:{media};base64,{base64.b64encode(bytes(data)).decode('ascii')}"


def download_link(
    data: bytes, media: str, name: str, label: str | None = None, kind: str = ""
) -> str:
    """A link that saves ``data`` as ``name`` (its text: ``label``, or "Save <name>")."""
    text = label if label is not None else f"Save {name}"
    classes = f"mk-download {kind}".strip()
    return (
        f'<a class="{classes}" download="{escape(name)}" '
        f'href="{data_uri(data, media)}">{escape(text)}</a>'
    )


def started_download(data: bytes, media: str, name: str) -> str:
    """What a page shows once a button has made a file: the file downloads at once (the
    page's script follows the link as it appears, once: ``downloads.js`` in mentorkit's
    template), and the link stays to save it again."""
    link = download_link(data, media, name, f"save {name} again", "mk-download-now")
    once = secrets.token_hex(6)
    link = link.replace("<a ", f'<a data-once="{once}" ', 1)
    return f'<p class="mk-download-note" role="status">Downloading {escape(name)}. Or {link}.</p>'


def chart_image(png: bytes, alt: str, css_class: str = "mk-chart") -> str:
    """A chart (PNG bytes) as an image with its alternative text."""
    return (
        f'<img class="{css_class}" alt="{escape(alt)}" style="max-width:100%" '
        f'src="{data_uri(png, "image/png")}">'
    )


def attempt(doing: str, action: Callable[[], T]) -> tuple[T | None, str]:
    """Run a page action: ``(its result, "")``, or ``(None, a message for the person)``.

    ``doing`` completes "Something went wrong on our side while ...", e.g. "making the file".
    """
    try:
        return action(), ""
    except MentorkitError as error:
        return None, str(error)
    except Exception:
        log_exception(f"while {doing}")
        return None, SOMETHING_WENT_WRONG.format(doing=doing)


def error_html(message: str) -> str:
    """A message from :func:`attempt`, as the page shows it."""
    return f'<p class="mk-error" role="alert">{escape(message)}</p>'
