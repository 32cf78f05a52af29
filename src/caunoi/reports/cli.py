"""`caunoi reports check`: compare the roll-up counters with the raw data of every app."""

from __future__ import annotations

import argparse
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
    from caunoi.reports.check import FIRST_DAY, differences, repair

    start = _day(args.since, "--since") or FIRST_DAY
    end = _day(args.until, "--until")
    if end is not None and end < start:
        fail("--until is before --since; swap them")
    found = differences(start=start, end=end)
    for difference in found[:50]:
        print(f"caunoi: {difference}")
    if not found:
        print("caunoi: the roll-up counters agree with the raw data")
        return 0
    if args.repair:
        repair(found)
        print(f"caunoi: repaired {len(found)} counters from the raw data")
        return 0
    print(f"caunoi: {len(found)} counters disagree with the raw data (--repair fixes them)")
    return 1
