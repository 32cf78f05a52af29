"""`caunoi keys rotate`: a new encryption key, and every encrypted value re-encrypted under it."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> None:
    keys = commands.add_parser("keys", help="encryption keys for data kept encrypted at rest")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="WHAT")
    keys_commands.add_parser(
        "rotate", help="add a new key and re-encrypt contact details and credentials under it"
    )
    keys.set_defaults(run=_keys)


def _keys(args: argparse.Namespace) -> int:
    from caunoi.cli import ready

    ready()
    from caunoi.core.crypto import add_key_and_reencrypt

    count = add_key_and_reencrypt()
    print(f"caunoi: {count} encrypted values now use the newest key")
    return 0
