"""`caunoi reports check`: compare the roll-up counters with the raw data of every app."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any


def add_commands(commands: Any) -> None:
    reports = commands.add_parser("reports", help="periodic reports and their roll-ups")
    sub = reports.add_subparsers(dest="reports_command", required=True, metavar="WHAT")
    check = sub.add_parser(
        "check", help="compare the roll-up counters with the raw data; exit 1 on a difference"
    )
    check.add_argument("--since", help="first day to check, YYYY-MM-DD (default: all)")
    check.add_argument("--until", help="last day to check, YYYY-MM-DD (default: all)")
    check.add_argument(
        "--repair", action="store_true", help="set differing counters to the raw data's figure"
    )
    check.add_argument(
        "--quiet", action="store_true", help="no progress bar (it goes to stderr otherwise)"
    )
    reports.set_defaults(run=_check)


def _day(text: str | None, name: str) -> date | None:
    from caunoi.cli import fail

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{name} {text!r} is not a date; use YYYY-MM-DD")
        raise


def _check(args: argparse.Namespace) -> int:
    from caunoi.cli import fail, ready

    ready()
    from caunoi.reports.check import FIRST_DAY, check

    start = _day(args.since, "--since") or FIRST_DAY
    end = _day(args.until, "--until")
    if end is not None and end < start:
        fail("--until is before --since; swap them")
    summary = check(start=start, end=end, repair_found=args.repair, progress=_bar(args.quiet))
    for difference in summary.examples:
        print(f"caunoi: {difference}")
    if not summary.differences:
        print("caunoi: the roll-up counters agree with the raw data")
        return 0
    if args.repair:
        print(f"caunoi: repaired {summary.differences} counters from the raw data")
        return 0
    print(
        f"caunoi: {summary.differences} counters disagree with the raw data (--repair fixes them)"
    )
    return 1


def _bar(quiet: bool) -> Callable[[int, int], None]:
    """A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""
    started = time.monotonic()
    shown = [-1]

    def draw(done: int, total: int) -> None:
        if quiet:
            return
        share = done / total if total else 1.0
        elapsed = time.monotonic() - started
        left = f", {elapsed / share - elapsed:.0f} s left" if 0 < share < 1 else ""
        bar = "#" * int(30 * share)
        text = f"caunoi: checking [{bar:<30}] {100 * share:3.0f}% ({done}/{total}){left}"
        if sys.stderr.isatty():
            print(f"\r{text}", end="\n" if done >= total else "", file=sys.stderr, flush=True)
        elif int(10 * share) > shown[0]:
            shown[0] = int(10 * share)
            print(text, file=sys.stderr, flush=True)

    return draw
