"""`caunoi apikey create|list|revoke` and `caunoi jurisdiction set|list|remove`.

A key is printed once, when it is made; only its hash is kept.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(commands: Any) -> None:
    keys = commands.add_parser("apikey", help="Open311 API keys for 311 apps")
    what = keys.add_subparsers(dest="apikey_command", required=True, metavar="WHAT")
    create = what.add_parser("create", help="make a key and print it once")
    create.add_argument("--unit", required=True, help="unit slug, path (a/b) or official code")
    create.add_argument("--name", required=True, help="a label: who or which app uses the key")
    listing = what.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--unit", help="only keys of this unit and the units below it")
    revoke = what.add_parser("revoke", help="stop a key from working")
    revoke.add_argument("key", help="the key's id or its start, as `caunoi apikey list` shows")
    keys.set_defaults(run=_apikey)

    places = commands.add_parser("jurisdiction", help="Open311 jurisdiction_id (domain) per unit")
    what = places.add_subparsers(dest="jurisdiction_command", required=True, metavar="WHAT")
    put = what.add_parser("set", help="give a unit its domain, sent by 311 apps as jurisdiction_id")
    put.add_argument("--unit", required=True, help="unit slug, path (a/b) or official code")
    put.add_argument("--domain", required=True, help="e.g. xadong.gov.vn")
    what.add_parser("list", help="list units and their domains")
    remove = what.add_parser("remove", help="take a unit's domain away")
    remove.add_argument("--unit", required=True)
    places.set_defaults(run=_jurisdiction)


def _unit(text: str) -> Any:
    from caunoi.cli import fail
    from caunoi.open311.selectors import unit_path, units_named

    units = units_named(text)
    if not units:
        fail(f"no unit {text!r}; give its slug, its path of slugs (tinh/xa) or its official code")
    if len(units) > 1:
        paths = ", ".join(unit_path(unit) for unit in units[:5])
        fail(f"several units are called {text!r} ({paths}); give the path instead")
    return units[0]


def _apikey(args: argparse.Namespace) -> int:
    from caunoi.cli import fail, ready

    ready()
    from django.utils import timezone

    from caunoi.open311 import selectors, services

    if args.apikey_command == "create":
        unit = _unit(args.unit)
        try:
            key, raw = services.apikey_create(unit=unit, name=args.name, by=None)
        except services.Open311Error as error:
            fail(str(error))
        print(raw)
        print(
            f"caunoi: key {key.pk} for {unit} ({selectors.unit_path(unit)}); "
            "this is the only time it is shown — give it to the app now",
            flush=True,
        )
        return 0
    if args.apikey_command == "list":
        unit = _unit(args.unit) if args.unit else None
        keys = list(selectors.key_list(unit=unit))
        if not keys:
            print("caunoi: no keys yet; make one with `caunoi apikey create --unit ... --name ...`")
            return 0
        for key in keys:

            def when(moment: Any) -> str:
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"

            state = f"revoked {when(key.revoked_at)}" if key.revoked_at else "active"
            print(
                f"{key.pk:>5}  {key.prefix}…  {selectors.unit_path(key.unit)}  {key.name}  "
                f"created {when(key.created_at)}  last used {when(key.last_used_at)}  {state}"
            )
        return 0
    found = selectors.key_by_label(args.key)
    if not found:
        fail(f"no key {args.key!r}; `caunoi apikey list` shows each key's id and start")
    if len(found) > 1:
        fail(f"{args.key!r} matches {len(found)} keys; give the id from `caunoi apikey list`")
    try:
        services.apikey_revoke(key=found[0], by=None)
    except services.Open311Error as error:
        fail(str(error))
    print(f"caunoi: key {found[0].pk} ({found[0].name}) is revoked; it stops working now")
    return 0


def _jurisdiction(args: argparse.Namespace) -> int:
    from caunoi.cli import fail, ready

    ready()
    from caunoi.open311 import selectors, services

    if args.jurisdiction_command == "list":
        rows = list(selectors.jurisdiction_list())
        if not rows:
            print("caunoi: no unit has a domain yet; `caunoi jurisdiction set --unit ... --domain`")
        for row in rows:
            print(f"{row.domain}  {selectors.unit_path(row.unit)}  {row.unit}")
        return 0
    unit = _unit(args.unit)
    try:
        if args.jurisdiction_command == "set":
            done = services.jurisdiction_set(unit=unit, domain=args.domain, by=None)
            print(f"caunoi: {unit} answers Open311 requests for jurisdiction_id={done.domain}")
        else:
            services.jurisdiction_remove(unit=unit, by=None)
            print(f"caunoi: {unit} no longer has an Open311 domain")
    except services.Open311Error as error:
        fail(str(error))
    return 0
