"""The `caunoi` command: serve, worker, demo, units, manage.

Every error a person can fix ends in one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

EXIT_USAGE = 2


def _fail(message: str) -> None:
    print(f"caunoi: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    import django

    django.setup()


def _check_database() -> None:
    from django.conf import settings
    from django.db import OperationalError, connection

    try:
        connection.ensure_connection()
    except OperationalError as error:
        db = settings.DATABASES["default"]
        where = (
            db.get("NAME")
            if "sqlite" in db["ENGINE"]
            else (f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db.get('NAME')}")
        )
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        _fail(
            f"cannot reach the database {where} ({reason}); "
            "check DATABASE_URL and that the database server is running"
        )


def _embedded() -> bool:
    from django.conf import settings

    return "sqlite" in settings.DATABASES["default"]["ENGINE"]


def _migrate(*, quiet: bool = True) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


def _unapplied_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _ready_database() -> None:
    """Reachable and migrated: embedded mode migrates itself; a shared database is migrated
    on purpose, once, by whoever runs it (several servers must not race to migrate)."""
    _check_database()
    if _embedded():
        _migrate()
    elif _unapplied_migrations():
        _fail("the database needs migrating; run `caunoi manage migrate` once, then try again")


def ready() -> None:
    """For app commands (see _app_commands): Django set up, the database reachable and migrated."""
    _setup()
    _ready_database()


fail = _fail


def _app_commands(commands: Any) -> None:
    """Each `caunoi/<app>/cli.py` adds its own commands with `add_commands(commands)`; its
    handlers call `caunoi.cli.ready()` first and `caunoi.cli.fail(message)` for one-line errors.
    Found by file, before Django is set up, so those modules import nothing from Django at the top.
    """
    package = Path(__file__).resolve().parent
    for module_file in sorted(package.glob("*/cli.py")):
        module = importlib.import_module(f"caunoi.{module_file.parent.name}.cli")
        module.add_commands(commands)


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except PermissionError:
            _fail(f"no permission to listen on port {port}; choose a port above 1024 with --port")
        except OSError as error:
            if error.errno in (98, 48):  # EADDRINUSE on Linux, macOS
                _fail(
                    f"{host}:{port} is already in use (another caunoi or web server?); "
                    "stop it or choose another port with --port"
                )
            _fail(f"cannot listen on {host}:{port} ({error.strerror}); check --host and --port")


# --- serve --------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        _fail(f"--port {args.port} is not a port number; use 1 to 65535")
    _setup()
    _ready_database()
    _check_port(args.host, args.port)

    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "caunoi.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "20",
        # Each caunoi serve is its own site; a shared control socket path would collide.
        "--no-control-socket",
    ]
    children = [subprocess.Popen(web)]
    if not args.no_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "caunoi.cli", "worker"]))
    print(
        f"caunoi: serving http://{args.host}:{args.port}/ "
        f"(staff: http://{args.host}:{args.port}/staff/) — Ctrl-C stops",
        flush=True,
    )
    return _supervise(children)


def _supervise(children: list[subprocess.Popen[bytes]]) -> int:
    """Wait until a signal or a child's death, then stop every child cleanly."""
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    failed = 0
    while not stopping:
        for child in children:
            code = child.poll()
            if code is not None:
                print(f"caunoi: a server process ended unexpectedly (exit {code})", file=sys.stderr)
                stopping, failed = True, 1
        time.sleep(0.2)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    print("caunoi: stopped", flush=True)
    return failed


# --- worker, demo, units, manage --------------------------------------------------------------


def start_periodic() -> None:
    """Recurring work (sweeps, pulls) queues its own next run; a starting worker makes sure each
    has one waiting, so an install needs no cron and no manual first run. An AppConfig takes
    part with a `schedule_periodic(self)` method, which must do nothing when a run is waiting."""
    from django.apps import apps

    for config in apps.get_app_configs():
        hook = getattr(config, "schedule_periodic", None)
        if hook is not None:
            hook()


def _worker(args: argparse.Namespace) -> int:
    _setup()
    _ready_database()
    from django.core.management import call_command

    start_periodic()

    options = ["--queue-name", "*", "--no-reload", "--interval", str(args.interval)]
    if args.batch:
        options.append("--batch")
    call_command("db_worker", *options)
    return 0


def _demo(args: argparse.Namespace) -> int:
    _setup()
    _check_database()
    print("caunoi: preparing the database…", flush=True)
    _migrate()
    from caunoi.core.demo import DEMO_PASSWORD, load_demo

    logins = load_demo(progress=True)
    print("\nDemo logins (tên đăng nhập) — password / mật khẩu:", DEMO_PASSWORD)
    width = max(len(login.username) for login in logins)
    for login in logins:
        print(f"  {login.username:<{width}}  {login.role:<13} {login.unit}")
    from caunoi.open311.demo import DEMO_API_KEY, DEMO_JURISDICTION

    print("\nOpen311 (docs/open311.md) — demo api_key / khóa thử:", DEMO_API_KEY)
    print("  jurisdiction_id:", DEMO_JURISDICTION)
    return 0


def _units(args: argparse.Namespace) -> int:
    _setup()
    _ready_database()
    from tqdm import tqdm

    from caunoi.core.errors import CaunoiError, ImportRejected
    from caunoi.core.imports import (
        units_import_csv,
        units_import_vn,
        vn_province_codes,
        vn_rows,
    )

    if args.units_command == "import-vn" and args.list:
        for code, name in sorted(vn_province_codes().items()):
            print(f"{code}  {name}")
        return 0
    try:
        if args.units_command == "import-vn":
            codes = args.province or None
            total = len(vn_rows(None)) if codes is None else None
            with tqdm(total=total, unit=" units", desc="import-vn", file=sys.stderr) as bar:
                result = units_import_vn(province_codes=codes, by=None, progress=bar.update)
        else:
            path = Path(args.file)
            if not path.is_file():
                _fail(f"{path}: no such file; give the path of a CSV file")
            with (
                path.open(encoding="utf-8-sig", newline="") as handle,
                tqdm(unit=" units", desc="import-csv", file=sys.stderr) as bar,
            ):
                result = units_import_csv(handle, by=None, progress=bar.update)
    except ImportRejected as rejected:
        for error in rejected.errors:
            print(
                f"caunoi: {getattr(args, 'file', '')}:{error.line}: {error.message}",
                file=sys.stderr,
            )
        print("caunoi: nothing was imported; fix the lines above and run again", file=sys.stderr)
        return EXIT_USAGE
    except CaunoiError as error:
        _fail(str(error))
    except UnicodeDecodeError:
        _fail(f"{args.file}: not UTF-8 text; save the CSV as UTF-8 and run again")
    print(
        f"caunoi: {result.created} created, {result.updated} renamed, "
        f"{result.moved} moved, {result.unchanged} unchanged"
    )
    return 0


def _manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["caunoi manage", *argv])
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caunoi", description="caunoi — cầu nối")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the web server and the task worker")
    serve.add_argument("--host", default=os.environ.get("CAUNOI_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("CAUNOI_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    serve.add_argument("--threads", type=int, default=4)
    serve.add_argument("--no-worker", action="store_true", help="web server only")
    serve.set_defaults(run=_serve)

    worker = commands.add_parser("worker", help="run only the task worker")
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.add_argument("--interval", type=float, default=1.0)
    worker.set_defaults(run=_worker)

    demo = commands.add_parser("demo", help="load the demo office (idempotent)")
    demo.set_defaults(run=_demo)

    units = commands.add_parser("units", help="import units")
    units_commands = units.add_subparsers(dest="units_command", required=True, metavar="WHAT")
    vn = units_commands.add_parser("import-vn", help="Vietnam's provinces and communes (2025)")
    vn.add_argument("--province", action="append", metavar="CODE", help="only this province")
    vn.add_argument("--list", action="store_true", help="list province codes")
    csv_import = units_commands.add_parser("import-csv", help="columns: code,name,kind,parent_code")
    csv_import.add_argument("file")
    units.set_defaults(run=_units)

    _app_commands(commands)
    commands.add_parser("manage", help="Django's management commands", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["manage"]:
        return _manage(argv[1:])
    args = _parser().parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
