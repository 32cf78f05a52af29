"""Reading and writing the roll-up counters (see models.Count).

Apps call `count` (or `count_many`) in the same transaction as the write it counts, so the
counter and the raw row commit or roll back together; sections read subtree totals back with
`totals`, `totals_by_unit` and `monthly`.

A counter is the sum of its shards' rows. Each PostgreSQL connection adds to its own shard, so
two reports committing at the same moment never queue on one row lock held across the other's
commit (which would cap a busy intake at one commit per disk flush); readers sum the shards,
and `fold` (run by the worker every hour) merges past days into shard 0 so reads stay small."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Sum

from caunoi.core.models import Unit
from caunoi.reports.models import Count
from caunoi.reports.sections import Period

STEP = Unit.steplen

UPSERT = (
    "INSERT INTO reports_count (unit_id, key, day, shard, value) VALUES (%s, %s, %s, %s, %s) "
    "ON CONFLICT (unit_id, key, day, shard) "
    "DO UPDATE SET value = reports_count.value + excluded.value"
)
# The same on PostgreSQL with one array per column: one statement text whatever the number of
# rows, so the driver parses it once per process and the server plans it cheaply.
UPSERT_ARRAYS = (
    "INSERT INTO reports_count (unit_id, key, day, shard, value) "
    "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::date[], %s::smallint[], %s::bigint[]) "
    "ON CONFLICT (unit_id, key, day, shard) "
    "DO UPDATE SET value = reports_count.value + excluded.value"
)
# More shards than a server has connections, so that connections seldom share one.
SHARDS = 32


def shard() -> int:
    """This connection's shard: PostgreSQL's backend process id (unique among open connections,
    known without a query) modulo SHARDS; SQLite writes one at a time, so always 0."""
    if connection.vendor != "postgresql":
        return 0
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid) % SHARDS


def ancestor_ids(units: Iterable[Unit]) -> dict[int, list[int]]:
    """Each unit's id with the ids of all its ancestors (itself included), one query."""
    units = list(units)
    prefixes = {str(u.path)[:n] for u in units for n in range(STEP, len(str(u.path)) + 1, STEP)}
    by_path = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "id"))
    return {
        u.pk: [by_path[str(u.path)[:n]] for n in range(STEP, len(str(u.path)) + 1, STEP)]
        for u in units
    }


def count(
    *,
    unit: Unit,
    key: str,
    day: date,
    amount: int = 1,
    chains: Mapping[int, list[int]] | None = None,
) -> None:
    """Add `amount` (negative to take back) to `key` on `day` for `unit` and its ancestors.
    `chains` is what `ancestor_ids` returned for the unit, when the caller already has it."""
    count_many([(unit, key, day, amount)], chains=chains)


def count_many(
    rows: Sequence[tuple[Unit, str, date, int]], *, chains: Mapping[int, list[int]] | None = None
) -> None:
    """Several `count` calls at once; rows for the same unit, key and day are summed first."""
    with connection.cursor() as cursor:
        for sql, params in count_statements(rows, chains=chains):
            cursor.execute(sql, params)


def count_statements(
    rows: Sequence[tuple[Unit, str, date, int]], *, chains: Mapping[int, list[int]] | None = None
) -> list[tuple[str, list[Any]]]:
    """The upserts `count_many` runs, for a caller that sends them with its own statement
    (core.inserts.insert_together)."""
    if not rows:
        return []
    if chains is None or any(r[0].pk not in chains for r in rows):
        chains = ancestor_ids({r[0].pk: r[0] for r in rows}.values())
    summed: dict[tuple[int, str, date], int] = defaultdict(int)
    for unit, key, day, amount in rows:
        for unit_id in chains[unit.pk]:
            summed[(unit_id, key, day)] += amount
    # Rows in a fixed order, so that two transactions counting the same rows of one shard
    # lock them in the same order.
    mine = shard()
    values = sorted((u, k, d, mine, v) for (u, k, d), v in summed.items() if v)
    if not values:
        return []
    if connection.vendor == "postgresql":
        return [(UPSERT_ARRAYS, [_array(column) for column in zip(*values, strict=True)])]
    return [
        (_upsert_rows(len(batch)), [field for row in batch for field in row])
        for batch in (values[n : n + _BATCH] for n in range(0, len(values), _BATCH))
    ]


_BATCH = 500


def _array(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal, each element quoted ('{"1","feedback.received"}'): one
    text value for the statement's ::type[] cast to read, where a Python list has the driver
    find and dump a type for every element (a measurable part of a report's CPU)."""
    quoted = (str(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"


def _upsert_rows(count: int) -> str:
    return UPSERT.replace("(%s, %s, %s, %s, %s)", ", ".join(["(%s, %s, %s, %s, %s)"] * count))


def fold(*, before: date) -> int:
    """Merge the other shards of every day before `before` into shard 0 (one statement, so the
    totals never change, whoever reads or writes meanwhile). Returns the rows folded."""
    if connection.vendor != "postgresql":
        return _fold_one_writer(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH moved AS (DELETE FROM reports_count WHERE shard <> 0 AND day < %s "
            "RETURNING unit_id, key, day, value), "
            "merged AS (INSERT INTO reports_count (unit_id, key, day, shard, value) "
            "SELECT unit_id, key, day, 0, sum(value) FROM moved GROUP BY unit_id, key, day "
            "ORDER BY unit_id, key, day "
            "ON CONFLICT (unit_id, key, day, shard) "
            "DO UPDATE SET value = reports_count.value + excluded.value) "
            "SELECT count(*) FROM moved",
            [before],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _fold_one_writer(before: date) -> int:
    """`fold` where writes take turns (SQLite): read, add to shard 0, delete, in one
    transaction."""
    with transaction.atomic():
        rows = list(
            Count.objects.filter(day__lt=before)
            .exclude(shard=0)
            .values_list("pk", "unit_id", "key", "day", "value")
        )
        summed: dict[tuple[int, str, date], int] = defaultdict(int)
        for _pk, unit_id, key, day, value in rows:
            summed[(unit_id, key, day)] += value
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT, [(u, k, d, 0, v) for (u, k, d), v in sorted(summed.items())])
        Count.objects.filter(pk__in=[r[0] for r in rows]).delete()
    return len(rows)


def totals(*, unit: Unit, period: Period, keys: Sequence[str]) -> dict[str, int]:
    """Each key's total over `unit`'s whole subtree in `period` (0 when nothing happened)."""
    found = dict(
        Count.objects.filter(unit=unit, key__in=keys, day__range=(period.start, period.end))
        .values("key")
        .annotate(total=Sum("value"))
        .values_list("key", "total")
    )
    return {key: int(found.get(key) or 0) for key in keys}


def totals_by_unit(
    *, units: Sequence[Unit], period: Period, keys: Sequence[str]
) -> dict[int, dict[str, int]]:
    """`totals` for several units (each with its own subtree) in one query."""
    result: dict[int, dict[str, int]] = {u.pk: dict.fromkeys(keys, 0) for u in units}
    rows = (
        Count.objects.filter(
            unit__in=[u.pk for u in units], key__in=keys, day__range=(period.start, period.end)
        )
        .values("unit_id", "key")
        .annotate(total=Sum("value"))
        .values_list("unit_id", "key", "total")
    )
    for unit_id, key, total in rows:
        result[unit_id][key] = int(total or 0)
    return result


def monthly(*, unit: Unit, period: Period, keys: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per month ("2026-03") of `period`, each key's subtree total: for charts over time."""
    months: dict[str, dict[str, int]] = {}
    cursor = date(period.start.year, period.start.month, 1)
    while cursor <= period.end:
        months[f"{cursor:%Y-%m}"] = dict.fromkeys(keys, 0)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    rows = Count.objects.filter(
        unit=unit, key__in=keys, day__range=(period.start, period.end)
    ).values_list("key", "day", "value")
    for key, day, value in rows:
        months[f"{day:%Y-%m}"][key] += value
    return months


def _matching(keys: Sequence[str], prefixes: Sequence[str]) -> Q:
    found = Q(key__in=list(keys)) if keys else Q(pk__in=[])
    for prefix in prefixes:
        found |= Q(key__startswith=prefix)
    return found


def by_key(
    *, units: Sequence[Unit], period: Period, keys: Sequence[str] = (), prefixes: Sequence[str] = ()
) -> dict[int, dict[str, int]]:
    """Each unit's subtree total of every key named, or starting with a prefix, in one grouped
    query: {unit id: {key: total}} (keys that never happened are absent)."""
    result: dict[int, dict[str, int]] = {u.pk: {} for u in units}
    rows = (
        Count.objects.filter(
            _matching(keys, prefixes),
            unit__in=[u.pk for u in units],
            day__range=(period.start, period.end),
        )
        .values("unit_id", "key")
        .annotate(total=Sum("value"))
        .values_list("unit_id", "key", "total")
        .order_by()
    )
    for unit_id, key, total in rows:
        if total:
            result[unit_id][key] = int(total)
    return result


def by_day(
    *, unit: Unit, period: Period, keys: Sequence[str] = (), prefixes: Sequence[str] = ()
) -> dict[str, dict[date, int]]:
    """The subtree's counters day by day: {key: {day: value}}, for charts over time."""
    result: dict[str, dict[date, int]] = defaultdict(dict)
    rows = Count.objects.filter(
        _matching(keys, prefixes), unit=unit, day__range=(period.start, period.end)
    ).values_list("key", "day", "value")
    for key, day, value in rows.iterator(chunk_size=5000):
        if value:
            result[key][day] = result[key].get(day, 0) + value
    return {key: {day: n for day, n in days.items() if n} for key, days in result.items()}
