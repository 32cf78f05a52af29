"""Small-group protection for published counts (docs/surveys.md explains the rule).

Every table is built over all answers of a survey, with "no answer" as a category of its own,
so every published number is the size of a group of answers. The rule:

1. Primary: a category with fewer than k answers (but more than none) is never published alone.
2. Secondary, by merging: the small categories of a question are merged into one group; if the
   merged group still has fewer than k, the smallest other category joins it, until it has k.
   In a cross-tabulation, every column (a group of the breakdown) with a cell of 1..k-1 joins
   one merged column; the smallest other columns join it until all its cells are 0 or >= k.

So no cell is blanked: every published cell, total and difference of totals is a sum of whole
published cells, each 0 or >= k, and a merged column is never a single hidden group that a
total minus the others would give back. A question with several answers per person
(select_multiple) cannot merge options (a count of "a or b" is not a sum), so an option is
published only when both the people who chose it and those who did not are 0 or >= k.

3. One merging of units per survey: every breakdown by unit (each question's cross-tab, the
   results per unit) uses the same merged columns, chosen so every question's cells in them are
   clean. Per-question merges would publish two different totals for overlapping sets of units
   (units 1+2 in one table, unit 1 alone in another), and their difference is unit 2's count.

Beyond sums and differences, bounds: a hidden cell inside a merged group is only known to lie
between 0 and the smallest published count that contains it, which is >= k, so a reader
cannot even tell that it is small (tests/surveys/test_protection.py solves the linear
programme a reader would)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


def clean(n: int, k: int) -> bool:
    return n == 0 or n >= k


@dataclass
class Grouping:
    """Categories in publishing order; each group is a list of original categories."""

    groups: list[list[str]]
    dropped: list[str]  # select_multiple options not published at all

    def group_of(self) -> dict[str, int]:
        return {c: i for i, group in enumerate(self.groups) for c in group}


def recode(
    counts: dict[str, int], order: Sequence[str], k: int, *, multi: bool = False, total: int = 0
) -> Grouping:
    """Groups of one question's categories such that every group's count is 0 or >= k."""
    if multi:
        kept = [
            c for c in order if clean(counts.get(c, 0), k) and clean(total - counts.get(c, 0), k)
        ]
        return Grouping([[c] for c in kept], [c for c in order if c not in kept])
    small = [c for c in order if not clean(counts.get(c, 0), k)]
    rest = [c for c in order if c not in small]
    while small and sum(counts.get(c, 0) for c in small) < k and rest:
        candidates = [c for c in rest if counts.get(c, 0) > 0] or rest
        smallest = min(candidates, key=lambda c: (counts.get(c, 0), order.index(c)))
        rest.remove(smallest)
        small.append(smallest)
    groups = [[c] for c in rest]
    if small:
        groups.append(sorted(small, key=order.index))
    return Grouping(groups, [])


def column_fine(
    cells: Sequence[int], total: int, k: int, *, multi: bool | Sequence[bool] = False
) -> bool:
    """A column may be published as it is: its total and cells are 0 or >= k, and where rows
    overlap (`multi`, for all rows or per row) so are the cells' complements."""
    overlaps = [multi] * len(cells) if isinstance(multi, bool) else list(multi)
    if not clean(total, k):
        return False
    return all(
        clean(x, k) and (not overlap or clean(total - x, k))
        for x, overlap in zip(cells, overlaps, strict=True)
    )


def pool_columns(
    cells: dict[str, list[int]],
    totals: dict[str, int],
    order: Sequence[str],
    k: int,
    *,
    multi: bool | Sequence[bool] = False,
) -> list[list[str]]:
    """Columns (groups of a breakdown) merged so every cell and column total is 0 or >= k.

    `cells[column]` holds one count per published row; where a row may overlap others
    (select_multiple: `multi` true, for all rows or per row) the row's complement (the column
    total minus the cell) must be clean too."""
    width = len(next(iter(cells.values()))) if cells else 0

    def fine(column_cells: Sequence[int], total: int) -> bool:
        return column_fine(column_cells, total, k, multi=multi)

    pooled = [c for c in order if not fine(cells[c], totals[c])]
    rest = [c for c in order if c not in pooled]

    def merged() -> tuple[list[int], int]:
        return (
            [sum(cells[c][i] for c in pooled) for i in range(width)],
            sum(totals[c] for c in pooled),
        )

    while pooled and rest and not fine(*merged()):
        smallest = min(rest, key=lambda c: (totals[c], order.index(c)))
        rest.remove(smallest)
        pooled.append(smallest)
    groups = [[c] for c in rest]
    if pooled:
        groups.append(sorted(pooled, key=order.index))
    return groups


def cross_table(
    keyed: Iterable[tuple[str, str, int]],
    row_of: dict[str, int],
    width: int,
    order: Sequence[str],
    expand: Callable[[str], list[str]],
    k: int,
    *,
    multi: bool = False,
) -> tuple[list[list[str]], dict[str, list[int]], dict[str, int]]:
    """A cross-tabulation from (column, stored row value, count) triples: the merged columns,
    each column's cells per row group and each column's total."""
    cells: dict[str, list[int]] = {c: [0] * width for c in order}
    totals: dict[str, int] = dict.fromkeys(order, 0)
    for column, value, n in keyed:
        if column not in cells:
            continue
        totals[column] += n
        for option in expand(value):
            if option in row_of:
                cells[column][row_of[option]] += n
    return pool_columns(cells, totals, order, k, multi=multi), cells, totals
