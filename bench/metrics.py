"""Metrics benchmarks: roll-ups over 1M daily figure rows, and importing a 10,000-row file.

For each database (SQLite in a temporary data dir; PostgreSQL in its own database
`caunoi_metrics_bench`, dropped and made again):
1. a province with --communes communes, 4 channels each (Facebook page, Zalo OA, youth and
   women's pages), and one year (2025) of 7 daily metrics per channel: --rows rows in all
   (1,022,000 by default), written with bulk_create, then the roll-up counters rebuilt from
   them by `caunoi reports check --repair`'s code (figures_write keeps them current as it
   writes; bulk_create bypasses it);
2. the province's roll-up (metrics.selectors.rollup: items by kind and channel, reach,
   engagement, followers, per month and per unit below) for Q4 2025 and for the year 2025,
   --runs times each (min and median), and one commune's quarter for comparison;
3. a 10,000-row file in our template (one post per row, 7 metrics): preview (read, check,
   count what it would replace) and confirm (the upsert), then the same file again.

Bounded: each database gets --budget seconds; a stage that would start after it is skipped
and reported. Prints a Markdown table; writes bench/out/metrics.json.
Run: `uv run python bench/metrics.py` (`--help` for the knobs, `--databases sqlite` for one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_URL = "postgres://postgres@127.0.0.1:5432/caunoi_metrics_bench"


def _setup_django(database: str, data_dir: str) -> None:
    if database == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS caunoi_metrics_bench")
            c.execute("CREATE DATABASE caunoi_metrics_bench")
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CAUNOI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(work: Any, runs: int) -> dict[str, float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return {"min_s": min(seconds), "median_s": statistics.median(seconds), "runs": runs}


def _world(communes: int) -> tuple[Any, Any, list[Any]]:
    from caunoi.channels.models import Channel, ChannelKind
    from caunoi.core.models import Unit, UnitKind

    province = Unit.objects.add_root(
        {"name": "Tỉnh Đo", "kind": UnitKind.PROVINCE, "slug": "tinh-do", "code": "B1"}
    )
    channels = []
    first = None
    for n in range(communes):
        province = Unit.objects.get(pk=province.pk)
        commune = Unit.objects.add_child(
            province, {"name": f"Xã {n}", "kind": UnitKind.COMMUNE, "slug": f"xa-{n}"}
        )
        first = first or commune
        for kind, name in (
            (ChannelKind.FACEBOOK, "Trang"),
            (ChannelKind.ZALO, "OA"),
            (ChannelKind.FACEBOOK, "Tuổi trẻ"),
            (ChannelKind.FACEBOOK, "Phụ nữ"),
        ):
            channels.append(Channel(unit=commune, kind=kind, name=f"{name} {n}", followers=2000))
    Channel.objects.bulk_create(channels)
    return Unit.objects.get(pk=province.pk), first, list(Channel.objects.order_by("pk"))


def _fill(channels: list[Any], rows: int) -> float:
    import random
    from datetime import date, timedelta

    from django.utils import timezone

    from caunoi.metrics.models import ChannelFigure, Metric

    rng = random.Random(7)  # noqa: S311 - benchmark data, not secrets
    metrics = list(Metric.values)  # 8 metrics; clicks left out to make 7 a day
    metrics.remove(Metric.CLICKS)
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    now = timezone.now()
    started = time.perf_counter()
    batch: list[ChannelFigure] = []
    written = 0
    for channel in channels:
        for day in days:
            for metric in metrics:
                batch.append(
                    ChannelFigure(
                        channel_id=channel.pk,
                        day=day,
                        metric=metric,
                        raw_name=metric,
                        value=rng.randint(0, 400),
                        source="demo",
                        updated_at=now,
                    )
                )
            if len(batch) >= 10_000:
                ChannelFigure.objects.bulk_create(batch)
                written += len(batch)
                batch = []
            if written + len(batch) >= rows:
                break
        if written + len(batch) >= rows:
            break
    ChannelFigure.objects.bulk_create(batch)
    return time.perf_counter() - started


def _import_file(rows: int) -> bytes:
    lines = ["date,post_id,reach,views,reactions,comments,shares,clicks,followers"]
    for n in range(rows):
        lines.append(
            f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d},p{n},{n % 900},{n % 2000},"
            f"{n % 50},{n % 9},{n % 7},{n % 30},"
        )
    return ("\n".join(lines) + "\n").encode()


def run_one(database: str, args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.budget
    with tempfile.TemporaryDirectory(prefix="caunoi-bench-metrics-") as data_dir:
        _setup_django(database, data_dir)
        from datetime import date

        from caunoi.core.models import RoleName, User
        from caunoi.metrics.models import ChannelFigure
        from caunoi.metrics.selectors import rollup
        from caunoi.metrics.services import import_confirm, import_preview

        result: dict[str, Any] = {"database": database, "skipped": []}
        province, commune, channels = _world(args.communes)
        result["fill_s"] = _fill(channels, args.rows)
        result["rows"] = ChannelFigure.objects.count()
        from caunoi.reports.check import check

        started = time.perf_counter()
        check(repair_found=True)
        result["counters_s"] = time.perf_counter() - started
        result["channels"] = len(channels)
        stages = {
            "province_quarter": lambda: rollup(
                unit=province, start=date(2025, 10, 1), end=date(2025, 12, 31), grain="month"
            ),
            "province_year": lambda: rollup(
                unit=province, start=date(2025, 1, 1), end=date(2025, 12, 31), grain="month"
            ),
            "province_year_by_quarter": lambda: rollup(
                unit=province, start=date(2025, 1, 1), end=date(2025, 12, 31), grain="quarter"
            ),
            "commune_quarter": lambda: rollup(
                unit=commune, start=date(2025, 10, 1), end=date(2025, 12, 31), grain="month"
            ),
        }
        for name, work in stages.items():
            if time.monotonic() > deadline:
                result["skipped"].append(name)
                continue
            result[name] = _timed(work, args.runs)
        if time.monotonic() > deadline:
            result["skipped"].append("import")
            return result
        officer = User.objects.create_user(username="bench")
        from caunoi.core.models import Role

        Role.objects.create(user=officer, unit=commune, name=RoleName.EDITOR)
        data = _import_file(args.import_rows)
        for attempt in ("import_first", "import_again"):
            started = time.perf_counter()
            batch, _parsed = import_preview(
                channel=channels[0], by=officer, file_name="bench.csv", data=data
            )
            preview_s = time.perf_counter() - started
            started = time.perf_counter()
            done = import_confirm(batch=batch, by=officer)
            result[attempt] = {
                "rows": args.import_rows,
                "figures": done.figures,
                "replaced": done.replaced,
                "preview_s": preview_s,
                "confirm_s": time.perf_counter() - started,
            }
        return result


def _table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| measure | " + " | ".join(r["database"] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def cell(r: dict[str, Any], key: str, field: str) -> str:
        value = r.get(key)
        return f"{value[field] * 1000:.0f} ms" if isinstance(value, dict) else "skipped"

    lines.append("| daily figure rows | " + " | ".join(f"{r['rows']:,}" for r in results) + " |")
    lines.append(
        "| writing them (bulk_create) | "
        + " | ".join(f"{r['fill_s']:.0f} s" for r in results)
        + " |"
    )
    lines.append(
        "| roll-up counters rebuilt from them | "
        + " | ".join(f"{r.get('counters_s', 0):.0f} s" for r in results)
        + " |"
    )
    for key, label in (
        ("province_quarter", "province roll-up, Q4 2025 by month (median)"),
        ("province_year", "province roll-up, 2025 by month (median)"),
        ("province_year_by_quarter", "province roll-up, 2025 by quarter (median)"),
        ("commune_quarter", "one commune, Q4 2025 by month (median)"),
    ):
        lines.append(f"| {label} | " + " | ".join(cell(r, key, "median_s") for r in results) + " |")
    size = next((r["import_first"]["rows"] for r in results if "import_first" in r), 0)
    for key, label in (("import_first", f"{size:,}-row file"), ("import_again", "same file again")):
        lines.append(
            f"| {label}: preview | " + " | ".join(cell(r, key, "preview_s") for r in results) + " |"
        )
        lines.append(
            f"| {label}: confirm | " + " | ".join(cell(r, key, "confirm_s") for r in results) + " |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--rows", type=int, default=1_022_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--budget", type=float, default=900.0, help="seconds per database")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args)))
        return 0
    results = []
    for database in args.databases.split(","):
        command = [
            sys.executable,
            __file__,
            "--one",
            database,
            "--rows",
            str(args.rows),
            "--communes",
            str(args.communes),
            "--runs",
            str(args.runs),
            "--import-rows",
            str(args.import_rows),
            "--budget",
            str(args.budget),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=args.budget * 2 + 120
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    OUT.mkdir(parents=True, exist_ok=True)
    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
    }
    (OUT / "metrics.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2)
    )
    print(_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
