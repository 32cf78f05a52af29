"""`caunoi feedback sweep`: run the reports' sweep now (escalate overdue reports, close old
answers, erase contact details past retention) and keep it running hourly in the worker."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> None:
    feedback = commands.add_parser("feedback", help="citizen reports")
    what = feedback.add_subparsers(dest="feedback_command", required=True, metavar="WHAT")
    sweep = what.add_parser(
        "sweep",
        help="escalate overdue reports, close old answers, erase contact details past retention",
    )
    sweep.add_argument(
        "--no-schedule",
        action="store_true",
        help="run once only; by default the worker then repeats it every hour",
    )
    feedback.set_defaults(run=_feedback)


def _feedback(args: argparse.Namespace) -> int:
    from caunoi.cli import ready

    ready()
    from caunoi.feedback.sweep import sweep
    from caunoi.feedback.tasks import sweep_schedule

    result = sweep()
    print(
        f"caunoi: {result.escalated} reports escalated, {result.closed} closed, "
        f"{result.erased} reporters' contact details erased, "
        f"{result.photos_erased} unblurred photo originals erased"
    )
    if not args.no_schedule:
        queued = sweep_schedule()
        print("caunoi: hourly sweep " + ("queued for the worker" if queued else "already queued"))
    return 0
