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
total minus the others would give back.

3. One merging of units per survey: every breakdown by unit (each question's cross-tab, the
   results per unit) uses the same merged columns, chosen so every question's cells in them are
   clean. Per-question merges would publish two different totals for overlapping sets of units
   (units 1+2 in one table, unit 1 alone in another), and their difference is unit 2's count.

4. Several answers per person (select_multiple). Option counts overlap, and together they
   imply the combination groups: with two options and the number who answered,
   |a and b| = |a| + |b| - answered exactly. So a select_multiple question is treated as the
   single-choice question whose categories are its *combinations*: which of the published
   options an answer holds ("a and b", "only a", "none of them"), with "no answer" as a
   combination of its own while it is published. Options (and "no answer") are dropped one at
   a time until every combination is 0 or >= k (`recode_multi`, decided from the actual
   combination counts); the same options are published in every table. In every breakdown
   the columns are merged by rules 2 and 3 on the combination cells, never on the option
   counts. A breakdown *by* such a question has its combinations as columns, merged as any
   columns are; an option's column is the sum of its combinations and is published only when
   none of them was merged.

Why rule 4 is sound. Within one table every published number (an option's count, "no answer",
a column total) is a sum of whole combination cells of that table, each 0 or >= k. A group
of 1..k-1 answers is then never a sum of such cells; it lies partly in some cell of >= k
whose split the table does not constrain, so a reader can only bound it by 0 and a number
>= k. Across tables, each number published for the question is a sum of numbers that rules
1-3 would publish for its combinations as a single-choice question, so a reader learns no
more than from those. (Dropping options per table instead, to merge fewer columns, leaks:
tests/surveys/test_protection.py keeps the case the solver found.)

5. A cross-tabulation by a question is linked to the results per unit and to the other
   cross-tabulations. Q by B (B a question) merges B's columns on the *joint* cells: Q's
   groups (or combinations) within each group of the survey's one merging of units (rule 3),
   and within each published group (or combination) of every other categorical question C,
   one C at a time. So every (Q group, merged B column, unit group) and every (Q group, merged
   B column, C group) holds 0 or >= k answers, not only every two-way cell; or else every
   column has merged and the table is Q's own counts, published anyway (with all columns
   merged the unit cells are Q by unit, clean by rule 3). Merging on the two-way cells alone
   leaked: B by unit and Q by unit could undo it (a unit all of one answer), and so could
   Q by C and B by C (tests/surveys/test_protection.py keeps both cases).

Why rules 1-5 are sound across all the tables about two questions Q and B: their counts, the
results per unit (every question by the merged units), Q by B and B by Q. Every one of those
numbers depends only on the counts n(q, b, u) of Q's published groups (or kept combinations) q,
B's groups b and the merged units u. Take an answer kind (q, b, u) with n > 0, let M be b's
merged column in Q by B and N q's merged column in B by Q. Within unit group u, the block of
rows N and columns M has row sums n(q', M, u) (clean by rule 5 for Q by B) and column sums
n(N, b', u) (clean by rule 5 for B by Q). Moving answers around a 2 x 2 cycle of that block
(one more (q, b, u) and (q', b', u), one fewer (q, b', u) and (q', b, u)) keeps every row and
column sum of the block, hence every number listed above. Among the whole-number tables with
those sums, one (the north-west corner rule started at (q, b)) has n(q, b, u) = min(row sum,
column sum), both >= n(q, b, u) > 0 and clean, so >= k. So any group of answers that holds an
answer at all can be k or more in some set of answers that gives exactly the same published
numbers: no reader, even one solving for whole numbers, can recover a group of 1..k-1 or show
that it is smaller than k. (A reader may learn a lower bound, which shows no small group.)

Known limit: the argument is a proof for two questions with the units. With a third
question C, the 2 x 2 moves above may change B by C; the C-cells of rule 5 close the leaks
a random search and the property test found there (three questions by units, all tables at
once), but no proof covers three or more questions, nor a reader who combines four or more
questions' tables (docs/surveys.md, "Limits"). The argument also takes the merging as given:
a reader who reasons from why the rule merged what it merged (a column left alone has every
joint cell 0 or >= k; the smallest columns join first) is not modelled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

NO_ANSWER = ""
NONE = " "  # the combination of an answer holding none of the published options
T = TypeVar("T")


def clean(n: int, k: int) -> bool:
    return n == 0 or n >= k


def holds(combination: str, option: str) -> bool:
    """Whether the answers of a combination (select_multiple) chose `option`."""
    if option == NO_ANSWER:
        return combination == NO_ANSWER
    return option in combination.split()


@dataclass
class Grouping:
    """Categories in publishing order; each group is a list of original categories."""

    groups: list[list[str]]
    dropped: list[str]  # select_multiple options not published at all
    kept: frozenset[str] | None = None  # select_multiple: the options published

    def group_of(self) -> dict[str, int]:
        return {c: i for i, group in enumerate(self.groups) for c in group}

    def combination(self, value: str) -> str:
        """select_multiple: the combination a stored answer is in (rule 4)."""
        kept = self.kept or frozenset()
        if value == NO_ANSWER:
            return NO_ANSWER if NO_ANSWER in kept else NONE
        return " ".join(sorted(set(value.split()) & kept)) or NONE


def recode(counts: dict[str, int], order: Sequence[str], k: int) -> Grouping:
    """Groups of one question's categories such that every group's count is 0 or >= k."""
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


def combinations(raw: Mapping[str, int], kept: frozenset[str]) -> Counter[str]:
    """Answers per combination of the `kept` options, from answers per stored value."""
    plan = Grouping([], [], kept)
    found: Counter[str] = Counter()
    for value, n in raw.items():
        if n:
            found[plan.combination(value)] += n
    return found


def narrow(
    items: Sequence[T],
    cells: Callable[[list[T]], Iterable[int]],
    weight: Callable[[T], int],
    k: int,
) -> list[T]:
    """Drop items (options) one at a time until every cell (the counts `cells(kept)`) is
    0 or >= k, each time the one that leaves the fewest answers in cells of 1..k-1 (then the
    fewest such cells; an option nobody chose last; the later option first). Ends at the
    latest with no items left, when the only cells left are whole totals."""
    kept = list(items)

    def cost(item: T) -> tuple[int, int, bool, int]:
        tiny = [n for n in cells([i for i in kept if i != item]) if not clean(n, k)]
        return (sum(tiny), len(tiny), weight(item) == 0, -items.index(item))

    while kept and not all(clean(n, k) for n in cells(kept)):
        kept.remove(min(kept, key=cost))
    return kept


def recode_multi(raw: Mapping[str, int], order: Sequence[str], k: int) -> Grouping:
    """The options of a select_multiple question to publish (rule 4), from the answers per
    stored value ("a c", or "" for no answer): options, and "no answer", are dropped until
    every combination of the ones left is 0 or >= k."""
    kept = narrow(
        order,
        lambda options: combinations(raw, frozenset(options)).values(),
        lambda option: sum(n for value, n in raw.items() if holds(value, option)),
        k,
    )
    return shrink(Grouping([[o] for o in order], [], frozenset(order)), kept)


def shrink(plan: Grouping, kept: Iterable[str]) -> Grouping:
    """A select_multiple question's plan with only `kept` of its options left."""
    keep = set(kept)
    return Grouping(
        [g for g in plan.groups if g[0] in keep],
        plan.dropped + [g[0] for g in plan.groups if g[0] not in keep],
        frozenset(keep),
    )


def pool_columns(
    cells: dict[str, list[int]], totals: dict[str, int], order: Sequence[str], k: int
) -> list[list[str]]:
    """Columns (groups of a breakdown) merged so every cell and column total is 0 or >= k.
    `cells[column]` holds the column's cells that do not overlap (for a select_multiple
    question, its combinations, never its options)."""
    width = len(next(iter(cells.values()))) if cells else 0

    def fine(column_cells: Sequence[int], total: int) -> bool:
        return clean(total, k) and all(clean(x, k) for x in column_cells)

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


def as_lists(found: dict[str, Counter[str]]) -> dict[str, list[int]]:
    """Counters per column as lists over the keys any column has (for `pool_columns`)."""
    keys = sorted({key for counts in found.values() for key in counts})
    return {column: [counts.get(key, 0) for key in keys] for column, counts in found.items()}


def cross_table(
    keyed: Iterable[tuple[str, str, str, int]],
    plan: Grouping,
    order: Sequence[str],
    expand: Callable[[str], list[str]],
    k: int,
    linked: Iterable[tuple[str, str, str, int]] = (),
) -> tuple[list[list[str]], dict[str, list[int]], dict[str, int]]:
    """A cross-tabulation from (column, unit group, stored row value, count): the merged
    columns, each column's cells per row group and each column's total. Columns are merged on
    the joint cells (rule 5): the row question's groups, or its combinations when it is a
    select_multiple one, within each group of the survey's one merging of units, and within
    each group of every other question: `linked` holds (column, "question=group", stored row
    value, count), one question at a time."""
    row_of = plan.group_of()
    width = len(plan.groups)
    cells: dict[str, list[int]] = {c: [0] * width for c in order}
    joint: dict[str, Counter[str]] = {c: Counter() for c in order}
    totals: dict[str, int] = dict.fromkeys(order, 0)

    def rows(value: str) -> list[str]:
        """The joint cells' row keys: the combination, or the row group, of a stored value."""
        if plan.kept is not None:
            return [plan.combination(value)]
        return [str(row_of[o]) for o in expand(value) if o in row_of]

    for column, part, value, n in keyed:
        if column not in cells:
            continue
        totals[column] += n
        for row in rows(value):
            joint[column][f"unit={part}\t{row}"] += n
        for option in expand(value):
            if option in row_of:
                cells[column][row_of[option]] += n
    for column, part, value, n in linked:
        if column in cells:
            for row in rows(value):
                joint[column][f"{part}\t{row}"] += n
    return pool_columns(as_lists(joint), totals, order, k), cells, totals


def option_columns(plan: Grouping, groups: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """A breakdown by a select_multiple question: its columns were its combinations, merged by
    `pool_columns` into `groups`. An option's column (the sum of the combinations holding it)
    is published only when none of them was merged. Returns, per published option, the
    combinations it sums, and the options withheld."""
    alone = {g[0] for g in groups if len(g) == 1}
    every = [c for g in groups for c in g]
    published: list[list[str]] = []
    withheld: list[str] = []
    for (option,) in plan.groups:
        members = [c for c in every if holds(c, option)]
        if all(c in alone for c in members):
            published.append(members)
        else:
            withheld.append(option)
    return published, withheld
