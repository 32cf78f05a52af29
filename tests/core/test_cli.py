"""The `caunoi` command, run as a person runs it: a real process, its stderr and exit code."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"CAUNOI_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra})
    return env


def caunoi(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caunoi.cli", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds}s")


def test_a_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    done = caunoi("demo", env=_env(tmp_path, DATABASE_URL="postgress//nowhere"))
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("caunoi: DATABASE_URL")
    assert "postgres://" in done.stderr
    assert not (tmp_path / "caunoi.sqlite3").exists()


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    url = f"postgres://postgres@127.0.0.1:{_free_port()}/caunoi"
    done = caunoi("serve", env=_env(tmp_path, DATABASE_URL=url))
    assert done.returncode == 2
    assert "cannot reach the database" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_unknown_province_code_names_the_valid_ones(tmp_path: Path) -> None:
    done = caunoi("units", "import-vn", "--province", "99", env=_env(tmp_path))
    assert done.returncode == 2
    assert "99" in done.stderr
    assert "20" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_csv_with_wrong_columns_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text("ma,ten\nP1,Một\n", encoding="utf-8")
    env = _env(tmp_path)
    done = caunoi("units", "import-csv", str(bad), env=env)
    assert done.returncode == 2
    assert f"{bad}:1:" in done.stderr
    assert "code,name,kind,parent_code" in done.stderr
    assert "nothing was imported" in done.stderr
    good = tmp_path / "good.csv"
    good.write_text("code,name,kind,parent_code\nP1,Một,province,\n", encoding="utf-8")
    assert caunoi("units", "import-csv", str(good), env=env).returncode == 0


def test_a_missing_csv_file_is_named(tmp_path: Path) -> None:
    done = caunoi("units", "import-csv", str(tmp_path / "nope.csv"), env=_env(tmp_path))
    assert done.returncode == 2
    assert "no such file" in done.stderr


def test_demo_keeps_a_secret_key_private_and_is_idempotent(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = caunoi("demo", env=env)
    assert first.returncode == 0, first.stderr
    for login in (
        "quantri.tinh",
        "bientap.dinhlap",
        "duyet.dinhlap",
        "xuly.dinhlap",
        "lanhdao.tinh",
    ):
        assert login in first.stdout
    assert "c311_demo-langson-2026" in first.stdout  # the Open311 demo key, to try the API
    assert "langson.example" in first.stdout
    key = tmp_path / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600
    secret = key.read_text()
    second = caunoi("demo", env=env)
    assert second.returncode == 0, second.stderr
    assert key.read_text() == secret
    count = caunoi(
        "manage",
        "shell",
        "-c",
        "from caunoi.core.models import Unit, User;"
        "print(Unit.objects.count(), User.objects.count())",
        env=env,
    )
    assert count.stdout.strip().splitlines()[-1].split() == ["79", "9"]


def test_serve_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = _env(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "caunoi.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # A fresh data dir migrates every app first; on a busy 2-core machine that takes a while.
        assert _wait_http(f"http://127.0.0.1:{port}/healthz", seconds=120) == 200
        busy = caunoi("serve", "--port", str(port), env=env)
        assert busy.returncode == 2
        assert "already in use" in busy.stderr
        assert "--port" in busy.stderr
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=40)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode == 0, output
    assert "caunoi: stopped" in output
    # Both children are gone: nothing listens on the port any more.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    port = _free_port()
    dead = f"postgres://postgres@127.0.0.1:{_free_port()}/caunoi"
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "caunoi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=_env(tmp_path, DATABASE_URL=dead),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/healthz") == 503
    finally:
        web.terminate()
        web.wait(timeout=20)


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_bad_port_is_refused(tmp_path: Path, port: str) -> None:
    done = caunoi("serve", "--port", port, env=_env(tmp_path))
    assert done.returncode == 2
    assert "--port" in done.stderr


def test_the_models_and_migrations_agree(tmp_path: Path) -> None:
    done = caunoi("manage", "makemigrations", "--check", "--dry-run", env=_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_keys_rotate_adds_a_new_key_in_front_and_keeps_the_old(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = caunoi("keys", "rotate", env=env)
    assert first.returncode == 0, first.stderr
    assert "encrypted values now use the newest key" in first.stdout
    keys = (tmp_path / "encryption_keys").read_text().split()
    second = caunoi("keys", "rotate", env=env)
    assert second.returncode == 0, second.stderr
    after = (tmp_path / "encryption_keys").read_text().split()
    assert len(after) == len(keys) + 1
    assert after[1:] == keys
