"""A real PostgreSQL server in a temporary folder on a free loopback port, for the tests and
benchmarks (Debian's ``postgresql`` package: ``initdb``, ``pg_ctl``). As root it runs as the
``postgres`` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mentorkit.testing import free_port

_BIN_FOLDERS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _tool(name: str) -> str:
    for folder in _BIN_FOLDERS:
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"PostgreSQL's {name} is not installed: apt-get install postgresql (scripts/test does)"
        )
    return found


@dataclass
class PostgresServer:
    """``start()`` makes and starts a new cluster; ``url(name)`` makes a database in it;
    ``stop()`` stops it and removes its folder. Connections over TCP need the password
    (``PASSWORD``), as on a real server."""

    PASSWORD = "mentorkit-test"
    port: int = field(default_factory=free_port)
    folder: Path | None = None
    _as: list[str] = field(default_factory=list)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self._as, *args], check=True, capture_output=True, text=True, cwd="/"
        )

    def start(self) -> PostgresServer:
        self.folder = Path(tempfile.mkdtemp(prefix="mentorkit-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        password = self.folder / "password"
        password.write_text(self.PASSWORD)
        if self._as:
            shutil.chown(password, "postgres", "postgres")
        self._run(
            _tool("initdb"), "-D", str(data), "-U", "mentorkit", "--pwfile", str(password),
            "--auth-local=trust", "--auth-host=scram-sha-256",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        password.unlink()
        return self.resume()

    def resume(self) -> PostgresServer:
        """Start the server (again, after ``pause``)."""
        assert self.folder is not None
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=300 -c shared_buffers=64MB"
        )
        self._run(_tool("pg_ctl"), "-D", str(self.folder / "data"), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "-t", "60", "start")  # fmt: skip
        return self

    def pause(self) -> None:
        """Stop the server, keeping its data (``resume`` starts it again)."""
        assert self.folder is not None
        self._run(_tool("pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the cluster's owner."""
        import psycopg

        with psycopg.connect(self.url(database, create=False), autocommit=True) as db:
            db.execute(statement)

    def url(self, database: str, create: bool = True, user: str = "mentorkit") -> str:
        """The URL of ``database`` (made first, empty, unless ``create`` is False)."""
        if create:
            self.sql(f'CREATE DATABASE "{database}"')
        return f"postgresql://{user}:{self.PASSWORD}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.folder is None:
            return
        data = self.folder / "data"
        if data.exists():
            for _ in range(3):
                try:
                    self._run(_tool("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
                    break
                except subprocess.CalledProcessError:
                    time.sleep(0.5)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
