"""A throwaway PostgreSQL on 127.0.0.1 for the tests and benchmarks: initdb into /tmp, start, stop,
delete. Debian's `postgresql` package provides the binaries (the Makefile installs it). initdb refuses
to run as root, so as root the server runs as the `postgres` user."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

PORTS = range(55432, 55440)


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
    if not found:
        raise RuntimeError(f"{name} not found: install Debian's postgresql package (make test does)")
    return str(found)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    # Every port of the range taken (parallel runs on one machine, or servers left behind by a killed
    # run): any free port the system hands out, rather than no PostgreSQL tests at all.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self):
        self.port = _free_port()          # first: no folder is left behind when every port is taken
        self.root = Path(tempfile.mkdtemp(prefix="dasbor-pg-", dir="/tmp"))
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.root, self.user)
        self._run(_bin("initdb"), "-D", str(self.root / "data"), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8")
        self._run(_bin("pg_ctl"), "-D", str(self.root / "data"), "-l", str(self.root / "log"), "-w", "start",
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c full_page_writes=off "
                        "-c synchronous_commit=off -c max_connections=200")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run(prefix + list(command), check=True, capture_output=True, cwd="/tmp")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def restart(self) -> None:
        """As an administrator's restart: every open connection is terminated."""
        self._run(_bin("pg_ctl"), "-D", str(self.root / "data"), "-l", str(self.root / "log"), "-m", "fast", "-w",
                  "restart")

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


# The one server of a test session. It lives here, not in conftest: pytest imports tests/conftest.py
# as `conftest`, and tests importing `tests.conftest` get a second copy of that module — a list kept
# there was two lists, and the server started through the second copy was never stopped (one leaked
# server per suite run, until 55432–55439 were all taken).
_SHARED: list[Server] = []


def shared() -> Server:
    """The session's server, started on first use."""
    if not _SHARED:
        _SHARED.append(Server())
    return _SHARED[0]


def stop_shared() -> None:
    while _SHARED:
        _SHARED.pop().stop()


if __name__ == "__main__":      # manual use: start one and print its URL
    server = Server()
    print(server.url())
