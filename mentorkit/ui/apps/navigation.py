"""Moving from one app to another inside the page that is open, drawn by its own kernel.

Opening a page costs a kernel and the browser's whole front-end (about 5 MB of scripts to
run), and on a crowded laptop that is what people wait for. So a link from one app to another
is followed in place: the page's script (``navigation.js`` in mentorkit's Voila template)
hands the link's address to the page's navigator, a hidden text box, and the kernel that drew
this page draws the next one. It first leaves the current app (pending saves made, timers
stopped, widgets closed), sets the request's details as Voila would have (address and query),
then runs the target notebook as Voila would: markdown cells become HTML, code cells run and
their last value is shown. Each app keeps its own address, so the address bar, Back and
Forward, opening in a new tab and shared links all work as before.
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import ipywidgets as w

from mentorkit.core import paths
from mentorkit.programme.page_cells import shown_cells, source_of
from mentorkit.ui.forms import timing
from mentorkit.ui.page_log import log

APP_ADDRESS = re.compile(
    r"(?:/[A-Za-z0-9_.~%@+-]+)*/voila/render/(?P<name>[A-Za-z0-9_-]+)\.ipynb"
    r"(?:\?(?P<query>[^#\s]*))?"
)
"""The only addresses followed in place: an app notebook of this site (under the site's base
URL, behind JupyterHub), with its query."""

_navigator: Navigator | None = None


class Navigator:
    """The hidden box through which the page's script asks for another app, and the page
    root that app is drawn into."""

    def __init__(self, root: w.VBox, show: Callable[..., None]) -> None:
        self.root = root
        self.show = show
        self.facilitator = False
        """Whether the person is the facilitator (who also sees facilitators' notes)."""
        self.box = w.Text(value="", continuous_update=True, layout=w.Layout(display="none"))
        self.box.add_class("mk-navigator")
        self.box.observe(self._asked, "value")

    def _asked(self, change: dict) -> None:
        address = str(change["new"]).split(" ", 1)[0]
        if not address:
            return
        match = APP_ADDRESS.fullmatch(address)
        notebook = paths.notebooks_folder() / f"{match['name']}.ipynb" if match else None
        if match is None or notebook is None or not notebook.is_file():
            log.warning("Not an app page, not followed: %.200s", address)
            return
        timing.leave_page()
        _close_all(self.root.children)
        _set_request(match.group(0), match["query"] or "")
        try:
            self.show(*run_notebook(notebook, self.facilitator))
        except Exception:
            log.exception("while opening %s in place", notebook.name)
            from mentorkit.ui.apps.common import notice

            self.show(
                notice(
                    "Something went wrong on our side. Your saved work is safe. Please reload "
                    "the page; if it happens again, tell your facilitator."
                )
            )


def navigator(root: w.VBox, show: Callable[..., None]) -> w.Text | None:
    """The page's navigator, made for the first page a kernel draws (None for the apps drawn
    in its place, and outside Voila)."""
    global _navigator
    from mentorkit.core.signin import under_voila

    if _navigator is not None or not under_voila():
        return None
    _navigator = Navigator(root, show)
    return _navigator.box


def viewer(facilitator: bool) -> None:
    """Say who the page is for, once it is known: the notebooks it opens in place show the
    same cells as Voila would serve that person (see ``programme.page_cells``)."""
    if _navigator is not None:
        _navigator.facilitator = facilitator


def forget() -> None:
    """Forget the page's navigator (tests draw many pages in one process)."""
    global _navigator
    _navigator = None


def _set_request(address: str, query: str) -> None:
    """The request's details, as Voila gives them to a page it starts."""
    current = urlsplit(os.environ.get("VOILA_REQUEST_URL", ""))
    origin = f"{current.scheme}://{current.netloc}" if current.netloc else ""
    path = address.split("?", 1)[0]
    os.environ["SCRIPT_NAME"] = path
    os.environ["PATH_INFO"] = path
    os.environ["QUERY_STRING"] = query
    os.environ["VOILA_REQUEST_URL"] = f"{origin}{path}" + (f"?{query}" if query else "")


def run_notebook(notebook: Path, facilitator: bool = False) -> list[w.Widget]:
    """The widgets a notebook draws: the markdown cells this person sees as HTML, then each
    code cell's last value, run in a namespace of its own (as in a fresh kernel)."""
    import mistune

    cells = shown_cells(json.loads(notebook.read_text("utf-8")).get("cells", []), facilitator)
    namespace: dict = {"__name__": "__main__"}
    drawn: list[w.Widget] = []
    for cell in cells:
        source = source_of(cell)
        if cell.get("cell_type") == "markdown" and source.strip():
            html = w.HTML(mistune.html(source))
            html.add_class("jp-RenderedHTMLCommon")  # as Voila shows markdown cells
            html.add_class("mk-notebook-text")
            drawn.append(html)
        elif cell.get("cell_type") == "code" and source.strip():
            value = _run_cell(source, namespace, notebook.name)
            if isinstance(value, w.Widget):
                drawn.append(value)
    return drawn


def _run_cell(source: str, namespace: dict, name: str) -> object:
    """Run a code cell; the value of its last line if that is an expression."""
    tree = ast.parse(source, filename=name)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None:
        tree.body.pop()
    exec(compile(tree, name, "exec"), namespace)  # noqa: S102 - the site's own notebook
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), name, "eval"), namespace)  # noqa: S307


def _close_all(widgets: tuple) -> None:
    """Close a page's widgets (and their children) so the kernel does not keep them."""
    for widget in widgets:
        if "mk-navigator" in getattr(widget, "_dom_classes", ()):
            continue
        children = getattr(widget, "children", ())
        if children:
            _close_all(tuple(children))
        widget.close()
