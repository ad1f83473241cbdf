"""The Voila application that ``mentorkit serve`` runs, assembled from the other modules."""

from __future__ import annotations

import functools
import os
import ssl
import tempfile
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler

from mentorkit.core.store import Store
from mentorkit.server.chrome import prepare_page
from mentorkit.server.frontend import FrontEndFile
from mentorkit.server.guards import (
    AppPage,
    OwnKernelShutdown,
    QuietKernelWebsocket,
    SecurityHeaders,
)
from mentorkit.server.hub import SIGN_IN, hub_handlers
from mentorkit.server.identity import SignInIdentityProvider
from mentorkit.server.kernels import PeopleKernelManager
from mentorkit.server.pages import HomeRedirect, SignInHandler, SignOutHandler
from mentorkit.server.presence import PageStateHandler
from mentorkit.server.queue import QueueHandler
from mentorkit.server.warm import Room, WarmKernels

FRIENDLY_ERROR = (
    "Something went wrong while preparing this page. Your saved work is safe. "
    "Please reload; if it happens again, tell your facilitator (the details are "
    "in the server's log)."
)
UNUSED_EXTENSIONS = [
    "@voila-dashboards/widgets-manager7",
    "@voila-dashboards/jupyterlab-preview",
    "jupyterlab_pygments",
]
"""Front-end extensions installed beside Voila that no page needs (ipywidgets 7's manager,
JupyterLab's preview button, code highlighting): not loaded, so every page loads faster."""
TEMPLATES = Path(__file__).parent / "jupyter"
"""A Jupyter data folder holding mentorkit's Voila template (``voila/templates/mentorkit``)."""
_HIDDEN = (
    "/voila/tree",
    "/voila/api/contents",
    "/voila/files/",
    "/voila/static/",
    "/voila/labextensions/",
    "/voila/api/themes/",
)
"""Voila handlers mentorkit does not serve: the directory listing, its contents API, raw
files beside the notebooks, and Voila's own front-end (its scripts, extensions and themes:
pages use mentorkit's, ``frontend.py``; the template's stylesheets are still served)."""
_REPLACED = {
    "TornadoVoilaHandler": AppPage,
    "VoilaKernelWebsocketHandler": QuietKernelWebsocket,
    "VoilaShutdownKernelHandler": OwnKernelShutdown,
}


class MentorkitVoila(Voila):
    """Voila with mentorkit's sign-in in jupyter_server's identity provider, mentorkit's pages
    in front, and Voila's handlers wrapped by the guards."""

    store: Store
    ssl_options: ssl.SSLContext | None = None
    owner: str = ""
    """Behind JupyterHub, the hub user whose own server this is ("" for everyone's)."""
    hub: Any = None
    """JupyterHub's OAuth client when the hub started this server (people sign in through
    the hub, ``hub.py``), else None (access codes)."""
    room: Room = Room()
    """Kernels to keep ready, to start at once and to hold in all, pages loading at once, and
    the people expected (the ready kernels shrink to a few once they all have a page)."""

    def init_settings(self) -> dict:
        SignInIdentityProvider.store = self.store
        SignInIdentityProvider.only_for = self.owner
        PeopleKernelManager.store = self.store
        settings = super().init_settings()
        settings["login_url"] = url_path_join(self.base_url, "/signin")
        if self.hub is not None:
            settings["mentorkit_hub_auth"] = self.hub
            settings["login_url"] = url_path_join(self.base_url, SIGN_IN)
        settings["transforms"] = [SecurityHeaders]
        settings["xsrf_cookie_kwargs"] = {
            "samesite": "Lax",
            "secure": self.ssl_options is not None,
        }
        return settings

    def init_handlers(self) -> list:
        hub = self.hub is not None  # behind the hub, its own sign-in pages replace /signin
        ours: list[tuple[Any, ...]] = [
            (r"/", HomeRedirect),
            *([] if hub else [(r"/signin", SignInHandler, {"store": self.store})]),
            (r"/signout", SignOutHandler, {"store": self.store}),
            (r"/mentorkit/page-state/([\w-]+)", PageStateHandler, {"store": self.store}),
            (r"/mentorkit/queue", QueueHandler, {"store": self.store}),
            (r"/mentorkit/static/(page\.js|page\.css)", FrontEndFile),
        ]
        ours = [(url_path_join(self.base_url, pattern), *rest) for pattern, *rest in ours]
        if hub:
            ours += hub_handlers(self.base_url, self.store)
        kept = []
        for pattern, handler, *rest in super().init_handlers():
            if pattern == self.server_url or any(part in pattern for part in _HIDDEN):
                continue
            if handler is RequestInfoSocketHandler:
                continue  # only for Voila's own pre-heated kernels, which are not used
            replacement = _REPLACED.get(handler.__name__, handler)
            if replacement is AppPage:
                rest = [{**rest[0], "store": self.store}]
            kept.append((pattern, replacement, *rest))
        return ours + kept

    def listen(self) -> None:
        """Voila's listen (which then runs the loop), over HTTPS when given a certificate,
        with kernels for the pages started (ahead, and in turn) once the loop runs."""
        if self.ssl_options is not None:
            self.app.listen = functools.partial(self.app.listen, ssl_options=self.ssl_options)
        manager = self.kernel_manager
        room = self.room
        manager.warm = WarmKernels(
            manager,
            "",
            room.ready,
            room.slots,
            room.limit,
            "python3",
            expected=room.expected,
            loads_at_once=room.loads_at_once,
        )
        IOLoop.current().add_callback(manager.warm.run, manager.give_back_left)
        super().listen()


def https_context(certfile: Path, keyfile: Path) -> ssl.SSLContext:
    """A server TLS context from a certificate and its key (PEM files)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certfile), str(keyfile))
    return context


def sockets_root() -> str:
    """Where Voila makes its private folder (mode 700) for the kernels' Unix sockets: the
    system's temporary folder, or /tmp where that path is long (a socket's path may be at
    most 107 bytes, and a kernel's socket name takes 50 of them)."""
    base = tempfile.gettempdir()
    return base if len(base) <= 40 else "/tmp"


def voila_arguments(
    notebooks: Path, ip: str, port: int, cull_after: int, base_url: str = "/"
) -> list[str]:
    """The Voila settings for a workshop.

    Kernels talk to the server over Unix sockets, not loopback TCP ports: a port picked for
    a kernel can be taken by another connection before the kernel binds it (its heartbeat
    then fails), and the sockets sit in a folder nobody else on the machine can open."""
    return [
        str(notebooks),
        "--no-browser",
        f"--Voila.ip={ip}",
        f"--Voila.port={port}",
        f"--Voila.base_url={base_url}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.template=mentorkit",
        f"--VoilaConfiguration.extension_denylist={UNUSED_EXTENSIONS!r}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.http_header_envs=Cookie",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "mentorkit.server.kernels.PeopleKernelManager",
        "--Voila.identity_provider_class=mentorkit.server.identity.SignInIdentityProvider",
        "--Voila.authorizer_class=mentorkit.server.identity.OwnKernelsAuthorizer",
        f"--VoilaExecutor.cell_error_instruction={FRIENDLY_ERROR}",
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        "--KernelManager.transport=ipc",
        f"--Voila.connection_dir_root={sockets_root()}",
    ]


def serve(
    store: Store,
    notebooks: Path,
    ip: str = "127.0.0.1",
    port: int = 8866,
    cull_after: int = 3600,
    https: ssl.SSLContext | None = None,
    room: Room | None = None,
    base_url: str = "/",
    hub: Any = None,
    owner: str = "",
) -> None:
    """Run the apps until interrupted (over HTTPS when ``https`` is given), with kernels kept
    ready and pages let in as ``room`` says; under ``base_url`` (behind JupyterHub, with its
    OAuth client ``hub`` for signing in)."""
    os.environ["MENTORKIT_BASE_URL"] = base_url  # for the pages' own links
    os.environ.pop("MENTORKIT_CODE", None)  # pages only ever sign in through the cookie
    os.environ["JUPYTER_PATH"] = os.pathsep.join(  # where Voila finds mentorkit's template
        p for p in (str(TEMPLATES), os.environ.get("JUPYTER_PATH", "")) if p
    )
    app = MentorkitVoila()
    app.store = store
    app.ssl_options = https
    app.room = room or Room()
    app.hub = hub
    app.owner = owner
    app.initialize(voila_arguments(notebooks, ip, port, cull_after, base_url))
    app.voila_configuration.prelaunch_hook = prepare_page  # the page's header and title
    app.start()
