"""Proving the roll-up counters agree with the raw data: each counted section recounts its raw
rows, the recount is rolled up the tree the same way `count` does, and every difference is
listed (and, when asked, repaired)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from caunoi.core.models import Unit
from caunoi.reports.counters import UPSERT, ancestor_ids
from caunoi.reports.models import Count
from caunoi.reports.sections import counted_sections

FIRST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class Difference:
    unit_id: int
    key: str
    day: date
    counted: int  # what the counters say
    raw: int  # what the raw data says

    def __str__(self) -> str:
        return (
            f"unit {self.unit_id} {self.key} {self.day.isoformat()}: "
            f"counted {self.counted}, raw data {self.raw}"
        )


def _expected(start: date, end: date, keys: set[str]) -> dict[tuple[int, str, date], int]:
    raw = [r for s in counted_sections() for r in s.recount(start=start, end=end)]
    units = Unit.objects.filter(pk__in={r.unit_id for r in raw}).only("id", "path")
    chains = ancestor_ids(units)
    expected: dict[tuple[int, str, date], int] = defaultdict(int)
    for row in raw:
        if row.key not in keys:
            continue
        for unit_id in chains.get(row.unit_id, [row.unit_id]):
            expected[(unit_id, row.key, row.day)] += row.value
    return expected


def differences(*, start: date = FIRST_DAY, end: date | None = None) -> list[Difference]:
    end = end or date.today().replace(year=date.today().year + 1)
    keys = {k for s in counted_sections() for k in s.counter_keys}
    expected = _expected(start, end, keys)
    counted = {
        (u, k, d): v
        for u, k, d, v in Count.objects.filter(key__in=keys, day__range=(start, end)).values_list(
            "unit_id", "key", "day", "value"
        )
    }
    found = []
    for where in sorted(set(expected) | set(counted), key=lambda w: (w[1], w[2], w[0])):
        if expected.get(where, 0) != counted.get(where, 0):
            unit_id, key, day = where
            found.append(
                Difference(unit_id, key, day, counted.get(where, 0), expected.get(where, 0))
            )
    return found


@transaction.atomic
def repair(found: list[Difference]) -> None:
    """Set each differing counter to what the raw data says (each difference is already per
    unit, ancestors included, so each moves by itself only)."""
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, [(d.unit_id, d.key, d.day, d.raw - d.counted) for d in found])
