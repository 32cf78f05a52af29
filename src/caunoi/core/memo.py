"""Settings rows that the intake path reads on every request (API keys, categories and their
questions, unit areas, the holiday calendar, the units tree), remembered per process and
forgotten as soon as any of them changes in the database.

A database trigger on each watched table replaces one number, the settings stamp, in the same
transaction as the change, whoever makes it (a service, the admin, a bulk update, another
machine, raw SQL). A request reads the stamp once (one tiny query) and then uses only what was
remembered under that stamp:

    settings = memo.snapshot()
    category = settings.get(("category", code), lambda: Category.objects.get(code=code))

So a change committed before the stamp was read is always seen; what a request read under an
older stamp is never used by a later one. The stamp is a fresh random number each time (not a
counter), so a change that was rolled back can never bring an old stamp, and what was
remembered under it, back. Remembered objects are shared between threads: read them, never
change them.

Apps name their tables with `watch` in AppConfig.ready(); `install` (run after every migrate)
(re)creates the stamp and the triggers, since SQLite drops a table's triggers when a migration
rebuilds the table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import Field, Model

from caunoi.core.inserts import prepared_cursor

T = TypeVar("T")
_watched: dict[str, tuple[str, ...]] = {}
_lock = threading.Lock()
_current: int | None = None
_remembered: dict[tuple[int, Hashable], Any] = {}
_MISSING = object()


def watch(model: type[Model], *, columns: tuple[str, ...] = ()) -> None:
    """Forget everything remembered when rows of `model` change (only these `columns` of an
    update count, when given; inserts and deletes always do)."""
    fields = [model._meta.get_field(c) for c in columns]
    _watched[model._meta.db_table] = tuple(str(f.column) for f in fields if isinstance(f, Field))


def _postgresql(table: str, columns: tuple[str, ...]) -> list[str]:
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return [
        f"CREATE OR REPLACE TRIGGER caunoi_stamp AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION caunoi_settings_changed()"
    ]


def _sqlite(table: str, columns: tuple[str, ...]) -> list[str]:
    bump = "BEGIN UPDATE caunoi_settings_stamp SET value = random() WHERE id = 1; END"
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    made = []
    for name, event in (("ins", "INSERT"), ("upd", update), ("del", "DELETE")):
        trigger = f"caunoi_stamp_{table}_{name}"
        made += [
            f"DROP TRIGGER IF EXISTS {trigger}",
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} {bump}",
        ]
    return made


def install(using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
    """Create the stamp and a trigger on every watched table that exists (idempotent)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS caunoi_settings_stamp "
                "(id int PRIMARY KEY, value bigint)"
            )
            cursor.execute("INSERT INTO caunoi_settings_stamp VALUES (1, 0) ON CONFLICT DO NOTHING")
            cursor.execute(
                "CREATE OR REPLACE FUNCTION caunoi_settings_changed() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "UPDATE caunoi_settings_stamp SET value = (random() * 9e18)::bigint WHERE id = 1; "
                "RETURN NULL; END $$"
            )
            make = _postgresql
        else:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS caunoi_settings_stamp "
                "(id integer PRIMARY KEY, value int)"
            )
            cursor.execute("INSERT OR IGNORE INTO caunoi_settings_stamp VALUES (1, 0)")
            make = _sqlite
        for table, columns in sorted(_watched.items()):
            if table in existing:
                for statement in make(table, columns):
                    cursor.execute(statement)


class Snapshot:
    """What one request may use: things remembered under the stamp it read."""

    def __init__(self, stamp: int) -> None:
        self.stamp = stamp

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The value remembered under `key`, else `load()`. None is never remembered, so
        keys that name nothing (a mistyped or invented api_key) cannot fill the memory."""
        found = _remembered.get((self.stamp, key), _MISSING)
        if found is _MISSING:
            found = load()
            if found is not None:
                _remembered[(self.stamp, key)] = found
        return found


_STAMP = "SELECT value FROM caunoi_settings_stamp WHERE id = 1"


def checked_read(
    connection: Any, sql: str, params: Any = None, *, prepared: bool = False
) -> list[tuple[Any, ...]]:
    """The rows of a read. When it is a request's first statement on a kept connection, this
    read is also the connection's health check (CONN_HEALTH_CHECKS): Django would otherwise
    send `SELECT 1` first, a round trip that costs the web process and PostgreSQL about as
    much as a small read. If the kept connection went stale (the database restarted), it is
    closed and the read runs once more on a new one. `prepared`: see inserts.prepared_cursor."""
    cursor_for = prepared_cursor if prepared else (lambda c: c.cursor())
    if connection.connection is not None and not connection.in_atomic_block:
        connection.health_check_done = True  # this read is the check
        try:
            with cursor_for(connection) as cursor:
                cursor.execute(sql, params)
                return cast(list[tuple[Any, ...]], cursor.fetchall())
        except (OperationalError, InterfaceError):
            connection.close()
    with cursor_for(connection) as cursor:
        cursor.execute(sql, params)
        return cast(list[tuple[Any, ...]], cursor.fetchall())


def snapshot(using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Read the stamp; forget what was remembered under any other."""
    global _current
    rows = checked_read(connections[using], _STAMP, prepared=True)
    stamp = int(rows[0][0]) if rows else 0
    if stamp != _current:
        with _lock:
            _current = stamp
            for key in list(_remembered):
                if key[0] != stamp:
                    _remembered.pop(key, None)
    return Snapshot(stamp)


def forget() -> None:
    """Drop everything remembered (tests, or after restoring a database under a running
    process)."""
    with _lock:
        _remembered.clear()
