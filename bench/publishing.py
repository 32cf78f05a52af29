"""Publishing benchmark: the article page, the news page and search with 100k articles and
1M daily figure rows, on SQLite and PostgreSQL, against a bare Django view in the same run.

For each database:
1. fill: `caunoi demo` (units, staff, channels, a year of articles), then articles up to
   --articles spread over the province's units, and metrics.ChannelFigure rows up to
   --figures (channels × days × metrics, written by one INSERT … SELECT). Kept between runs:
   a database that already has them is not filled again.
2. `caunoi serve --workers 2 --no-worker` on a port of its own, with bench/publishing_site.py
   as settings (caunoi's own plus /bench/bare, a view that returns "ok" through the same
   middleware). SQLite: the one-office set-up, each worker caching pages in its own memory.
   PostgreSQL: the province set-up, with Redis as the shared cache (--cache-url, flushed).
   Then `caunoi portal prerender --jobs 2` stores every published article's pages, as the
   task worker keeps them (--prerender-days N: only the last N days'), and the pages of
   20,000 of them are dropped again: articles the worker has not caught up with yet.
3. --clients keep-alive connections hit each target for --seconds in --rounds slices, each
   slice right after the bare view for half as long (the ratio is to those: a shared
   machine's load drifts): article
   pages on their first visit after publishing (each stored page asked for once, in a new
   order: what a reader gets before anyone else has read the article); first visits to
   the 20,000 whose pages are not stored (each rendered on request: the page cache's
   miss path); article pages picked at random among 2,000 of three years (a cold cache
   warming up); the 20 most recent article pages (page-cache hits); news pages of
   the province and 20 communes, pages 1–3. Then one client runs --searches searches in
   sequence from the word list (repeats are cache hits), and as many again each asked for
   the first time (every search runs the engine).
Prints a table per database and writes bench/out/publishing.json. Loopback only; bounded.

Run: `uv run python bench/publishing.py` (both databases; `--db sqlite` for one);
`--help` for the knobs. PostgreSQL: --pg-url names a database of its own (dropped, created).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]
from foundation import HOST, OUT, ROOT, Server, machine, percentile, uv  # noqa: E402

WORDS = [
    "uy ban",
    "giai phong mat bang",
    "quy hoach",
    "tiep cong dan",
    "lua dao",
    "chuyen doi so",
    "tiem chung",
    "chay rung",
    "nha van hoa",
    "dat nen",
    "cap nuoc",
    "dinh danh",
    "hoi dong nhan dan",
    "via he",
    "thong cao",
    "dien thoai",
    "thien tai",
    "ngan sach",
]


# --- filling a database (runs inside Django) ----------------------------------------------


def fill(articles: int, figures: int, urls_out: Path, prerender_days: int | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.html import strip_tags

    from caunoi.channels.models import Channel, ChannelKind
    from caunoi.core.models import Unit, User
    from caunoi.core.text import fold
    from caunoi.metrics.models import ChannelFigure, Metric
    from caunoi.publishing.models import Article, ArticleKind, ArticleState
    from caunoi.publishing.selectors import article_url, with_urls

    province = Unit.objects.filter(depth=1).order_by("path").first()
    assert province is not None, "run `caunoi demo` first"
    units = list(Unit.objects.filter(path__startswith=province.path).order_by("path"))
    author = User.objects.order_by("pk").first()
    rng = random.Random(7)  # noqa: S311 - benchmark data, not security
    have = Article.objects.count()
    kinds = [ArticleKind.NEWS] * 16 + [ArticleKind.SCAM_WARNING] * 2 + [ArticleKind.CLARIFICATION]
    now = timezone.now()
    batch: list[Article] = []
    for n in range(have, articles):
        unit = rng.choice(units)
        words = rng.sample(WORDS, 3)
        title = f"{words[0].capitalize()} tại {unit.name} ({n})"
        summary = f"Thông tin về {words[1]} và {words[2]} của {unit.name}."
        body = f"<p>{summary}</p>" + "<p>Người dân theo dõi thông tin chính thức.</p>" * 6
        when = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 3))
        batch.append(
            Article(
                unit=unit,
                kind=rng.choice(kinds),
                title=title,
                summary=summary,
                body=body,
                search_text=fold(f"{title}\n{summary}\n{strip_tags(body)}"),
                author=author,
                state=ArticleState.PUBLISHED,
                published_at=when,
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    if batch:
        Article.objects.bulk_create(batch)

    metrics = list(Metric.values)
    days = 730
    per_channel = days * len(metrics)
    need = -(-figures // per_channel)
    channels = list(Channel.objects.filter(kind=ChannelKind.FACEBOOK).order_by("pk")[:need])
    for i in range(len(channels), need):
        channels.append(
            Channel.objects.create(
                unit=units[i % len(units)], kind=ChannelKind.FACEBOOK, name=f"Trang bench {i}"
            )
        )
    if ChannelFigure.objects.count() < figures:
        ids = ",".join(str(c.pk) for c in channels)
        metric_rows = " UNION ALL ".join(f"SELECT '{m}' AS metric" for m in metrics)
        start = date.today() - timedelta(days=days)
        if connection.vendor == "postgresql":
            sql = f"""
                INSERT INTO metrics_channelfigure
                    (channel_id, day, metric, raw_name, value, source, updated_at, batch_id)
                SELECT c.id, DATE '{start}' + d, m.metric, m.metric,
                       (random() * 5000)::int, 'demo', now(), NULL
                FROM channels_channel c, generate_series(0, {days - 1}) d, ({metric_rows}) m
                WHERE c.id IN ({ids})
                ON CONFLICT DO NOTHING"""  # noqa: S608 - our own ids and names
        else:
            sql = f"""
                INSERT INTO metrics_channelfigure
                    (channel_id, day, metric, raw_name, value, source, updated_at, batch_id)
                WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < {days - 1})
                SELECT c.id, date('{start}', '+' || d.n || ' days'), m.metric, m.metric,
                       abs(random()) % 5000, 'demo', datetime('now'), NULL
                FROM channels_channel c, d, ({metric_rows}) m
                WHERE c.id IN ({ids})
                ON CONFLICT DO NOTHING"""  # noqa: S608 - our own ids and names
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # a steady state, as autovacuum keeps it
    published = Article.objects.filter(state=ArticleState.PUBLISHED).select_related("unit")
    sample = with_urls(published.order_by("?")[:2000])
    recent = with_urls(published.order_by("-published_at")[:20])
    # The pages of articles published in the last `prerender_days` days (all: None) are
    # stored by the preparation, as the task worker keeps them; 20,000 others (all older
    # ones when there is a window), picked outside the random 2,000 and the recent 20, have
    # none: each is rendered on request, as while the worker has not caught up.
    shown = {a.pk for a in sample} | {a.pk for a in recent}
    window = published
    if prerender_days is not None:
        window = published.filter(published_at__gte=timezone.now() - timedelta(days=prerender_days))
    kept_ids = list(window.values_list("pk", flat=True))
    rng.shuffle(kept_ids)
    unstored_ids = set(
        published.exclude(pk__in=window).exclude(pk__in=shown).values_list("pk", flat=True)
    )
    if prerender_days is None:
        unstored_ids = {pk for pk in kept_ids if pk not in shown}
        unstored_ids = set(rng.sample(sorted(unstored_ids), min(20_000, len(unstored_ids))))
    older = with_urls(published.filter(pk__in=list(unstored_ids)[:20_000]))
    rng.shuffle(older)
    by_id = {a.pk: a for a in with_urls(published.filter(pk__in=kept_ids))}
    stored = [by_id[pk] for pk in kept_ids if pk not in unstored_ids]
    communes = [u for u in units if u.depth == 2][:20]
    news = [f"{u.get_portal_url()}tin-tuc/" for u in [province, *communes]]
    urls_out.write_text(
        json.dumps(
            {
                "articles": [article_url(a) for a in sample],
                "prerendered": [article_url(a) for a in stored],
                "unstored": [article_url(a) for a in older],
                "recent": [article_url(a) for a in recent],
                "news": [f"{n}?page={p}" for n in news for p in (1, 2, 3)],
                "search": f"{province.get_portal_url()}tim-kiem/",
                "counts": {
                    "articles": Article.objects.count(),
                    "figures": ChannelFigure.objects.count(),
                },
            }
        )
    )


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Result:
    target: str
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cache_hits: int
    ratio_to_bare: float = 0.0  # to the bare view measured right before (paired)
    bare_per_s: float = 0.0


def _client(
    port: int, paths: list[str], until: float, seed: int, out: list[Any], once: bool = False
) -> None:
    """Ask for paths at random until `until`; with `once`, each of `paths` in turn, once."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    times: list[float] = []
    errors = hits = 0
    queue = iter(paths)
    while time.monotonic() < until:
        path = next(queue, "") if once else rng.choice(paths)
        if not path:
            break
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        times.append((time.perf_counter() - started) * 1000)
        if answer.status != 200:
            errors += 1
        if answer.getheader("X-Caunoi-Cache") in {"hit", "prerendered"}:
            hits += 1
    conn.close()
    out.append((times, errors, hits))


def _search_hits(answer: http.client.HTTPResponse) -> int:
    return 1 if answer.getheader("X-Caunoi-Cache") == "hit" else 0


Sample = tuple[list[float], int, int, float]  # times (ms), errors, hits, seconds


def _run(
    port: int,
    paths: list[str],
    clients: int,
    seconds: float,
    *,
    once: bool = False,
    warm: bool = True,
) -> Sample:
    """--clients connections for `seconds`; with `once`, each path is asked for exactly once
    (split between the clients), and the run ends early when they are all done."""
    if once and warm:
        _client(port, ["/bench/bare"] * 3, time.monotonic() + 1.0, 0, [], once=True)
    elif warm:
        _client(port, paths[:3], time.monotonic() + 1.0, 0, [])  # warm the connection, worker
    out: list[Any] = []
    until = time.monotonic() + seconds
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=_client,
            args=(port, paths[n::clients] if once else paths, until, n, out, once),
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = [t for part in out for t in part[0]]
    errors, hits = sum(p[1] for p in out), sum(p[2] for p in out)
    return times, errors, hits, time.perf_counter() - started


def _result(target: str, samples: list[Sample]) -> Result:
    times = sorted(t for sample in samples for t in sample[0])
    elapsed = sum(sample[3] for sample in samples)
    return Result(
        target=target,
        requests=len(times),
        errors=sum(sample[1] for sample in samples),
        seconds=round(elapsed, 1),
        requests_per_s=round(len(times) / elapsed, 1),
        p50_ms=round(percentile(times, 0.50), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        p99_ms=round(percentile(times, 0.99), 1),
        cache_hits=sum(sample[2] for sample in samples),
    )


def load(
    port: int, target: str, paths: list[str], clients: int, seconds: float, *, once: bool = False
) -> Result:
    return _result(target, [_run(port, paths, clients, seconds, once=once)])


def search(port: int, base: str, queries: int, *, first_time: bool = False) -> Result:
    """Searches from the word list in sequence. Repeated queries are page-cache hits after
    their first time; with first_time, a parameter the view ignores makes every address new,
    so each search runs the engine."""
    rng = random.Random(3)  # noqa: S311 - benchmark data, not security
    paths = [
        f"{base}?q=" + "+".join(rng.choice(WORDS).split()[: rng.randint(1, 2)])
        for _ in range(queries)
    ]
    if first_time:
        paths = [f"{path}&n={n}" for n, path in enumerate(paths)]
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    measured: list[tuple[float, bool]] = []
    hits = 0
    started = time.perf_counter()
    for path in paths:
        began = time.perf_counter()
        conn.request("GET", path)
        answer = conn.getresponse()
        answer.read()
        measured.append(((time.perf_counter() - began) * 1000, answer.status == 200))
        hits += _search_hits(answer)
    elapsed = time.perf_counter() - started
    conn.close()
    times = sorted(t for t, _ok in measured)
    errors = sum(1 for _t, ok in measured if not ok)
    return Result(
        target="search, first time asked" if first_time else "search, popular queries",
        requests=len(times),
        errors=errors,
        seconds=round(elapsed, 1),
        requests_per_s=round(len(times) / elapsed, 1),
        p50_ms=round(percentile(times, 0.50), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        p99_ms=round(percentile(times, 0.99), 1),
        cache_hits=hits,
    )


# --- one database -------------------------------------------------------------------------


def environment(db: str, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env["CAUNOI_DATA_DIR"] = str(OUT / f"publishing-{db}")
    env.pop("SECRET_KEY", None)
    if db == "postgres":  # the province set-up (docs/running.md): PostgreSQL and Redis
        env["DATABASE_URL"] = args.pg_url
        env["CACHE_URL"] = args.cache_url
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).strip(os.pathsep)
    return env


def run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: {what} failed:\n{done.stderr[-3000:]}")


def prepare(db: str, args: argparse.Namespace) -> tuple[dict[str, Any], float]:
    env = environment(db, args)
    Path(env["CAUNOI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if db == "postgres" and args.fresh:
        import psycopg

        name = args.pg_url.rsplit("/", 1)[1]
        with psycopg.connect(args.pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
    if db == "sqlite" and args.fresh:
        for leftover in Path(env["CAUNOI_DATA_DIR"]).glob("caunoi.sqlite3*"):
            leftover.unlink()
    run([uv(), "run", "--quiet", "caunoi", "manage", "migrate", "-v0"], env, "migrate")
    run([uv(), "run", "--quiet", "caunoi", "demo"], env, "caunoi demo")
    urls = OUT / f"publishing-{db}-urls.json"
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import publishing; "
        f"publishing.fill({args.articles}, {args.figures}, "
        f"__import__('pathlib').Path({str(urls)!r}), {args.prerender_days})"
    )
    run([uv(), "run", "--quiet", "python", "-c", code], env, "filling the database")
    days = ("--days", str(args.prerender_days)) if args.prerender_days is not None else ()
    jobs = ("--jobs", str(args.prerender_jobs))
    run([uv(), "run", "--quiet", "caunoi", "portal", "prerender", *days, *jobs], env, "prerender")
    # The articles the worker has not caught up with: their pages are not stored.
    code = (
        "import django, json, os, pathlib; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'caunoi.settings'); django.setup(); "
        "from caunoi.publishing.models import PrerenderedPage as P; "
        f"gone = json.loads(pathlib.Path({str(urls)!r}).read_text())['unstored']; "
        "[P.objects.filter(path__in=gone[i:i + 500]).delete() for i in range(0, len(gone), 500)]"
    )
    run([uv(), "run", "--quiet", "python", "-c", code], env, "dropping unstored pages")
    return json.loads(urls.read_text()), time.perf_counter() - started


class BenchServer(Server):
    """foundation.Server with two workers and this benchmark's settings."""

    def __init__(self, db: str, args: argparse.Namespace, log: Path) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://{HOST}:{self.port}"
        env = environment(db, args)
        env["DJANGO_SETTINGS_MODULE"] = "publishing_site"
        self.log_handle = log.open("wb")
        self.process = subprocess.Popen(
            [
                *(uv(), "run", "--quiet", "caunoi", "serve"),
                *("--host", HOST, "--port", str(self.port), "--workers", "2", "--no-worker"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.log = log


def paired(
    port: int, target: str, paths: list[str], args: argparse.Namespace, *, once: bool = False
) -> Result:
    """The target in --rounds slices of --seconds in all, each right after the bare view for
    half as long: the ratio compares measures taken within seconds of each other, which a
    shared machine's changing load moves together. With `once`, each round asks for its own
    share of the paths."""
    rounds = max(1, args.rounds)
    slice_s = args.seconds / rounds
    bare: list[Sample] = []
    measured: list[Sample] = []
    for r in range(rounds):
        bare.append(_run(port, ["/bench/bare"], args.clients, slice_s / 2, warm=False))
        share = paths[r::rounds] if once else paths
        measured.append(_run(port, share, args.clients, slice_s, once=once, warm=r == 0))
    result = _result(target, measured)
    result.bare_per_s = _result("bare", bare).requests_per_s
    result.ratio_to_bare = round(result.requests_per_s / (result.bare_per_s or 1), 2)
    return result


def warm_os_cache(db: str, args: argparse.Namespace) -> None:
    """Read the database into the operating system's page cache, as a server whose memory
    holds it keeps it: this VM's memory reclaim drops file pages not read for minutes, and
    a stored page asked for once would otherwise be a disk read."""
    if db == "sqlite":
        for name in Path(environment(db, args)["CAUNOI_DATA_DIR"]).glob("caunoi.sqlite3*"):
            with name.open("rb") as f:
                while f.read(1 << 20):
                    pass
        return
    import psycopg

    with psycopg.connect(args.pg_url, autocommit=True) as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        c.execute(
            "SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')"
        )


def bench(db: str, args: argparse.Namespace) -> dict[str, Any]:
    if args.reuse:
        urls, fill_s = json.loads((OUT / f"publishing-{db}-urls.json").read_text()), 0.0
    else:
        urls, fill_s = prepare(db, args)
    if not args.cold:
        warm_os_cache(db, args)
    if db == "postgres":
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
    server = BenchServer(db, args, OUT / f"publishing-{db}-server.log")
    try:
        server.wait_ready()
        port = server.port
        bare = load(port, "bare Django view", ["/bench/bare"], args.clients, args.seconds)
        bare.bare_per_s, bare.ratio_to_bare = bare.requests_per_s, 1.0
        results = [
            bare,
            paired(
                port,
                "article page, first visit after publishing (stored)",
                urls["prerendered"],
                args,
                once=True,
            ),
            paired(
                port,
                "article page, first visit, not stored (rendered)",
                urls["unstored"],
                args,
                once=True,
            ),
            paired(port, "article page, 2,000 at random", urls["articles"], args),
            paired(port, "article page, 20 recent (cached)", urls["recent"], args),
            paired(port, "news page, 21 units × 3 pages", urls["news"], args),
            search(port, urls["search"], args.searches),
            search(port, urls["search"], args.searches, first_time=True),
        ]
    finally:
        server.stop()
    return {"db": db, "fill_s": round(fill_s, 1), "counts": urls["counts"], "results": results}


def print_table(run_: dict[str, Any]) -> None:
    print(f"\n{run_['db']}: {run_['counts']} (prepared in {run_['fill_s']} s)")
    heads = ["req/s", "bare/s", "× bare", "p50 ms", "p95 ms", "p99 ms", "hits", "errors"]
    print(f"{'target':52} " + " ".join(f"{h:>7}" for h in heads))
    for r in run_["results"]:
        print(
            f"{r.target:52} {r.requests_per_s:7.1f} {r.bare_per_s:7.1f} {r.ratio_to_bare:7.2f} "
            f"{r.p50_ms:7.1f} {r.p95_ms:7.1f} {r.p99_ms:7.1f} {r.cache_hits:7d} {r.errors:7d}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=15.0, help="per target")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--rounds", type=int, default=5, help="slices of each target, bare view between"
    )
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--fresh", action="store_true", help="start from empty databases")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="leave the database files out of the OS page cache if the system dropped them",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on the last run's prepared databases (data, stored pages, lists)",
    )
    parser.add_argument(
        "--prerender-days",
        type=int,
        default=None,
        help="store only the pages of articles published in these last days "
        "(default: every article's, as the task worker keeps them)",
    )
    parser.add_argument(
        "--prerender-jobs", type=int, default=2, help="`caunoi portal prerender --jobs`"
    )
    parser.add_argument(
        "--pg-url", default="postgres://postgres@127.0.0.1:5432/caunoi_bench_publishing"
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/7",
        help="the PostgreSQL run's shared cache (flushed first); SQLite runs keep the default",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    runs = [bench(db, args) for db in (["sqlite", "postgres"] if args.db == "both" else [args.db])]
    for r in runs:
        print_table(r)
    report = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "python": platform.python_version(),
        "args": vars(args),
        "runs": [{**r, "results": [asdict(x) for x in r["results"]]} for r in runs],
    }
    (OUT / "publishing.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
