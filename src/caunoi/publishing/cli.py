"""`caunoi portal prerender`: store the published articles' pages as readers will get them."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_commands(commands: Any) -> None:
    portal = commands.add_parser("portal", help="the public portal's stored pages")
    portal_commands = portal.add_subparsers(dest="portal_command", required=True, metavar="WHAT")
    prerender = portal_commands.add_parser(
        "prerender",
        help="render the pages of every published article ahead of readers (the task worker "
        "does it after every change; use this after restoring a backup)",
    )
    prerender.add_argument(
        "--days",
        type=int,
        default=None,
        help="only articles published in the last N days, dropping the others' pages "
        "(default: CAUNOI_PRERENDER_DAYS; unset: every published article)",
    )
    prerender.add_argument(
        "--jobs", type=int, default=1, help="processes sharing the work (default 1)"
    )
    portal.set_defaults(run=_portal)


def _portal(args: argparse.Namespace) -> int:
    from caunoi.cli import fail, ready

    ready()
    from tqdm import tqdm

    from caunoi.publishing import prerender

    if args.days is not None and args.days < 0:
        fail("--days must be 0 or more")
    if args.jobs < 1:
        fail("--jobs must be 1 or more")
    total = prerender.kept_articles(args.days).count()
    with tqdm(total=total, unit=" articles", desc="prerender", file=sys.stderr) as bar:
        try:
            articles, pages = prerender.all_pages(args.days, progress=bar.update, jobs=args.jobs)
        except RuntimeError as error:
            fail(str(error))
    print(f"caunoi: pages stored: {pages} (articles: {articles})")
    return 0
