"""Several rows written in one round trip to the database.

A hot write path (a citizen's report) inserts a few rows whose ids nobody reads back: its
history line, its audit entry, its notification task. Saved one by one, each is a round trip
to the database, which costs the web process and PostgreSQL more CPU than building the row.
`insert_together` writes them, and more statements (a counter upsert), as one
statement on PostgreSQL, each insert a data-modifying WITH part: all of it happens, or none,
in the caller's transaction. Elsewhere (SQLite, in process, no round trip to save) they are
executed one after the other.

The SQL is Django's own (the model's insert compiler: defaults, auto_now_add, JSON and
encrypted fields are prepared exactly as `save()` would), and pre_save and post_save are sent
as `save()` sends them. The model's own `save()`, if it has one, is not called (use it only
for models whose save adds nothing to a new row, as AuditEntry's guard against edits), and the
rows' ids are not read back (pk stays None unless it was set, as a UUID key is), so only for
rows nobody needs the id of. `insert_returning_pk` is `save()` for a new row whose id is
needed, in one round trip without the compiler's per-row work.

On PostgreSQL the combined statement is a prepared one where the connection allows it
(`prepare_threshold` set, see core.config.database_from_url): the server parses and plans it
once per connection instead of for every report, and the values travel apart from the text,
so the client does not quote them into it.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, signals
from django.db.models.sql import InsertQuery

Statement = tuple[str, Sequence[Any]]


def insert_statement(obj: Model, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """The INSERT that `obj.save()` would run for a new row, without RETURNING (pre_save is
    sent first, as `save()` sends it)."""
    signals.pre_save.send(
        sender=type(obj), instance=obj, raw=False, using=using, update_fields=None
    )
    return _insert(obj, using, returning=False)


def insert_returning_pk(obj: Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """`obj.save()` for a new row whose model has no save() of its own: the same INSERT ...
    RETURNING, the same signals, without the query compiler's per-row work (its SQL text is
    made once per model and set of columns)."""
    meta = obj._meta
    connection = connections[using]
    if (
        type(obj).save is not Model.save
        or meta.parents
        or meta.order_with_respect_to
        or not connection.features.can_return_columns_from_insert
    ):
        obj.save(force_insert=True, using=using)
        return
    signals.pre_save.send(
        sender=type(obj), instance=obj, raw=False, using=using, update_fields=None
    )
    sql, params = _insert(obj, using, returning=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    returning = meta.db_returning_fields
    assert row is not None
    assert len(row) == len(returning)
    for value, field in zip(row, returning, strict=True):
        for convert in field.get_db_converters(connection):
            value = convert(value, field, connection)
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = using
    signals.post_save.send(
        sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using
    )


_texts: dict[tuple[str, str, tuple[str, ...], bool], str] = {}


def _insert(obj: Model, using: str, *, returning: bool) -> Statement:
    """What the insert compiler makes of one row: each field's pre_save and get_db_prep_save,
    one %s per value. Rows with a value it would compile itself (an expression, a database
    default, a field with its own placeholder) go through the compiler."""
    meta = obj._meta
    connection = connections[using]
    # What save() does first: a related object saved since it was assigned gives its id.
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    pk_set = obj.pk is not None
    fields = [
        f
        for f in meta.local_concrete_fields
        if not f.generated and (pk_set or f is not meta.auto_field)
    ]
    params = []
    for field in fields:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            return _compiled(obj, fields, using, returning=returning)
        params.append(field.get_db_prep_save(value, connection=connection))
    columns = tuple(str(f.column) for f in fields)
    key = (using, meta.label, columns, returning)
    text = _texts.get(key)
    if text is None:
        quote = connection.ops.quote_name
        # Names quoted by the database backend, every value a parameter.
        text = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        if returning:
            ops: Any = connection.ops  # return_insert_columns: where the backend has RETURNING
            clause, _none = ops.return_insert_columns(meta.db_returning_fields)
            text += f" {clause}"
        _texts[key] = text
    return text, params


def _compiled(obj: Model, fields: list[Any], using: str, *, returning: bool) -> Statement:
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj], raw=False)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = obj._meta.db_returning_fields if returning else None
    [(sql, params)] = compiler.as_sql()
    return sql, params


def insert_together(
    objs: Sequence[Model], *, more: Sequence[Statement] = (), using: str = DEFAULT_DB_ALIAS
) -> None:
    """Insert `objs` (new rows, ids not read back) and run the `more` statements (inserts or
    upserts touching rows of their own), in one statement on PostgreSQL."""
    statements = [insert_statement(obj, using) for obj in objs]
    statements += more
    if not statements:
        return
    connection = connections[using]
    with prepared_cursor(connection) as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            for sql, params in statements:
                cursor.execute(sql, params)
        else:
            *parts, (last_sql, last_params) = statements
            sql = "WITH " + ", ".join(f"w{n} AS ({part})" for n, (part, _p) in enumerate(parts))
            params = [value for _part, values in parts for value in values]
            cursor.execute(f"{sql} {last_sql}", [*params, *last_params])
    for obj in objs:
        obj._state.db = using
        if obj.pk is not None:
            obj._state.adding = False
        signals.post_save.send(
            sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using
        )


def prepared_cursor(connection: Any) -> Any:
    """Django's cursor (health check, debug log, errors as Django's); on a PostgreSQL
    connection that allows prepared statements, one whose statements are prepared: only for
    statements run again and again, with values that change (their text must not)."""
    cursor = connection.cursor()
    raw = connection.connection
    if connection.vendor != "postgresql" or getattr(raw, "prepare_threshold", None) is None:
        return cursor
    cursor.close()
    prepared = _prepared_cursor_class()(raw)
    if connection.queries_logged:
        return connection.make_debug_cursor(prepared)
    return connection.make_cursor(prepared)


@functools.cache
def _prepared_cursor_class() -> type:
    import psycopg

    class PreparedCursor(psycopg.Cursor[Any]):
        """Binds values on the server and prepares every statement it runs: only for the
        few statements that run again and again with new values."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs["prepare"] = True
            return super().execute(query, params, **kwargs)

        def _send_query_prepared(self, name: bytes, pgq: Any, **kwargs: Any) -> None:
            # psycopg remembers the statement it ran (Django's query log and debug tools
            # read it) only when it sends the text; a prepared run sends just the name.
            super()._send_query_prepared(name, pgq, **kwargs)
            self._query = pgq

    return PreparedCursor


_BLOCK = 50
_reserved: dict[tuple[int, str, str], list[int]] = {}
_reserving = threading.Lock()


def reserved_pk(model: type[Model], using: str = DEFAULT_DB_ALIAS) -> int | None:
    """An id for a new row of `model`, drawn from its PostgreSQL sequence ahead of time, a block
    at a time (one round trip per block), so that the row and the rows that point to it can be
    written in one statement. Ids are unique as the sequence's own are, but rows of different
    processes are no longer numbered in the order they were written. None on SQLite."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    meta = model._meta
    key = (os.getpid(), using, meta.label)
    with _reserving:
        free = _reserved.setdefault(key, [])
        if not free:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, str(meta.pk.column), _BLOCK],
                )
                free.extend(sorted((int(row[0]) for row in cursor.fetchall()), reverse=True))
        return free.pop()


# psycopg parses a statement's %s placeholders once and remembers the result (an LRU of 128
# statements), but only for statements of at most 50 parameters; a report's one statement has
# about 75, so it was parsed again for every report (about 0.1 ms of CPU each, measured). The
# limit is a module constant of psycopg's, with no setting for it: raised here, once.
_PSYCOPG_CACHED_PARAMS = 200


def cache_long_statements() -> None:
    """Let psycopg remember the parsing of statements of up to 200 parameters (CoreConfig)."""
    try:
        from psycopg import _queries
    except ImportError:  # pragma: no cover - SQLite-only installs
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", _PSYCOPG_CACHED_PARAMS) < (
        _PSYCOPG_CACHED_PARAMS
    ):
        _queries.MAX_CACHED_STATEMENT_PARAMS = _PSYCOPG_CACHED_PARAMS
