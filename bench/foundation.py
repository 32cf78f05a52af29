"""Foundation benchmarks: how long `caunoi demo` takes, and what one web worker holds.

1. `uv run caunoi demo` on a fresh SQLite data dir, several times (min and median), and a
   second, idempotent run on each of those dirs.
2. `uv run caunoi serve --workers 1 --no-worker` on the demo data: one page fetched N times
   in sequence (staff home logged in as quantri.tinh, then the public province page, each on
   a server of its own); requests per second, p50/p95 latency, and the resident memory (VmRSS)
   of the one gunicorn worker after one warm-up request and after the N requests.

Loopback only. Prints a table and writes bench/out/foundation.json.
Run: `make bench` (= `uv run python bench/foundation.py`); `--help` for the knobs.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
HOST = "127.0.0.1"
STAFF_USER = "quantri.tinh"
STAFF_PAGE = "/staff/"
PORTAL_PAGE = "/u/lang-son/"
REQUEST_TIMEOUT_S = 10.0
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


@dataclass
class DemoResult:
    fresh_s: list[float]
    rerun_s: list[float]

    @property
    def summary(self) -> dict[str, float]:
        return {
            "fresh_min_s": min(self.fresh_s),
            "fresh_median_s": statistics.median(self.fresh_s),
            "rerun_min_s": min(self.rerun_s),
            "rerun_median_s": statistics.median(self.rerun_s),
        }


@dataclass
class PageResult:
    page: str
    logged_in_as: str | None
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    worker_rss_before_kib: int
    worker_rss_after_kib: int
    worker_hwm_after_kib: int
    notes: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------


def uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not Path(found).exists():
        sys.exit("bench: uv not found; install it (`make install`) and run again")
    return found


def environment(data_dir: Path) -> dict[str, str]:
    """Embedded mode in `data_dir`: no DATABASE_URL, no shared cache."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env["CAUNOI_DATA_DIR"] = str(data_dir)
    env.pop("SECRET_KEY", None)
    return env


def run_demo(data_dir: Path) -> tuple[float, str]:
    """Wall time of `caunoi demo` in `data_dir`, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(
        [uv(), "run", "--quiet", "caunoi", "demo"],
        cwd=ROOT,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench: `caunoi demo` failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def demo_password(printed: str) -> str:
    """The demo password, as `caunoi demo` prints it (``... mật khẩu: PASSWORD``)."""
    found = re.search(r"password[^:]*:\s*(\S+)", printed)
    if found is None:
        sys.exit("bench: `caunoi demo` did not print the demo password")
    return found.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def parents() -> dict[int, int]:
    """pid -> parent pid, for every process we can see."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after the last ')'.
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = int(fields[1])
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(root: int) -> list[int]:
    tree = parents()
    found: list[int] = []
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        kids = [child for child, parent in tree.items() if parent == pid]
        found.extend(kids)
        frontier.extend(kids)
    return found


def gunicorn_worker(root: int) -> int:
    """The one gunicorn worker: a gunicorn process whose parent is the gunicorn master."""
    tree = parents()
    for pid in descendants(root):
        parent = tree.get(pid, 0)
        if "gunicorn" in cmdline(pid) and "gunicorn" in cmdline(parent):
            return pid
    raise RuntimeError("no gunicorn worker found under the server")


def memory_kib(pid: int, key: str = "VmRSS") -> int:
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} for process {pid}")


def percentile(sorted_ms: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(fraction * len(sorted_ms)))
    return sorted_ms[rank - 1]


# --- the server ---------------------------------------------------------------------------------


class Server:
    """`uv run caunoi serve` on loopback; stopped with SIGTERM, then waited for."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_handle = log.open("wb")
        self.process = subprocess.Popen(
            [
                *(uv(), "run", "--quiet", "caunoi", "serve"),
                *("--host", HOST, "--port", str(self.port), "--workers", "1", "--no-worker"),
            ],
            cwd=ROOT,
            env=environment(data_dir),
            stdout=self.log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so nothing can be left behind
        )
        self.log = log

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as answer:  # noqa: S310 - loopback http
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S:.0f} s")

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT_S)
        # Whatever is still in its group (a signal not passed on, a stuck worker) goes too.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.group_alive():
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            deadline = time.monotonic() + 10
            while self.group_alive() and time.monotonic() < deadline:
                time.sleep(0.1)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.log_handle.close()


# --- the client ---------------------------------------------------------------------------------


class Browser:
    """urllib with a cookie jar: enough to log in through the real form, CSRF token and all."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, bytes]:
        with self.opener.open(self.base + path, timeout=REQUEST_TIMEOUT_S) as answer:
            return answer.status, urllib.parse.urlsplit(answer.geturl()).path, answer.read()

    def log_in(self, username: str, password: str) -> None:
        _status, _path, body = self.get("/staff/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if token is None:
            raise RuntimeError("no CSRF token in the login form")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
                "next": "",
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback http
            self.base + "/staff/login/",
            data=form,
            headers={"Referer": self.base + "/staff/login/"},
        )
        with self.opener.open(request, timeout=REQUEST_TIMEOUT_S) as answer:
            landed = urllib.parse.urlsplit(answer.geturl()).path
            body = answer.read()
        if landed != STAFF_PAGE or b'data-testid="unit-name"' not in body:
            raise RuntimeError(f"logging in as {username} failed (landed on {landed})")


def measure_page(
    data_dir: Path, page: str, login: tuple[str, str] | None, requests: int, budget_s: float
) -> PageResult:
    OUT.mkdir(parents=True, exist_ok=True)
    server = Server(data_dir, OUT / f"serve-{page.strip('/').replace('/', '-')}.log")
    try:
        server.wait_ready()
        client = Browser(server.base)
        if login is not None:
            client.log_in(*login)
        status, landed, _body = client.get(page)  # warm-up: imports, templates, connections
        if status != 200 or landed != page:
            raise RuntimeError(f"warm-up GET {page} answered {status} at {landed}")
        worker = gunicorn_worker(server.process.pid)
        rss_before = memory_kib(worker)

        latencies_ms: list[float] = []
        errors = 0
        notes: list[str] = []
        started = time.perf_counter()
        deadline = started + budget_s
        for _ in range(requests):
            if time.perf_counter() > deadline:
                notes.append(f"stopped at the {budget_s:.0f} s budget")
                break
            sent = time.perf_counter()
            try:
                status, landed, _body = client.get(page)
                ok = status == 200 and landed == page
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                ok = False
            latencies_ms.append((time.perf_counter() - sent) * 1000)
            errors += not ok
        seconds = time.perf_counter() - started
        rss_after = memory_kib(worker)
        hwm_after = memory_kib(worker, "VmHWM")
        if gunicorn_worker(server.process.pid) != worker:
            notes.append("the worker was replaced during the run")
    finally:
        server.stop()

    ordered = sorted(latencies_ms)
    return PageResult(
        page=page,
        logged_in_as=login[0] if login else None,
        requests=len(latencies_ms),
        errors=errors,
        seconds=round(seconds, 3),
        requests_per_s=round(len(latencies_ms) / seconds, 1),
        p50_ms=round(percentile(ordered, 0.50), 2),
        p95_ms=round(percentile(ordered, 0.95), 2),
        max_ms=round(ordered[-1], 2),
        worker_rss_before_kib=rss_before,
        worker_rss_after_kib=rss_after,
        worker_hwm_after_kib=hwm_after,
        notes=notes,
    )


# --- the machine and the report ---------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = memory_total_kib()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "commit": commit or "unknown",
    }


def memory_total_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def print_table(demo: DemoResult, pages: list[PageResult]) -> None:
    s = demo.summary
    print()
    print("caunoi demo, fresh SQLite dir     " + ", ".join(f"{t:.2f}" for t in demo.fresh_s) + " s")
    print(f"  min {s['fresh_min_s']:.2f} s, median {s['fresh_median_s']:.2f} s")
    print("caunoi demo again (idempotent)    " + ", ".join(f"{t:.2f}" for t in demo.rerun_s) + " s")
    print(f"  min {s['rerun_min_s']:.2f} s, median {s['rerun_median_s']:.2f} s")
    print()
    header = (
        f"{'page':<14} {'as':<13} {'reqs':>5} {'err':>4} {'req/s':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'RSS before':>11} {'RSS after':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in pages:
        print(
            f"{r.page:<14} {r.logged_in_as or 'anonymous':<13} {r.requests:>5} {r.errors:>4} "
            f"{r.requests_per_s:>7.1f} {r.p50_ms:>7.2f} {r.p95_ms:>7.2f} "
            f"{r.worker_rss_before_kib / 1024:>8.1f} MiB {r.worker_rss_after_kib / 1024:>6.1f} MiB"
        )
        for note in r.notes:
            print(f"  note: {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh `caunoi demo` runs")
    parser.add_argument("--requests", type=int, default=1000, help="requests per page")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds allowed per page")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="caunoi-bench-") as scratch:
        dirs = [Path(scratch) / f"run{n}" for n in range(args.runs)]
        fresh: list[float] = []
        printed = ""
        for n, data_dir in enumerate(dirs, 1):
            print(f"bench: caunoi demo, fresh run {n}/{args.runs}…", file=sys.stderr, flush=True)
            elapsed, printed = run_demo(data_dir)
            fresh.append(elapsed)
        print("bench: caunoi demo again on each dir…", file=sys.stderr, flush=True)
        rerun = [run_demo(data_dir)[0] for data_dir in dirs]
        demo = DemoResult(fresh_s=fresh, rerun_s=rerun)

        pages: list[PageResult] = []
        staff_login = (STAFF_USER, demo_password(printed))
        for page, login in ((STAFF_PAGE, staff_login), (PORTAL_PAGE, None)):
            print(f"bench: {args.requests} × GET {page}…", file=sys.stderr, flush=True)
            pages.append(measure_page(dirs[-1], page, login, args.requests, args.budget))

    print_table(demo, pages)
    result = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "demo": {
            "fresh_s": [round(t, 3) for t in demo.fresh_s],
            "rerun_s": [round(t, 3) for t in demo.rerun_s],
            **{k: round(v, 3) for k, v in demo.summary.items()},
        },
        "serve": {
            "command": "uv run caunoi serve --workers 1 --threads 4 --no-worker (SQLite)",
            "client": "one urllib client, sequential, a new connection per request",
            "pages": [asdict(r) for r in pages],
        },
    }
    target = OUT / "foundation.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nbench: wrote {target.relative_to(ROOT)}")
    return 1 if any(r.errors for r in pages) else 0


if __name__ == "__main__":
    raise SystemExit(main())
