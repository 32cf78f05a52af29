"""Surveys on PostgreSQL with the production server: sustained anonymous answers, then results
with a cross-tabulation for a 100,000-answer survey.

1. A database of its own (--db, dropped and made again), migrated, with a province of
   --communes communes and two surveys on the demo form "digital public services": one open
   for the load, one filled with --big answers (bulk_create, each answer checked by the form).
2. `caunoi serve --no-worker --workers 2 --port <port>` (gunicorn) with the public POST rate
   limit off (one client address sends everything), on bench/publishing_site.py: caunoi's own
   settings plus one bare Django view at /bench/bare behind the same middleware.
3. Sustained answers: --connections keep-alive connections POST different valid answers to the
   portal form for --seconds (each without the survey cookie, so each is a new visitor);
   answers per second counted from 302 (stored) responses, then checked in the database.
   Then the same POST bodies (CSRF token included) to the bare view for --seconds: the ratio
   answers/s ÷ bare requests/s says how much of the server's ceiling an answer costs.
4. Results: in one process on the same database, first the one-time count of the big
   survey's 100,000 answers into the tally (bulk_create bypasses it, as a backlog would), then
   the results of the big survey with one cross-tabulation (by unit, and by another question),
   timed as functions and as the whole staff page rendered by Django, and the page of results
   per child unit (--repeat times, median and max).

Loopback only, bounded in count and time. Writes bench/out/surveys.json.
Run: `uv run python bench/surveys.py` (`--help` for the knobs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from foundation import percentile, uv

from open311 import _one, recreate_database, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
HOST = "127.0.0.1"
SETUP = """
import django, json, random, sys
django.setup()
from datetime import timedelta
from django.utils import timezone
from caunoi.core.models import Unit, User, Role
from caunoi.surveys import services, form as forms
from caunoi.surveys.demo import FORMS
from caunoi.surveys.demo_answers import digital as _digital
from caunoi.surveys.models import Answer, AnswerSource
communes, big = int(sys.argv[1]), int(sys.argv[2])
province = Unit.add_root(name="Tỉnh Lạng Sơn", kind="province", slug="lang-son")
units = [Unit.objects.get(pk=province.pk).add_child(name=f"Xã {n + 1}", kind="commune",
         slug=f"xa-{n + 1}") for n in range(communes)]
today = timezone.localdate()
made = []
for title in ("Đang mở cho bench", "Khảo sát 100.000 câu trả lời"):
    survey = services.survey_create(unit=province, by=None, title=title,
        opens_on=today - timedelta(days=60), closes_on=today + timedelta(days=30))
    version = services.form_upload(survey=survey, by=None,
        data=(FORMS / "dich_vu_cong.md").read_bytes(), filename="dich_vu_cong.md")
    made.append((survey, version))
survey, version = made[1]
form = forms.load(version.form)
rng = random.Random(7)
rows = []
for n in range(big):
    day = survey.opens_on + timedelta(days=rng.randint(0, 59))
    checked = forms.check(form, _digital(rng), day, "vi")
    assert not checked.errors, checked.errors
    rows.append(Answer(survey=survey, version=version, unit=rng.choice(units), day=day,
                       source=AnswerSource.PORTAL, values=checked.values))
    if len(rows) == 5000:
        Answer.objects.bulk_create(rows); rows = []
Answer.objects.bulk_create(rows)
staff = User.objects.create_user(username="bench", password="bench-password-42")
Role.objects.create(user=staff, unit=province, name="viewer")
print(json.dumps({"open": made[0][0].pk, "big": survey.pk, "staff": staff.pk}))
"""
RESULTS = """
import django, json, statistics, sys, time
django.setup()
from django.test import Client
from caunoi.core.models import User
from caunoi.surveys import results
from caunoi.surveys.models import Survey
survey = Survey.objects.get(pk=int(sys.argv[1]))
repeat = int(sys.argv[2])
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username="bench"))
began = time.perf_counter()
results.tally_survey(survey)
first_fold = time.perf_counter() - began
began = time.perf_counter()
assert client.get(f"/staff/surveys/{survey.pk}/results/").status_code == 200
first_page = time.perf_counter() - began  # a fresh process: templates, catalogues, session
timings = {"functions_by_unit": [], "functions_by_question": [], "page_by_unit": [],
           "page_by_question": [], "page_per_unit": []}
for _ in range(repeat):
    began = time.perf_counter()
    found = results.survey_results(survey, "vi")
    table = results.crosstab(survey, "satisfaction", results.BY_UNIT, "vi", found)
    timings["functions_by_unit"].append(time.perf_counter() - began)
    began = time.perf_counter()
    found = results.survey_results(survey, "vi")
    results.crosstab(survey, "used_online", "age_group", "vi", found)
    timings["functions_by_question"].append(time.perf_counter() - began)
    for key, url in (
        ("page_by_unit", "?q=satisfaction&by=_unit"),
        ("page_by_question", "?q=used_online&by=age_group"),
        ("page_per_unit", "units/"),
    ):
        began = time.perf_counter()
        page = client.get(f"/staff/surveys/{survey.pk}/results/{url}")
        timings[key].append(time.perf_counter() - began)
        assert page.status_code == 200, page.status_code
print(json.dumps({"answers": found.total, "columns": len(table.columns) if table else 0,
    "first_read_counts_100k_answers_s": round(first_fold, 3),
    "first_page_in_a_fresh_process_s": round(first_page, 3),
    **{k: {"median_s": round(statistics.median(v), 3), "max_s": round(max(v), 3)}
       for k, v in timings.items()}}))
"""


def environment(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    env.update(
        {
            "DATABASE_URL": url,
            "CAUNOI_DATA_DIR": str(data_dir),
            "CAUNOI_RATE_LIMITS": "post=off",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "caunoi.settings",
        }
    )
    return env


def run_script(script: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [uv(), "run", "--quiet", "python", "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"bench: a step failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def csrf(port: int, path: str) -> tuple[str, str]:
    """The CSRF cookie and form token, from one GET of the survey page."""
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10) as page:
        cookie = page.headers.get("Set-Cookie", "")
        body = page.read().decode()
    secret = re.search(r"csrftoken=([^;]+)", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not secret or not token:
        sys.exit("bench: no CSRF token on the survey page")
    return secret.group(1), token.group(1)


def answer_request(port: int, path: str, cookie: str, token: str, rng: random.Random) -> bytes:
    sys.path.insert(0, str(ROOT / "src"))
    from caunoi.surveys.demo_answers import digital

    fields: list[tuple[str, str]] = [("csrfmiddlewaretoken", token), ("_js", "1")]
    for name, values in digital(rng).items():
        fields.extend((name, v) for v in values)
    fields.append(("_unit", str(rng.randint(1, 21))))
    body = urllib.parse.urlencode(fields).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Cookie: csrftoken={cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


async def load(
    port: int, queue: list[bytes], connections: int, seconds: float, ok: str = "302"
) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = started + seconds

    async def connection() -> None:
        streams: list[Any] = []
        while queue and time.perf_counter() < stop_at:
            request = queue.pop()
            began = time.perf_counter()
            got = await _one(port, request, streams)
            key = str(got[0]) if got else "no answer"
            statuses[key] = statuses.get(key, 0) + 1
            latencies.append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    stored = statuses.get(ok, 0)
    return {
        "seconds": round(elapsed, 2),
        "statuses": statuses,
        "answers_stored": stored,
        "answers_per_s": round(stored / elapsed, 1),
        "p50_ms": round(percentile(ordered, 0.5), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
    }


def count_answers(url: str, survey: int) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM surveys_answer WHERE survey_id = %s", (survey,)
        ).fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="caunoi_surveys_bench")
    parser.add_argument("--port", type=int, default=8240)
    parser.add_argument("--communes", type=int, default=20)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = recreate_database(args.db)
    data_dir = OUT / "surveys-data"
    data_dir.mkdir(exist_ok=True)
    env = environment(url, data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), env.get("PYTHONPATH", "")]).strip(
        os.pathsep
    )
    subprocess.run(
        [uv(), "run", "--quiet", "caunoi", "manage", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    began = time.perf_counter()
    made = run_script(SETUP, env, str(args.communes), str(args.big))
    setup_s = time.perf_counter() - began
    path = f"/u/lang-son/khao-sat/{made['open']}/"
    server = start_server(
        {**env, "DJANGO_SETTINGS_MODULE": "publishing_site"},
        args.port,
        OUT / "surveys-server.log",
        args.threads,
    )
    try:
        cookie, token = csrf(args.port, path)
        rng = random.Random(11)  # noqa: S311 - deterministic test data
        count = int(args.seconds * 600)
        load_before = os.getloadavg()
        queue = [answer_request(args.port, path, cookie, token, rng) for _ in range(count)]
        sustained = asyncio.run(load(args.port, queue, args.connections, args.seconds))
        rng = random.Random(11)  # noqa: S311 - the same bodies, to the bare view
        queue = [
            answer_request(args.port, "/bench/bare", cookie, token, rng) for _ in range(count * 5)
        ]
        bare = asyncio.run(load(args.port, queue, args.connections, args.seconds, ok="200"))
        load_after = os.getloadavg()
    finally:
        stop_server(server)
    sustained["bare_view"] = bare
    sustained["ratio_to_bare"] = round(
        sustained["answers_per_s"] / bare["answers_per_s"] if bare["answers_per_s"] else 0.0, 3
    )
    sustained["load_average_before"] = [round(x, 2) for x in load_before]
    sustained["load_average_after"] = [round(x, 2) for x in load_after]
    sustained["answers_in_database"] = count_answers(url, made["open"])
    figures = run_script(RESULTS, env, str(made["big"]), str(args.repeat))
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "args": vars(args),
        "setup_s_for_big_survey": round(setup_s, 1),
        "sustained_answers": sustained,
        "results_100k": figures,
    }
    (OUT / "surveys.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
