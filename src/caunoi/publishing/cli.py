"""`caunoi portal prerender`: store the recent articles' pages as readers will get them."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_commands(commands: Any) -> None:
    portal = commands.add_parser("portal", help="the public portal's stored pages")
    portal_commands = portal.add_subparsers(dest="portal_command", required=True, metavar="WHAT")
    prerender = portal_commands.add_parser(
        "prerender",
        help="render the pages of articles published in the last N days ahead of readers "
        "(the task worker does it after every change; use this after restoring a backup)",
    )
    prerender.add_argument(
        "--days", type=int, default=None, help="default: CAUNOI_PRERENDER_DAYS (30)"
    )
    portal.set_defaults(run=_portal)


def _portal(args: argparse.Namespace) -> int:
    from caunoi.cli import fail, ready

    ready()
    from tqdm import tqdm

    from caunoi.publishing import prerender

    if args.days is not None and args.days < 0:
        fail("--days must be 0 or more")
    total = prerender.recent_articles(args.days).count()
    with tqdm(total=total, unit=" articles", desc="prerender", file=sys.stderr) as bar:
        articles, pages = prerender.recent_pages(args.days, progress=bar.update)
    print(f"caunoi: pages stored: {pages} (articles: {articles})")
    return 0
