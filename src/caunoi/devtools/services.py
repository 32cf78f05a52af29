"""Make sure the local PostgreSQL and Redis that the test suite talks to are running.

Used by `make test` and `.ci/run` on the project's machines; starts a stopped service with the
machine's own commands and says clearly what to do when it cannot.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(port: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _listening(port):
            return True
        time.sleep(0.5)
    return False


def ensure_postgres() -> None:
    if _listening(5432):
        return
    versions = (
        sorted(p.name for p in Path("/etc/postgresql").glob("*"))
        if Path("/etc/postgresql").exists()
        else []
    )
    if not versions or not shutil.which("pg_ctlcluster"):
        sys.exit(
            "caunoi: PostgreSQL is not running on 127.0.0.1:5432 and cannot be started "
            "here; start it, or run `make test-sqlite` for the SQLite half only"
        )
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False
    )
    if not _wait(5432):
        sys.exit(
            "caunoi: PostgreSQL did not start on 127.0.0.1:5432; see its log in "
            "/var/log/postgresql/"
        )


def ensure_redis() -> None:
    if _listening(6379) or not shutil.which("redis-server"):
        return
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=False,
    )
    _wait(6379, 10)


if __name__ == "__main__":
    ensure_postgres()
    ensure_redis()
    if os.environ.get("CI"):
        print("caunoi: PostgreSQL and Redis are up")
