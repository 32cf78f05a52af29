"""Reports at scale: the quarterly report of the root of 10,000 units, from the roll-up
counters and from the raw rows (the naive way), on SQLite or PostgreSQL.

Generates a tree of 10,000 units (province → 30 districts → 300 communes → villages), 10 million
daily metric rows (every unit, every day for 1,000 days) and 1 million citizen reports into
the bench's own raw tables (bench_metric, bench_report), feeds the counters the way an app
does (per unit and day, for the unit and each ancestor), then times
`caunoi.reports.selectors.report_data(root, Q1 2026)`: headline figures with the previous
quarter and the same quarter last year, monthly chart data, and the 30 child units compared.
The naive run builds the same report with a section that sums the raw rows of the subtree.
Both must give identical numbers; the bench stops if they do not.

Run:
  uv run python bench/reports.py --database sqlite
  uv run python bench/reports.py --database postgres   # postgres://postgres@127.0.0.1:5432/caunoi_reports_bench
Results go to bench/out/reports-<database>.json; bench/reports.md records them.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import platform
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_URL = "postgres://postgres@127.0.0.1:5432/caunoi_reports_bench"
LAST_DAY = date(2026, 6, 30)
KEYS = ("bench.reach", "bench.received", "bench.answered")


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def _timed(label: str, work: Callable[[], Any], store: dict[str, float]) -> Any:
    started = time.perf_counter()
    result = work()
    store[label] = round(time.perf_counter() - started, 3)
    _say(f"{label}: {store[label]} s")
    return result


def _setup(database: str, data_dir: Path) -> None:
    if database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS caunoi_reports_bench")
            c.execute("CREATE DATABASE caunoi_reports_bench")
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["CAUNOI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- the tree ------------------------------------------------------------------------------


def _units(total: int, rng: random.Random) -> list[tuple[int, str, int]]:
    """Bulk-create the tree; returns (id, path, depth) of every unit."""
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
        add(dpath, 2, UnitKind.DISTRICT, f"Huyện {d}", communes)
        for c in range(1, communes + 1):
            cpath = Unit._get_path(dpath, 3, c)
            add(cpath, 3, UnitKind.COMMUNE, f"Xã {d}.{c}", per_commune[n])
            for v in range(1, per_commune[n] + 1):
                add(Unit._get_path(cpath, 4, v), 4, UnitKind.VILLAGE, f"Thôn {d}.{c}.{v}", 0)
            n += 1
    Unit.objects.bulk_create(rows, batch_size=2_000)
    return list(Unit.objects.order_by("path").values_list("id", "path", "depth"))


# --- raw data and counters -----------------------------------------------------------------


def _writer(database: str) -> Callable[[str, list[str], list[tuple[Any, ...]]], None]:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    if database == "postgres":

        def write(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)

        return write

    def write_sqlite(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in columns)
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - the bench's own names
        raw.executemany(insert, rows)

    return write_sqlite


def _raw_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_metric (unit_id integer, day date, reach integer)")
        cursor.execute("CREATE TABLE bench_report (unit_id integer, day date, answered integer)")


def _raw_indexes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX bench_metric_unit_day ON bench_metric (unit_id, day)")
        cursor.execute("CREATE INDEX bench_report_unit_day ON bench_report (unit_id, day)")
        cursor.execute("ANALYZE")


def _load(
    units: list[tuple[int, str, int]],
    days: int,
    reports: int,
    rng: random.Random,
    write: Callable[[str, list[str], list[tuple[Any, ...]]], None],
    timings: dict[str, float],
) -> None:
    """Raw rows per unit, and the counters an app would have fed for them: each unit's own
    per-day figures, added to the unit and to each of its ancestors."""
    from django.db import transaction

    first = LAST_DAY - timedelta(days=days - 1)
    day_list = [first + timedelta(days=i) for i in range(days)]
    by_path = {path: uid for uid, path, _depth in units}
    leaf_reports = [0] * len(units)
    for _ in range(reports):
        leaf_reports[rng.randrange(len(units))] += 1
    # Upper units (not villages) collect their subtree's sums here; villages are written as
    # they are generated.
    upper = {uid: {k: [0] * days for k in KEYS} for uid, _p, depth in units if depth < 4}
    raw_s = counters_s = 0.0
    for index, (uid, path, depth) in enumerate(units):
        started = time.perf_counter()
        base = rng.randint(20, 400)
        reach = [int(base * (0.5 + rng.random())) for _ in range(days)]
        metric_rows = [(uid, day, r) for day, r in zip(day_list, reach, strict=True)]
        received = [0] * days
        answered = [0] * days
        report_rows = []
        for _ in range(leaf_reports[index]):
            i = rng.randrange(days)
            done = 1 if rng.random() < 0.8 else 0
            received[i] += 1
            answered[i] += done
            report_rows.append((uid, day_list[i], done))
        with transaction.atomic():
            write("bench_metric", ["unit_id", "day", "reach"], metric_rows)
            if report_rows:
                write("bench_report", ["unit_id", "day", "answered"], report_rows)
        raw_s += time.perf_counter() - started
        started = time.perf_counter()
        own = {"bench.reach": reach, "bench.received": received, "bench.answered": answered}
        chain = [by_path[path[:n]] for n in range(4, len(path) + 1, 4)]
        for ancestor in chain:
            if ancestor in upper:
                sums = upper[ancestor]
                for key in KEYS:
                    sums[key] = list(map(operator.add, sums[key], own[key]))
        if depth == 4:
            rows = [(uid, key, day_list[i], v) for key in KEYS for i, v in enumerate(own[key]) if v]
            with transaction.atomic():
                write("reports_count", ["unit_id", "key", "day", "value"], rows)
        counters_s += time.perf_counter() - started
        if index % 1000 == 0:
            _say(f"  {index:,} units loaded")
    started = time.perf_counter()
    with transaction.atomic():
        for uid, sums in upper.items():
            rows = [
                (uid, key, day_list[i], v) for key in KEYS for i, v in enumerate(sums[key]) if v
            ]
            write("reports_count", ["unit_id", "key", "day", "value"], rows)
    counters_s += time.perf_counter() - started
    timings["load_raw_rows_s"] = round(raw_s, 1)
    timings["feed_counters_s"] = round(counters_s, 1)


# --- the two ways of building the section --------------------------------------------------


def _months(start: date, end: date) -> list[str]:
    out, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        out.append(f"{cursor:%Y-%m}")
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return out


def _result(key: str, totals: dict[str, int], months: dict[str, dict[str, int]]) -> Any:
    from caunoi.reports.sections import Chart, Figure, SectionResult, Table

    return SectionResult(
        key=key,
        title="Bench",
        figures=[
            Figure("reach", "Lượt tiếp cận", totals["bench.reach"]),
            Figure("received", "Phản ánh đã nhận", totals["bench.received"]),
            Figure("answered", "Phản ánh đã trả lời", totals["bench.answered"]),
        ],
        tables=[
            Table(
                "by_month",
                "Theo tháng",
                ["Tháng", *KEYS],
                [[m, *(v[k] for k in KEYS)] for m, v in months.items()],
            )
        ],
        charts=[
            Chart(
                "reach",
                "Lượt tiếp cận",
                "bar",
                list(months),
                {"reach": [float(v["bench.reach"]) for v in months.values()]},
            )
        ],
    )


class RollupSection:
    key = "bench"
    order = 1

    def title(self) -> str:
        return "Bench"

    def build(self, *, unit: Any, period: Any) -> Any:
        from caunoi.reports import counters

        totals = counters.totals(unit=unit, period=period, keys=KEYS)
        months = counters.monthly(unit=unit, period=period, keys=KEYS)
        return _result(self.key, totals, months)


class NaiveSection(RollupSection):
    """The same figures summed from the raw rows of the whole subtree."""

    def build(self, *, unit: Any, period: Any) -> Any:
        from django.db import connection

        months = {m: dict.fromkeys(KEYS, 0) for m in _months(period.start, period.end)}
        prefix = str(unit.path) + "%"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.day, SUM(m.reach) FROM bench_metric m JOIN core_unit u "
                "ON u.id = m.unit_id WHERE u.path LIKE %s AND m.day BETWEEN %s AND %s "
                "GROUP BY m.day",
                [prefix, period.start, period.end],
            )
            for day, total in cursor.fetchall():
                day = day if isinstance(day, date) else date.fromisoformat(day)
                months[f"{day:%Y-%m}"]["bench.reach"] += int(total)
            cursor.execute(
                "SELECT r.day, COUNT(*), SUM(r.answered) FROM bench_report r JOIN core_unit u "
                "ON u.id = r.unit_id WHERE u.path LIKE %s AND r.day BETWEEN %s AND %s "
                "GROUP BY r.day",
                [prefix, period.start, period.end],
            )
            for day, received, answered in cursor.fetchall():
                day = day if isinstance(day, date) else date.fromisoformat(day)
                months[f"{day:%Y-%m}"]["bench.received"] += int(received)
                months[f"{day:%Y-%m}"]["bench.answered"] += int(answered)
        totals = {k: sum(v[k] for v in months.values()) for k in KEYS}
        return _result(self.key, totals, months)


def _use(section: Any) -> None:
    from caunoi.reports.sections import register, sections, unregister

    for existing in sections():
        unregister(existing.key)
    register(section)


def _report(root: Any) -> dict[str, Any]:
    from caunoi.reports.sections import Period
    from caunoi.reports.selectors import report_data

    result: dict[str, Any] = report_data(unit=root, period=Period.quarter(2026, 1))
    return result


def _runs(root: Any, n: int) -> Iterator[float]:
    for _ in range(n):
        started = time.perf_counter()
        _report(root)
        yield round(time.perf_counter() - started, 3)


def _peak_mb(root: Any) -> float:
    tracemalloc.start()
    _report(root)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 1e6, 1)


def _count_write_ms(unit: Any, n: int = 1000) -> float:
    from django.db import transaction

    from caunoi.reports.services import count

    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            count(unit=unit, key="bench.writes", day=LAST_DAY - timedelta(days=i % 90))
    return round((time.perf_counter() - started) * 1000 / n, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=1_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(2026)  # noqa: S311 - benchmark data, not secrets
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="caunoi-bench-reports-") as data_dir:
        _setup(args.database, Path(data_dir))
        from django.db import connection

        from caunoi.core.models import Unit

        if args.database == "sqlite":
            connection.ensure_connection()
            connection.connection.execute("PRAGMA synchronous=OFF")
        units = _timed("create_units_s", lambda: _units(args.units, rng), timings)
        _raw_tables()
        write = _writer(args.database)
        _load(units, args.days, args.reports, rng, write, timings)
        _timed("raw_indexes_s", _raw_indexes, timings)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM bench_metric")
            metric_rows = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM bench_report")
            report_rows = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM reports_count")
            counter_rows = cursor.fetchone()[0]
        root = Unit.objects.get(depth=1)

        _use(RollupSection())
        rollup = _report(root)  # first, cold
        rollup_runs = list(_runs(root, args.runs))
        rollup_peak = _peak_mb(root)
        _use(NaiveSection())
        naive = _report(root)
        naive_runs = list(_runs(root, max(1, args.runs - 2)))
        naive_peak = _peak_mb(root)
        if rollup != naive:
            _say("the roll-ups and the raw rows disagree: stopping")
            return 1
        count_ms = _count_write_ms(Unit.objects.filter(depth=4).first())
        result = {
            "database": args.database,
            "date": date.today().isoformat(),
            "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
            "units": len(units),
            "metric_rows": metric_rows,
            "citizen_reports": report_rows,
            "counter_rows": counter_rows,
            "setup": timings,
            "rollup_quarter_s": rollup_runs,
            "rollup_peak_mb": rollup_peak,
            "naive_quarter_s": naive_runs,
            "naive_peak_mb": naive_peak,
            "ratio_naive_over_rollup": round(min(naive_runs) / max(min(rollup_runs), 1e-6), 1),
            "count_write_ms": count_ms,
            "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "same_numbers": True,
            "root_figures": {f["key"]: f["value"] for f in rollup["sections"][0]["figures"]},
        }
        connection.close()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"reports-{args.database}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
