"""Open311 intake on PostgreSQL with the production server: sustained POSTs, then kill -9.

1. A database of its own (--db, dropped and made again), migrated, with a province of
   --communes communes (each with a square area for routing), three categories (one with a
   required question), the province's jurisdiction and one API key.
2. `uv run caunoi serve --no-worker --workers <--workers> --threads <--threads> --port <port>`
   (gunicorn, 2 workers x 4 threads by default) with the Open311 rate limit switched off
   (one client address sends everything).
3. Sustained intake: --connections keep-alive connections POST requests.json for --seconds;
   reports per second, latency percentiles, every status code.
4. Crash: --total POSTs; after --kill-after answers every gunicorn worker gets SIGKILL
   (the master starts new ones); the client reconnects and carries on. Then every
   service_request_id that was returned is looked up in the database.

Loopback only, bounded in count and time. Writes bench/out/open311-t<threads>.json.
Run: `uv run python bench/open311.py` (`--help` for the knobs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from foundation import cmdline, descendants, parents, percentile, uv

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432"
CENTRE = (21.85, 106.76)  # Lạng Sơn city, for believable points
CATEGORIES = ("roads", "lighting", "waste")
DISCOVERY = "/open311/v2/discovery.json"


@dataclass
class Load:
    name: str
    sent: int = 0
    answered: int = 0  # 200 with an id
    statuses: dict[str, int] = field(default_factory=dict)
    failures: int = 0  # no HTTP answer (connection reset by a killed worker, ...)
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms) or [0.0]
        return {
            "name": self.name,
            "sent": self.sent,
            "answered_with_id": self.answered,
            "statuses": self.statuses,
            "no_answer": self.failures,
            "seconds": round(self.seconds, 2),
            "reports_per_s": round(self.answered / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(percentile(ordered, 0.50), 1),
            "p95_ms": round(percentile(ordered, 0.95), 1),
            "p99_ms": round(percentile(ordered, 0.99), 1),
            "max_ms": round(ordered[-1], 1),
        }


# --- database and data -----------------------------------------------------------------------


def recreate_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def environment(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL"}}
    env.update(
        {
            "DATABASE_URL": url,
            "CAUNOI_DATA_DIR": str(data_dir),
            "CAUNOI_RATE_LIMITS": "open311=off",
            "LOG_LEVEL": "WARNING",
            # caunoi's settings plus /bench/bare and /bench/bare-post, the bare Django views
            # the intake is compared with, behind the same middleware in the same server.
            "DJANGO_SETTINGS_MODULE": "publishing_site",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
        }
    )
    return env


def prepare(url: str, data_dir: Path, communes: int) -> str:
    """Migrate and add the units, categories, jurisdiction and key. Returns the key."""
    env = environment(url, data_dir)
    subprocess.run(
        [uv(), "run", "--quiet", "caunoi", "manage", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    script = f"""
import django, os
django.setup()
from caunoi.core.models import Unit
from caunoi.feedback.models import Category, CategoryAttribute, UnitArea
from caunoi.open311 import services
province = Unit.add_root(name="Tỉnh Lạng Sơn", kind="province", slug="lang-son")
lat0, lon0 = {CENTRE[0]} - 0.25, {CENTRE[1]} - 0.25
for n in range({communes}):
    commune = Unit.objects.get(pk=province.pk).add_child(
        name=f"Xã {{n + 1}}", kind="commune", slug=f"xa-{{n + 1}}")
    row, col = divmod(n, 5)
    lat, lon = lat0 + row * 0.1, lon0 + col * 0.1
    ring = [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]
    UnitArea.objects.create(unit=commune, geometry={{"type": "Polygon", "coordinates": [ring]}},
        min_lat=lat, max_lat=lat + 0.1, min_lon=lon, max_lon=lon + 0.1)
roads = Category.objects.create(unit=province, code="roads", name="Đường sá, cầu cống")
Category.objects.create(unit=province, code="lighting", name="Chiếu sáng công cộng")
Category.objects.create(unit=province, code="waste", name="Rác thải, vệ sinh")
CategoryAttribute.objects.create(category=roads, code="size", datatype="singlevaluelist",
    required=True, description="Ổ gà lớn cỡ nào?",
    values=[{{"key": "small", "name": "Nhỏ"}}, {{"key": "large", "name": "Lớn"}}])
services.jurisdiction_set(unit=province, domain="langson.gov.vn", by=None)
print(services.apikey_create(unit=province, name="bench", by=None)[1])
"""
    done = subprocess.run(
        [uv(), "run", "--quiet", "python", "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "caunoi.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bench: preparing the data failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def posts(port: int, key: str, count: int, seed: int) -> list[bytes]:
    """`count` different POSTs: points spread over the communes, rotating categories."""
    rng = random.Random(seed)  # noqa: S311 - deterministic test data
    made = []
    for n in range(count):
        code = CATEGORIES[n % len(CATEGORIES)]
        fields = {
            "api_key": key,
            "jurisdiction_id": "langson.gov.vn",
            "service_code": code,
            "lat": f"{CENTRE[0] - 0.24 + rng.random() * 0.18:.6f}",
            "long": f"{CENTRE[1] - 0.24 + rng.random() * 0.48:.6f}",
            "description": f"Phản ánh thử số {n}: ổ gà, đèn hỏng, rác chưa thu gom gần chợ.",
            "phone": "0912 345 678" if n % 4 == 0 else "",
        }
        if code == "roads":
            fields["attribute[size]"] = rng.choice(["small", "large"])
        made.append(post_request(port, urllib.parse.urlencode(fields).encode()))
    return made


# --- the server ------------------------------------------------------------------------------


def start_server(
    env: dict[str, str], port: int, log: Path, threads: int, processes: int = 2
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            uv(),
            "run",
            "--quiet",
            "caunoi",
            "serve",
            "--no-worker",
            "--workers",
            str(processes),
            "--port",
            str(port),
            "--host",
            HOST,
            "--threads",
            str(threads),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"bench: the server did not answer in 60 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def workers(server: subprocess.Popen[bytes]) -> list[int]:
    """The gunicorn workers: gunicorn processes whose parent is the gunicorn master."""
    tree = parents()
    return [
        pid
        for pid in descendants(server.pid)
        if "gunicorn" in cmdline(pid) and "gunicorn" in cmdline(tree.get(pid, 0))
    ]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


# --- the load --------------------------------------------------------------------------------


def post_request(port: int, body: bytes, path: str = "/open311/v2/requests.json") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def get_request(port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()


async def _one(port: int, request: bytes, streams: list[Any]) -> tuple[int, bytes] | None:
    """Send one request on the connection in `streams` (opened when missing). None: no answer."""
    try:
        if not streams:
            streams.extend(await asyncio.open_connection(HOST, port))
        reader, writer = streams
        writer.write(request)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 30)
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        payload = await reader.readexactly(length)
        if close:
            writer.close()
            streams.clear()
        return status, payload
    except (OSError, ConnectionError, asyncio.IncompleteReadError, TimeoutError, ValueError):
        if streams:
            streams[1].close()
            streams.clear()
        return None


async def run_load(
    load: Load,
    port: int,
    queue: list[bytes],
    *,
    connections: int,
    seconds: float,
    on_answer: Any = None,
) -> None:
    started = time.perf_counter()
    stop_at = started + seconds

    async def connection() -> None:
        streams: list[Any] = []
        while queue and time.perf_counter() < stop_at:
            request = queue.pop()
            load.sent += 1
            began = time.perf_counter()
            got = await _one(port, request, streams)
            if got is None:
                load.failures += 1
                await asyncio.sleep(0.05)  # a worker was killed: let the master start another
                continue
            status, payload = got
            load.statuses[str(status)] = load.statuses.get(str(status), 0) + 1
            load.latencies_ms.append((time.perf_counter() - began) * 1000)
            if status == 200:
                if request.startswith(b"POST /open311"):
                    load.ids.append(json.loads(payload)[0]["service_request_id"])
                load.answered += 1
                if on_answer is not None:
                    on_answer(load)

    await asyncio.gather(*(connection() for _ in range(connections)))
    load.seconds = time.perf_counter() - started


def stored(url: str, ids: list[str]) -> set[str]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT public_id FROM feedback_report WHERE public_id = ANY(%s)", (ids,)
        ).fetchall()
    return {row[0] for row in rows}


class BackendCpu:
    """CPU used by the PostgreSQL server processes of the bench's database, sampled twice a
    second in a thread: a web worker's connection is replaced once CONN_MAX_AGE has passed,
    and what its process used until then must still count."""

    def __init__(self, database: str) -> None:
        self.tag = f" {database} "
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if self.tag not in cmdline(int(entry.name)) + " ":
                    continue
                used = cpu_seconds([int(entry.name)])
            except (OSError, IndexError, ValueError):
                continue
            self.first.setdefault(int(entry.name), used if not self.thread.is_alive() else 0.0)
            self.last[int(entry.name)] = used

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self._sample()

    def start(self) -> None:
        self._sample()  # processes already running: count from here
        self.thread.start()

    def stop(self) -> float:
        self._sample()
        self.stopping.set()
        self.thread.join()
        return sum(self.last[pid] - self.first.get(pid, 0.0) for pid in self.last)


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def count_reports(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM feedback_report").fetchone()
    return int(row[0]) if row else 0


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="caunoi_open311_bench")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--communes", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--seconds", type=float, default=30.0, help="sustained phase length")
    parser.add_argument(
        "--total", type=int, default=10_000, help="reports in the crash phase (0: no crash phase)"
    )
    parser.add_argument("--kill-after", type=int, default=4_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    data_dir = OUT / "open311-data"
    data_dir.mkdir(exist_ok=True)
    url = recreate_database(args.db)
    print(f"bench: database {args.db} made; preparing data…", flush=True)
    key = prepare(url, data_dir, args.communes)
    env = environment(url, data_dir)
    server = start_server(env, args.port, OUT / "open311-serve.log", args.threads, args.workers)
    results: dict[str, Any] = {}
    try:
        warm = Load("warm-up")
        asyncio.run(
            run_load(
                warm,
                args.port,
                posts(args.port, key, 300, 1),
                connections=args.connections,
                seconds=30,
            )
        )
        web = workers(server)
        database = BackendCpu(args.db)
        database.start()
        load_before = os.getloadavg()
        cpu_before = cpu_seconds(web)
        client_before = time.process_time()
        machine_before = machine_cpu_seconds()
        sustained = Load("sustained")
        budget = int(args.seconds * 2000) + 1000  # more bodies than the server can take
        asyncio.run(
            run_load(
                sustained,
                args.port,
                posts(args.port, key, budget, 2),
                connections=args.connections,
                seconds=args.seconds,
            )
        )
        web_cpu = cpu_seconds(web) - cpu_before
        cpu_ms = 1000 * web_cpu / max(1, sustained.answered)
        per_report = 1000 / max(1, sustained.answered)
        machine_after = machine_cpu_seconds()
        breakdown = {
            "web_workers": round(cpu_ms, 2),
            "postgresql_backends": round(per_report * database.stop(), 2),
            "load_generator": round(per_report * (time.process_time() - client_before), 2),
            "whole_machine_busy": round(per_report * (machine_after[0] - machine_before[0]), 2),
            "whole_machine_idle": round(
                per_report
                * ((machine_after[1] - machine_before[1]) - (machine_after[0] - machine_before[0])),
                2,
            ),
        }
        print(f"bench: sustained {sustained.summary()}; CPU ms a report {breakdown}", flush=True)
        load_after_sustained = os.getloadavg()
        references = []
        bare_bodies = [
            post_request(args.port, r.split(b"\r\n\r\n", 1)[1], "/bench/bare-post")
            for r in posts(args.port, key, 2000, 4)
        ]
        for name, queue in (
            ("POST /bench/bare-post (same bodies)", bare_bodies * (budget // 2000 + 1)),
            ("GET /bench/bare", [get_request(args.port, "/bench/bare")] * budget),
            ("GET /open311/v2/discovery.json", [get_request(args.port, DISCOVERY)] * budget),
        ):
            reference = Load(name)
            reference_cpu = cpu_seconds(web)
            asyncio.run(
                run_load(
                    reference,
                    args.port,
                    queue,
                    connections=args.connections,
                    seconds=min(args.seconds, 15),
                )
            )
            summary = {
                **reference.summary(),
                "web_cpu_ms_per_request": round(
                    1000 * (cpu_seconds(web) - reference_cpu) / max(1, reference.answered), 2
                ),
            }
            print("bench: reference", summary, flush=True)
            references.append(summary)
        bare_rate = references[0]["reports_per_s"] or 1
        ratio = round(sustained.answered / sustained.seconds / bare_rate, 3)
        print(f"bench: intake ÷ bare POST view = {ratio}", flush=True)

        killed: list[dict[str, Any]] = []
        before = count_reports(url)

        def kill_workers(load: Load) -> None:
            if killed or load.answered < args.kill_after:
                return
            pids = workers(server)
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            killed.append({"after_answers": load.answered, "workers": pids, "at": time.time()})
            print(f"bench: kill -9 {pids} after {load.answered} answers", flush=True)

        crash = Load("crash")
        asyncio.run(
            run_load(
                crash,
                args.port,
                posts(args.port, key, args.total, 3),
                connections=args.connections,
                seconds=600,
                on_answer=kill_workers,
            )
        )
        found = stored(url, crash.ids)
        missing = sorted(set(crash.ids) - found)
        added = count_reports(url) - before
        results = {
            "server": (
                f"caunoi serve --no-worker --workers {args.workers} --threads {args.threads}"
            ),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip(),
            "args": vars(args),
            "warm_up": warm.summary(),
            "sustained": sustained.summary(),
            "web_workers_cpu_ms_per_report": round(cpu_ms, 2),
            "cpu_ms_per_report": breakdown,
            "references": references,
            "intake_to_bare_post": ratio,
            "load_average_before_sustained": load_before,
            "load_average_after_sustained": load_after_sustained,
            "load_average_at_end": os.getloadavg(),
            "crash": {
                **crash.summary(),
                "killed": killed,
                "ids_returned": len(crash.ids),
                "ids_found_in_database": len(found),
                "ids_missing": missing[:20],
                "reports_added_in_database": added,
                "workers_after": workers(server),
            },
        }
    finally:
        stop_server(server)
    (OUT / f"open311-t{args.threads}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )
    summary = ("sustained", "cpu_ms_per_report", "intake_to_bare_post", "crash")
    print(json.dumps({k: results[k] for k in summary}, indent=2))
    crash_result = results["crash"]
    if args.total and (crash_result["ids_missing"] or not crash_result["killed"]):
        print("bench: FAILED — a returned id is not in the database, or no kill happened")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
