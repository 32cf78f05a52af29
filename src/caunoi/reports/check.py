"""Proving the roll-up counters agree with the raw data: each counted section recounts its raw
rows, the recount is rolled up the tree the same way `count` does, and every difference is
listed (and, when asked, repaired).

The check streams, so it runs in bounded memory on a province of 10,000 units with tens of
millions of counter rows. The days are taken in windows; within a window, the tree is cut into
batches of whole small subtrees (a few hundred units), checked from their raw rows alone, and
the few large units above them ("upper" units) are checked deepest first from their own raw
rows plus what their children should hold (their counters, corrected by the differences just
found). Only one batch, or one upper unit, is in memory at a time."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet, Sum

from caunoi.core.models import Unit
from caunoi.reports.counters import UPSERT
from caunoi.reports.models import Count
from caunoi.reports.sections import CountedSection, counted_sections

FIRST_DAY = date(2000, 1, 1)
BATCH_UNITS = 300  # units per batch of whole subtrees
WINDOW_DAYS = 366  # days per window

Where = tuple[int, str, date]


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


@dataclass
class Summary:
    differences: int = 0
    examples: list[Difference] = field(default_factory=list)  # the first few
    repaired: bool = False


Progress = Callable[[int, int], None]  # (steps done, steps in all)


def _keys() -> tuple[set[str], tuple[str, ...]]:
    keys = {k for s in counted_sections() for k in s.counter_keys}
    prefixes = tuple(p for s in counted_sections() for p in getattr(s, "counter_prefixes", ()))
    return keys, prefixes


def _matching(keys: set[str], prefixes: tuple[str, ...]) -> Q:
    found = Q(key__in=sorted(keys))
    for prefix in prefixes:
        found |= Q(key__startswith=prefix)
    return found


def _wanted(key: str, keys: set[str], prefixes: tuple[str, ...]) -> bool:
    return key in keys or key.startswith(prefixes)


def _span(start: date, end: date, keys: set[str], prefixes: tuple[str, ...]) -> list[date]:
    """The first and last day that holds counters or raw data, within [start, end]."""
    found = Count.objects.filter(_matching(keys, prefixes)).aggregate(
        first=Min("day"), last=Max("day")
    )
    days = [d for d in (found["first"], found["last"]) if d is not None]
    for section in counted_sections():
        span = section.recount_span() if hasattr(section, "recount_span") else (start, end)
        if span is not None:
            days += list(span)
    return [max(start, min(days)), min(end, max(days))] if days else []


def _windows(first: date, last: date, days: int) -> list[tuple[date, date]]:
    found = []
    while first <= last:
        found.append((first, min(last, first + timedelta(days=days - 1))))
        first += timedelta(days=days)
    return found


@dataclass
class _Tree:
    """The unit tree cut for the check: batches of whole subtrees, and the units above them."""

    batches: list[list[tuple[int, str]]]  # (id, path) of every unit of the batch's subtrees
    upper: list[tuple[int, str, int]]  # (id, path, depth), deepest first
    children: dict[int, list[int]]  # of each upper unit


def _tree(batch_units: int) -> _Tree:
    rows = list(Unit.objects.order_by("path").values_list("id", "path", "depth", "numchild"))
    size: dict[str, int] = Counter()
    step = Unit.steplen
    for _pk, path, _depth, _n in rows:
        for n in range(step, len(path) + 1, step):
            size[path[:n]] += 1
    by_path = {path: (pk, depth) for pk, path, depth, _n in rows}
    batches: list[list[tuple[int, str]]] = []
    upper: list[tuple[int, str, int]] = []
    children: dict[int, list[int]] = defaultdict(list)
    current: list[tuple[int, str]] = []
    inside = ""  # the path of the subtree being added to `current`
    for pk, path, depth, _n in rows:
        if inside and path.startswith(inside):
            current.append((pk, path))
            continue
        inside = ""
        parent = by_path.get(path[:-step]) if depth > 1 else None
        if parent is not None:
            children[parent[0]].append(pk)
        if size[path] > batch_units:
            upper.append((pk, path, depth))
            continue
        if current and len(current) + size[path] > batch_units:
            batches.append(current)
            current = []
        current.append((pk, path))
        inside = path
    if current:
        batches.append(current)
    upper.sort(key=lambda u: -u[2])
    return _Tree(batches, upper, dict(children))


def _recount(
    sections: Sequence[CountedSection], start: date, end: date, unit_ids: list[int]
) -> Counter[Where]:
    found: Counter[Where] = Counter()
    for section in sections:
        for row in section.recount(start=start, end=end, unit_ids=unit_ids):
            found[(row.unit_id, row.key, row.day)] += row.value
    return found


def _counted(rows: QuerySet[Count]) -> Iterator[tuple[int, str, date, int]]:
    """Each counter's value: the sum of its shards."""
    return (
        rows.values_list("unit_id", "key", "day")
        .annotate(total=Sum("value"))
        .order_by()
        .iterator(chunk_size=10_000)
    )


def _compare(
    expected: Counter[Where],
    counted: Iterator[tuple[int, str, date, int]],
    wanted: Callable[[str], bool],
) -> list[Difference]:
    found = []
    for unit_id, key, day, value in counted:
        if not wanted(key):
            continue
        value = int(value)
        raw = expected.pop((unit_id, key, day), 0)
        if raw != value:
            found.append(Difference(unit_id, key, day, value, raw))
    found += [Difference(u, k, d, 0, raw) for (u, k, d), raw in expected.items() if raw]
    return found


def iter_differences(
    *,
    start: date = FIRST_DAY,
    end: date | None = None,
    batch_units: int = BATCH_UNITS,
    window_days: int = WINDOW_DAYS,
    progress: Progress = lambda done, total: None,
    repair_found: bool = False,
) -> Iterator[list[Difference]]:
    """The differences, one batch (or one upper unit) of one window at a time; with
    `repair_found`, each batch is repaired before the next is read."""
    end = end or date.today().replace(year=date.today().year + 1)
    keys, prefixes = _keys()
    sections = counted_sections()
    span = _span(start, end, keys, prefixes)
    if not span or not sections:
        progress(1, 1)
        return
    tree = _tree(batch_units)
    windows = _windows(span[0], span[1], window_days)
    total = len(windows) * (len(tree.batches) + len(tree.upper))
    done = 0
    matching = _matching(keys, prefixes)
    roots = {c for pk, _p, _d in tree.upper for c in tree.children.get(pk, [])}

    def wanted(key: str) -> bool:
        return _wanted(key, keys, prefixes)

    step = Unit.steplen
    for first, last in windows:
        # What each upper unit receives from below: its children's counters + their fixes.
        fixes: dict[int, Counter[tuple[str, date]]] = defaultdict(Counter)
        for batch in tree.batches:
            ids = [pk for pk, _path in batch]
            by_path = {path: pk for pk, path in batch}
            paths = dict(batch)
            rolled: Counter[Where] = Counter()
            for (unit_id, key, day), n in _recount(sections, first, last, ids).items():
                path = paths[unit_id]
                for cut in range(step, len(path) + 1, step):
                    ancestor = by_path.get(path[:cut])
                    if ancestor is not None:
                        rolled[(ancestor, key, day)] += n
            counted = _counted(
                Count.objects.filter(matching, unit_id__in=ids, day__range=(first, last))
            )
            found = _compare(rolled, counted, wanted)
            _settle(found, fixes, roots, repair_found)
            done += 1
            progress(done, total)
            yield found
        for pk, _path, _depth in tree.upper:
            own = _recount(sections, first, last, [pk])
            should: Counter[Where] = Counter({(pk, k, d): n for (_u, k, d), n in own.items()})
            below = (
                Count.objects.filter(
                    matching, unit_id__in=tree.children.get(pk, []), day__range=(first, last)
                )
                .values_list("key", "day")
                .annotate(total=Sum("value"))
                .order_by()
            )
            for key, day, n in below.iterator(chunk_size=10_000):
                if wanted(key):
                    should[(pk, key, day)] += int(n)
            for child in tree.children.get(pk, []):
                for (key, day), n in fixes.pop(child, Counter()).items():
                    should[(pk, key, day)] += n
            counted = _counted(Count.objects.filter(matching, unit_id=pk, day__range=(first, last)))
            found = _compare(should, counted, wanted)
            _settle(found, fixes, roots, repair_found)
            done += 1
            progress(done, total)
            yield found


def _settle(
    found: list[Difference],
    fixes: dict[int, Counter[tuple[str, date]]],
    roots: set[int],
    repair_found: bool,
) -> None:
    """Repair what was found now, or remember how the counters of units whose parent is checked
    later are off, so the parent is compared with what they should hold."""
    if repair_found:
        if found:
            repair(found)
        return
    for d in found:
        if d.unit_id in roots:
            fixes[d.unit_id][(d.key, d.day)] += d.raw - d.counted


def differences(*, start: date = FIRST_DAY, end: date | None = None) -> list[Difference]:
    """Every difference, in one list (for tests and small offices; the command streams)."""
    found = [d for batch in iter_differences(start=start, end=end) for d in batch]
    return sorted(found, key=lambda d: (d.key, d.day, d.unit_id))


def check(
    *,
    start: date = FIRST_DAY,
    end: date | None = None,
    repair_found: bool = False,
    examples: int = 50,
    progress: Progress = lambda done, total: None,
    batch_units: int = BATCH_UNITS,
    window_days: int = WINDOW_DAYS,
) -> Summary:
    """Compare batch by batch, repairing each batch as it is found when asked."""
    summary = Summary(repaired=repair_found)
    for found in iter_differences(
        start=start,
        end=end,
        progress=progress,
        batch_units=batch_units,
        window_days=window_days,
        repair_found=repair_found,
    ):
        summary.differences += len(found)
        summary.examples += found[: max(0, examples - len(summary.examples))]
    return summary


@transaction.atomic
def repair(found: list[Difference]) -> None:
    """Set each differing counter to what the raw data says (each difference is already per
    unit, ancestors included, so each moves by itself only), by adding the difference to its
    shard 0."""
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, [(d.unit_id, d.key, d.day, 0, d.raw - d.counted) for d in found])
