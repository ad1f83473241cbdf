"""A real JupyterHub (pip ``jupyterhub``, npm ``configurable-http-proxy``) in front of
mentorkit, for the end-to-end tests and the scale benchmark: people sign in to the hub (its
``dummy`` authenticator: any password), each gets their own ``mentorkit serve`` started by
the hub (``/user/NAME/``), and the same programme is also a hub service shared by everyone
(``/services/mentorkit/``), all on one PostgreSQL store. The configuration written here is the
one the README shows for The Littlest JupyterHub, with test ports and folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from mentorkit.testing import free_port, stop_process_group

READY = "JupyterHub is now running"

CONFIG = """\
import sys
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {folder!r} + "/proxy.pid"
c.JupyterHub.pid_file = {folder!r} + "/hub.pid"
c.JupyterHub.db_url = "sqlite:///" + {folder!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {folder!r} + "/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"

# Each person's own mentorkit server, on the programme's PostgreSQL store.
c.Spawner.cmd = [sys.executable, "-m", "mentorkit", "serve"]
c.Spawner.environment = {{
    "MENTORKIT_STORE": {store!r},
    "MENTORKIT_DATA": lambda spawner: {folder!r} + "/data-" + spawner.user.name,
}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# The same programme as one service shared by everyone, at /services/mentorkit/.
c.JupyterHub.services = [
    {{
        "name": "mentorkit",
        "url": "http://127.0.0.1:{service_port}",
        "command": [sys.executable, "-m", "mentorkit", "serve"],
        "environment": {{
            "MENTORKIT_STORE": {store!r},
            "MENTORKIT_DATA": {folder!r} + "/data-service",
        }},
        "oauth_no_confirm": True,
        "timeout": 120,
    }}
]
# Every hub user may open the service; mentorkit itself says no to those not in the programme.
c.JupyterHub.extra_user_scopes = ["access:services!service=mentorkit"]
"""


@dataclass
class HubServer:
    """``start()`` writes the hub's configuration into ``folder`` and runs it until ``stop()``."""

    store: str
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / "hub.log"

    def start(self, timeout: float = 150) -> HubServer:
        proxy = shutil.which("configurable-http-proxy")
        if proxy is None:
            raise RuntimeError(
                "configurable-http-proxy is not installed: npm install -g "
                "configurable-http-proxy (scripts/test does)"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "jupyterhub_config.py"
        config.write_text(
            CONFIG.format(
                port=self.port,
                hub_port=free_port(),
                proxy_api_port=free_port(),
                service_port=free_port(),
                proxy=proxy,
                folder=str(self.folder),
                store=self.store,
            )
        )
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MENTORKIT_", "JUPYTERHUB_"))
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited early; see {self.log_path}")
            if READY in self.log_path.read_text(errors="replace"):
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterHub did not start within {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        stop_process_group(self.process, 30)  # the hub stops its servers and services first
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
