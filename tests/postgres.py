"""A throwaway PostgreSQL server for tests and benchmarks.

initdb in a temporary directory, started on a free loopback port. PostgreSQL refuses to run as
root, so when the tests run as root the server runs as the ``postgres`` (or ``nobody``) user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BINDIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


class PostgresUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _find_bindir() -> Path:
    env = os.environ.get("DOZOR_PG_BINDIR")
    for candidate in ([env] if env else []) + list(BINDIRS):
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found; install them (Debian: apt-get install postgresql-15) "
        "or set DOZOR_PG_BINDIR"
    )


class PostgresServer:
    """Start with ``start()``, stop with ``stop()``; ``url(db)`` gives an asyncpg SQLAlchemy URL."""

    user = "dozor"

    @staticmethod
    def find_binaries() -> Path:
        """The folder of initdb and pg_ctl. Raises PostgresUnavailable, saying how to install them."""
        return _find_bindir()

    def __init__(self) -> None:
        self.bindir = _find_bindir()
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="dozor-pg-"))
        self.data = self.root / "data"
        self._run_as: str | None = None
        if os.geteuid() == 0:
            self._run_as = "postgres" if _user_exists("postgres") else "nobody"
            info = pwd.getpwnam(self._run_as)
            os.chown(self.root, info.pw_uid, info.pw_gid)

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            user=self._run_as,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresUnavailable(f"{args[0]} failed: {result.stderr.strip()}\n{tail}")

    def start(self) -> PostgresServer:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        self._serve()
        return self

    def _serve(self) -> None:
        options = (
            f"-p {self.port} -h 127.0.0.1 -k {self.root} -F "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def pause(self) -> None:
        """Stop the server as an outage would (every connection is cut), keeping its data for ``resume``.

        ``-m fast``, not ``immediate``: the server runs with ``synchronous_commit=off``, and an
        immediate stop would drop commits it had already confirmed — a loss of this test set-up,
        not of the service.
        """
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the paused server again: same port, same data."""
        self._serve()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{self.user}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
