"""Reports at scale: the quarterly report of the root of 10,000 units, through the real apps'
tables and the real report code, on SQLite or PostgreSQL.

Generates, in the apps' own tables:
- 10,000 units (province → 30 districts → 300 communes → villages), one channel each;
- 10 million daily channel figures (`metrics_channelfigure`: reach and engagement of every
  channel, every day for 500 days up to 31 March 2026);
- 1 million citizen reports (`feedback_report`) over the same days, 80 % answered, some late,
  some complaints, denunciations or reopened;
- the roll-up counters those rows stand for (`reports_count`), exactly what the apps'
  services add: feedback's counters from `caunoi.feedback.counting.contribution` (the
  function `counted_save` uses) for each report, metrics' as the sum of each channel's daily
  figures by kind and metric, for the unit and each ancestor (one grouped INSERT per tree
  level). Bulk rows skip the services, so then a live slice goes through the services
  themselves: 1,000 channels' figures of one more day through `metrics.services.figures_write`,
  1,000 reports through `feedback.services.report_submit` and 1,000 answers through
  `feedback.handling.report_resolve`; each write's time is recorded.

Then times `caunoi.reports.selectors.report_data(root, Q1 2026)`, the function behind the
dashboard, the API and the exports: every registered section with the previous quarter, the
same quarter last year and the 30 child units compared, in a fresh process (time and peak
RSS), and the naive way beside it: the same figures from the raw tables by the apps' own raw
selectors (`feedback.stats.figures`, `metrics.selectors.rollup`), the section built once per
child. The two must give the same numbers (the median of answer times to 0.05 day: the counters
keep tenths); the bench stops if not. Last, `caunoi reports check` runs in its own process over
the whole data (time, peak RSS) and must find no difference.

Run (the measured run under the shared lock):
  flock /tmp/caunoi-bench.lock uv run python bench/reports.py --database sqlite
  flock /tmp/caunoi-bench.lock uv run python bench/reports.py --database postgres
  (postgres://postgres@127.0.0.1:5432/caunoi_reports_bench)
Results go to bench/out/reports-<database>.json; bench/reports.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_URL = "postgres://postgres@127.0.0.1:5432/caunoi_reports_bench"
LAST_DAY = date(2026, 3, 30)  # bulk data; 31 March goes through the services
KINDS = ("facebook", "zalo", "youtube")
METRICS = ("reach", "engagement")
CATEGORIES = 10
Writer = Callable[[str, list[str], Iterator[tuple[Any, ...]]], None]


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def _timed(label: str, work: Callable[[], Any], store: dict[str, float]) -> Any:
    started = time.perf_counter()
    result = work()
    store[label] = round(time.perf_counter() - started, 1)
    _say(f"{label}: {store[label]} s")
    return result


def _setup(database: str, data_dir: Path, reuse: bool = False) -> None:
    if database == "postgres" and not reuse:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS caunoi_reports_bench")
            c.execute("CREATE DATABASE caunoi_reports_bench")
    if database == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["CAUNOI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _writer(database: str) -> Writer:
    """COPY on PostgreSQL (foreign-key triggers off while loading), executemany on SQLite."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    if database == "postgres":
        with raw.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")

        def write(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

        return write
    raw.execute("PRAGMA synchronous=OFF")

    def write_sqlite(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in columns)
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - the apps' own table names
        raw.executemany(insert, rows)

    return write_sqlite


def _moment(value: datetime | None) -> Any:
    """A date-time as the database takes it in bulk (SQLite: Django's own UTC text)."""
    from django.db import connection

    if value is None or connection.vendor == "postgresql":
        return value
    return connection.ops.adapt_datetimefield_value(value)


# --- the tree, categories, channels --------------------------------------------------------


def _units(total: int, rng: random.Random) -> list[tuple[int, str, int]]:
    from caunoi.core.models import Unit, UnitKind

    rows: list[Unit] = []

    def add(path: str, depth: int, kind: str, name: str, children: int) -> None:
        rows.append(
            Unit(
                path=path,
                depth=depth,
                numchild=children,
                kind=kind,
                name=name,
                name_folded=name.lower(),
                slug=f"u{len(rows)}",
                population=rng.randint(2_000, 40_000) if depth >= 2 else 1_500_000,
            )
        )

    districts, communes = 30, 10
    villages = total - 1 - districts - districts * communes
    per_commune = [villages // (districts * communes)] * (districts * communes)
    for i in range(villages - sum(per_commune)):
        per_commune[i] += 1
    root = Unit._get_path(None, 1, 1)
    add(root, 1, UnitKind.PROVINCE, "Tỉnh Bench", districts)
    n = 0
    for d in range(1, districts + 1):
        dpath = Unit._get_path(root, 2, d)
        add(dpath, 2, UnitKind.DISTRICT, f"Huyện {d:02d}", communes)
        for c in range(1, communes + 1):
            cpath = Unit._get_path(dpath, 3, c)
            add(cpath, 3, UnitKind.COMMUNE, f"Xã {d}.{c}", per_commune[n])
            for v in range(1, per_commune[n] + 1):
                add(Unit._get_path(cpath, 4, v), 4, UnitKind.VILLAGE, f"Thôn {d}.{c}.{v}", 0)
            n += 1
    Unit.objects.bulk_create(rows, batch_size=2_000)
    return list(Unit.objects.order_by("path").values_list("id", "path", "depth"))


def _categories(root_id: int) -> list[int]:
    from caunoi.feedback.models import Category

    Category.objects.bulk_create(
        [
            Category(unit_id=root_id, code=f"bench-{i}", name=f"Lĩnh vực {i:02d}", order=i)
            for i in range(CATEGORIES)
        ]
    )
    return list(Category.objects.order_by("order").values_list("id", flat=True))


def _channels(units: list[tuple[int, str, int]]) -> list[tuple[int, int, str]]:
    """One channel a unit: (channel id, unit id, kind)."""
    from caunoi.channels.models import Channel

    Channel.objects.bulk_create(
        [
            Channel(unit_id=uid, kind=KINDS[i % len(KINDS)], name=f"Kênh {i}")
            for i, (uid, _path, _depth) in enumerate(units)
        ],
        batch_size=2_000,
    )
    return list(Channel.objects.order_by("unit__path").values_list("id", "unit_id", "kind"))


# --- the raw rows ----------------------------------------------------------------------------


def _figures(
    channels: list[tuple[int, int, str]], days: list[date], rng: random.Random, write: Writer
) -> int:
    from django.db import transaction
    from django.utils import timezone

    now = _moment(timezone.now())

    def rows() -> Iterator[tuple[Any, ...]]:
        for index, (cid, _uid, _kind) in enumerate(channels):
            base = rng.randint(20, 400)
            for day in days:
                reach = int(base * (0.5 + rng.random()))
                yield (cid, day, "reach", "reach", reach, "file", now)
                yield (cid, day, "engagement", "engagement", reach // 12, "file", now)
            if index % 1000 == 0:
                _say(f"  figures: {index:,} channels")

    with transaction.atomic():
        write(
            "metrics_channelfigure",
            ["channel_id", "day", "metric", "raw_name", "value", "source", "updated_at"],
            rows(),
        )
    return len(channels) * len(days) * len(METRICS)


def _report_columns() -> list[str]:
    from caunoi.feedback.models import Report

    return [f.column for f in Report._meta.concrete_fields if f.column != "id"]


def _reports(
    units: list[tuple[int, str, int]],
    categories: list[int],
    days: list[date],
    total: int,
    rng: random.Random,
    write: Writer,
) -> None:
    """The reports, and their counters for the unit and each ancestor, exactly as
    `counting.contribution` gives them, written one district's subtree at a time."""
    from django.db import transaction
    from django.utils import timezone

    from caunoi.feedback.counting import contribution
    from caunoi.feedback.models import Report

    zone = timezone.get_current_timezone()
    defaults = {f.column: f.get_default() for f in Report._meta.concrete_fields if f.column != "id"}
    defaults["attributes"] = "{}"
    columns = _report_columns()
    per_unit = Counter(rng.randrange(len(units)) for _ in range(total))
    by_path = {path: uid for uid, path, _depth in units}
    root_counts: Counter[tuple[int, str, date]] = Counter()
    pending: Counter[tuple[int, str, date]] = Counter()
    made = 0

    def flush() -> None:
        write(
            "reports_count",
            ["unit_id", "key", "day", "value"],
            ((u, k, d, n) for (u, k, d), n in sorted(pending.items()) if n),
        )
        pending.clear()

    def rows_of(index: int, uid: int, path: str) -> Iterator[tuple[Any, ...]]:
        nonlocal made
        chain = [by_path[path[:n]] for n in range(8, len(path) + 1, 4)]  # below the root
        for _ in range(per_unit[index]):
            made += 1
            day = days[rng.randrange(len(days))]
            created = datetime(day.year, day.month, day.day, 7, tzinfo=zone) + timedelta(
                minutes=rng.randrange(600)
            )
            answered = rng.random() < 0.8
            working = round(rng.uniform(0.3, 20.0), 2) if answered else None
            answered_at = created + timedelta(days=working * 1.4) if working else None
            legal = rng.choices(["", "complaint", "denunciation"], [97, 2, 1])[0]
            row = dict(defaults)
            row.update(
                public_id=f"B{made:08d}",
                secret="bench",  # noqa: S106 - not a secret
                category_id=categories[rng.randrange(len(categories))],
                unit_id=uid,
                status="resolved" if answered else "received",
                source="portal",
                description="Phản ánh mẫu của bench.",
                legal_kind=legal,
                answered_at=answered_at,
                working_days_to_answer=working,
                deadline=created + timedelta(days=rng.choice((12, 21, 30))),
                reopened=1 if rng.random() < 0.03 else 0,
                created_at=created,
                updated_at=created,
            )
            _unit, counted_day, keys = contribution(row)
            for name in ("answered_at", "deadline", "created_at", "updated_at"):
                row[name] = _moment(row[name])
            for key in keys:
                root_counts[(units[0][0], key, counted_day)] += 1
                for ancestor in chain:
                    pending[(ancestor, key, counted_day)] += 1
            yield tuple(row[c] for c in columns)

    district = ""
    batch: list[tuple[int, int, str]] = []

    def load_district() -> None:
        with transaction.atomic():
            write(
                "feedback_report",
                columns,
                (r for index, uid, path in batch for r in rows_of(index, uid, path)),
            )
            flush()

    for index, (uid, path, depth) in enumerate(units):
        if depth == 1:
            batch.append((index, uid, path))  # the root's own reports go with the first district
            continue
        if depth == 2 and batch and district:
            load_district()
            batch = []
            _say(f"  reports: {made:,}")
        if depth == 2:
            district = path
        batch.append((index, uid, path))
    load_district()
    pending.update(root_counts)
    with transaction.atomic():
        flush()


def _metric_counters(database: str) -> None:
    """Each channel's daily flow figures summed per unit and ancestor, kind, metric and day:
    what `figures_write` adds with `counters.count_many`, one grouped INSERT per tree level."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for depth in (1, 2, 3, 4):
            cursor.execute(
                "INSERT INTO reports_count (unit_id, key, day, value) "
                "SELECT a.id, 'metrics.' || c.kind || '.' || f.metric, f.day, "
                "SUM(f.value) FROM metrics_channelfigure f "
                "JOIN channels_channel c ON c.id = f.channel_id "
                "JOIN core_unit u ON u.id = c.unit_id "
                "JOIN core_unit a ON a.path = substr(u.path, 1, %s) "
                "WHERE u.depth >= %s GROUP BY a.id, c.kind, f.metric, f.day",
                [4 * depth, depth],
            )
            _say(f"  metric counters: level {depth}")


# --- writes through the services -----------------------------------------------------------


def _live_writes(channels: list[tuple[int, int, str]], rng: random.Random) -> dict[str, float]:
    """A slice of new data through the apps' own services, which keep the counters current."""
    from django.utils import timezone

    from caunoi.channels.models import Channel
    from caunoi.core.models import Role, RoleName, Unit, User
    from caunoi.feedback import handling
    from caunoi.feedback.models import Category, Outcome, Report
    from caunoi.feedback.services import report_submit
    from caunoi.metrics.services import FigureIn, figures_write

    day = LAST_DAY + timedelta(days=1)
    timings: dict[str, float] = {}
    picked = rng.sample(channels, min(1000, len(channels)))
    started = time.perf_counter()
    for cid, _uid, _kind in picked:
        channel = Channel.objects.select_related("unit").get(pk=cid)
        reach = rng.randint(20, 400)
        figures_write(
            channel=channel,
            figures=[
                FigureIn(day, "reach", "reach", reach),
                FigureIn(day, "engagement", "engagement", reach // 12),
            ],
            source="file",
        )
    timings["figures_write_ms"] = round((time.perf_counter() - started) * 1000 / len(picked), 2)
    root = Unit.objects.get(depth=1)
    handler = User.objects.create_user(username="bench.xuly", full_name="Bench")
    Role.objects.create(user=handler, unit=root, name=RoleName.CASE_HANDLER)
    categories = list(Category.objects.all())
    villages = list(Unit.objects.filter(depth=4).order_by("?")[:1000])
    started = time.perf_counter()
    for unit in villages:
        report_submit(
            category=rng.choice(categories),
            description="Phản ánh gửi qua dịch vụ thật.",
            unit=unit,
            source="portal",
        )
    timings["report_submit_ms"] = round((time.perf_counter() - started) * 1000 / len(villages), 2)
    today = timezone.now()
    open_reports = list(
        Report.objects.filter(answered_at__isnull=True, created_at__lt=today)
        .select_related("unit", "category")
        .order_by("?")[:1000]
    )
    started = time.perf_counter()
    for report in open_reports:
        handling.report_resolve(
            report=report, by=handler, outcome=Outcome.FIXED, answer="Đã xử lý xong."
        )
    timings["report_resolve_ms"] = round(
        (time.perf_counter() - started) * 1000 / max(1, len(open_reports)), 2
    )
    return timings


# --- the report, two ways --------------------------------------------------------------------


class NaiveFeedback:
    """The feedback figures from the reports table (`feedback.stats.figures`)."""

    key = "feedback"
    order = 20

    def title(self) -> str:
        return "naive"

    def build(self, *, unit: Any, period: Any) -> Any:
        from caunoi.feedback.stats import figures
        from caunoi.reports.sections import Figure, SectionResult

        found = figures(unit=unit, start=period.start, end=period.end)
        t = found.total
        return SectionResult(
            self.key,
            "naive",
            [
                Figure("received", "", t.received),
                Figure("answered", "", t.answered),
                Figure("on_time", "", t.on_time),
                Figure("on_time_percent", "", t.on_time_percent, "%"),
                Figure("median_days", "", t.median_days, "ngày"),
                Figure("complaints", "", found.complaints),
                Figure("denunciations", "", found.denunciations),
                Figure("reopened", "", found.reopened),
            ],
        )


class NaivePublishing:
    """The publishing figures from the daily channel figures (`metrics.selectors.rollup`)."""

    key = "publishing"
    order = 10

    def title(self) -> str:
        return "naive"

    def build(self, *, unit: Any, period: Any) -> Any:
        from caunoi.metrics.sections import grain_for
        from caunoi.metrics.selectors import rollup
        from caunoi.reports.sections import Figure, SectionResult

        r = rollup(unit=unit, start=period.start, end=period.end, grain=grain_for(period))
        return SectionResult(
            self.key,
            "naive",
            [
                Figure("items", "", r.items),
                Figure("reach", "", r.total("reach")),
                Figure("views", "", r.total("views")),
                Figure("engagement", "", r.total("engagement")),
                Figure("followers", "", r.followers),
            ],
        )


def _figures_of(data: dict[str, Any]) -> dict[str, Any]:
    found = {
        f"{s['key']}.{f['key']}{suffix}": f[field]
        for s in data["sections"]
        for f in s["figures"]
        for field, suffix in (("value", ""), ("previous", "@previous"), ("last_year", "@last_year"))
    }
    for row in data["children"]:
        for key, value in row["values"].items():
            found[f"{row['unit']['name']}:{key}"] = value
    return found


def _same(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    wrong = []
    for key in sorted(set(a) & set(b)):
        x, y = a[key], b[key]
        rounded = "median_days" in key
        if rounded and x is not None and y is not None:
            if abs(x - y) > 0.1 + 1e-9:  # figures rounded to a tenth (see the module's text)
                wrong.append(f"{key}: {x} != {y}")
        elif x != y:
            wrong.append(f"{key}: {x} != {y}")
    return wrong


MEASURE = """
import json, os, resource, sys, time
import django
django.setup()
from caunoi.core.models import Unit
from caunoi.reports.sections import Period
from caunoi.reports.selectors import report_data
root = Unit.objects.get(depth=1)
runs = []
for _ in range(int(sys.argv[1])):
    started = time.perf_counter()
    report_data(unit=root, period=Period.quarter(2026, 1))
    runs.append(round(time.perf_counter() - started, 3))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"runs": runs, "max_rss_mb": round(rss)}))
"""


def _measure_report(runs: int) -> dict[str, Any]:
    """The report in a fresh process: its own times and peak RSS (Django loaded included)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(runs)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure_check() -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys; from caunoi.cli import main; code = main(); "
            "print('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
            "sys.exit(code)",
            "reports",
            "check",
        ],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    seconds = round(time.perf_counter() - started, 1)
    rss = int(done.stderr.rsplit("RSS ", 1)[-1].split()[0]) / 1024 if "RSS " in done.stderr else 0
    _say(f"check: exit {done.returncode} in {seconds} s: {done.stdout.strip()[-200:]}")
    return {"exit": done.returncode, "s": seconds, "max_rss_mb": round(rss), "out": done.stdout}


def _in_process(root: Any) -> tuple[dict[str, Any], float]:
    from caunoi.reports.sections import Period
    from caunoi.reports.selectors import report_data

    tracemalloc.start()
    data = report_data(unit=root, period=Period.quarter(2026, 1))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return data, round(peak / 1e6, 1)


def _naive(root: Any, runs: int) -> tuple[dict[str, Any], list[float]]:
    from caunoi.reports.sections import Period, register, sections
    from caunoi.reports.selectors import report_data

    real = {s.key: s for s in sections()}
    register(NaiveFeedback())
    register(NaivePublishing())
    try:
        times = []
        data: dict[str, Any] = {}
        for _ in range(runs):
            started = time.perf_counter()
            data = report_data(unit=root, period=Period.quarter(2026, 1))
            times.append(round(time.perf_counter() - started, 3))
            _say(f"naive: {times[-1]} s")
    finally:
        register(real["feedback"])
        register(real["publishing"])
    return data, times


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=500)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print where one report's time goes")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL only: measure again on the data a previous run left (no generation)",
    )
    args = parser.parse_args()
    rng = random.Random(2026)  # noqa: S311 - benchmark data, not secrets
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="caunoi-bench-reports-") as data_dir:
        _setup(args.database, Path(data_dir), reuse=args.reuse)
        from django.db import connection

        from caunoi.core.models import Unit

        live: dict[str, float] = {}
        if not args.reuse:
            write = _writer(args.database)
            units = _timed("create_units_s", lambda: _units(args.units, rng), timings)
            categories = _categories(units[0][0])
            channels = _channels(units)
            days = [LAST_DAY - timedelta(days=i) for i in range(args.days - 1, -1, -1)]
            _timed("load_figures_s", lambda: _figures(channels, days, rng, write), timings)
            _timed(
                "load_reports_and_their_counters_s",
                lambda: _reports(units, categories, days, args.reports, rng, write),
                timings,
            )
            _timed("metric_counters_s", lambda: _metric_counters(args.database), timings)
            if args.database == "postgres":
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            live = _live_writes(channels, rng)
            _say(f"writes through the services: {live}")
        with connection.cursor() as cursor:
            counted = {}
            for table in ("metrics_channelfigure", "feedback_report", "reports_count"):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - constants
                counted[table] = cursor.fetchone()[0]
        _say(f"rows: {counted}")
        root = Unit.objects.get(depth=1)

        if args.profile:
            import cProfile
            import pstats

            from caunoi.reports.sections import Period
            from caunoi.reports.selectors import report_data

            with cProfile.Profile() as profile:
                report_data(unit=root, period=Period.quarter(2026, 1))
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        load_before = _load_average()
        first, peak = _in_process(root)
        measured = _measure_report(args.runs)
        _say(f"report: {measured} (tracemalloc peak {peak} MB), load {load_before}")
        naive, naive_runs = _naive(root, args.naive_runs)
        wrong = _same(_figures_of(first), _figures_of(naive))
        if wrong:
            _say("the counters and the raw data disagree: " + "; ".join(wrong[:20]))
            return 1
        checked = _measure_check()
        load_after = _load_average()
        result = {
            "database": args.database,
            "date": date.today().isoformat(),
            "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
            "load_average_before_after": [load_before, load_after],
            "units": Unit.objects.count(),
            "reused_data": args.reuse,
            "rows": counted,
            "setup_s": timings,
            "service_writes_ms": live,
            "report_quarter_s": measured["runs"],
            "report_process_max_rss_mb": measured["max_rss_mb"],
            "report_tracemalloc_peak_mb": peak,
            "naive_quarter_s": naive_runs,
            "ratio_naive_over_report": round(min(naive_runs) / min(measured["runs"]), 1),
            "same_numbers": True,
            "compared_figures": len(set(_figures_of(first)) & set(_figures_of(naive))),
            "check_s": checked["s"],
            "check_max_rss_mb": checked["max_rss_mb"],
            "check_exit": checked["exit"],
            "root_figures": {
                f"{s['key']}.{f['key']}": f["value"]
                for s in first["sections"]
                for f in s["figures"]
            },
        }
        connection.close()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"reports-{args.database}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if checked["exit"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
