"""Small-group protection as properties (hypothesis): for random answer sets and breakdowns,
no published number is a group of 1..k-1, and no group of 1..k-1 can be recovered from the
published numbers by adding and subtracting them (totals, differences between breakdowns)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from caunoi.surveys.protection import (
    Grouping,
    clean,
    column_fine,
    cross_table,
    pool_columns,
    recode,
)
from tests.surveys.bounds import maximum

PRIME = 2_147_483_647
Q = ["a", "b", "c", ""]  # "" is "no answer"
B = ["x", "y", "z", ""]
U = ["u1", "u2", "u3", "u4"]  # units of the subtree
Atom = tuple[str, str, str]
ATOMS: list[Atom] = list(itertools.product(Q, B, U))
VARIABLES = {0: Q, 1: B, 2: U}


def _publish(answers: Counter[Atom], k: int) -> list[tuple[frozenset[Atom], int]]:
    """Every number the results screen and the exports would publish, each with the set of
    atoms (answer kinds) it counts: the total, each question's categories, every cross-tab in
    both directions. Built with the same functions as caunoi.surveys.results."""
    total = sum(answers.values())
    if total < k:
        return []
    published: list[tuple[frozenset[Atom], int]] = [(frozenset(ATOMS), total)]
    plans: dict[int, Grouping | None] = {}
    for v, order in VARIABLES.items():
        counts = Counter()
        for atom, n in answers.items():
            counts[atom[v]] += n
        plan = recode(dict(counts), order, k) if v != 2 else None
        plans[v] = plan
        if plan is not None:
            for group in plan.groups:
                members = frozenset(a for a in ATOMS if a[v] in group)
                published.append((members, sum(counts[c] for c in group)))
    units = _unit_groups(answers, plans, k)
    for row_v, column_v in itertools.permutations(VARIABLES, 2):
        row_plan = plans[row_v]
        if row_plan is None:
            continue  # units are a breakdown, never a row variable
        if column_v == 2:
            published += _by_units(answers, row_v, row_plan, units)
            continue
        column_plan = plans[column_v]
        column_order = [str(i) for i in range(len(column_plan.groups))] if column_plan else list(U)
        column_of = column_plan.group_of() if column_plan else {u: u for u in U}
        keyed = Counter()
        for atom, n in answers.items():
            keyed[(str(column_of[atom[column_v]]), atom[row_v])] += n
        groups, cells, totals = cross_table(
            [(c, r, n) for (c, r), n in keyed.items()],
            row_plan.group_of(),
            len(row_plan.groups),
            column_order,
            lambda value: [value],
            k,
        )
        for group in groups:
            originals = {
                original
                for column in group
                for original, index in column_of.items()
                if str(index) == column
            }
            in_columns = [a for a in ATOMS if a[column_v] in originals]
            published.append((frozenset(in_columns), sum(totals[c] for c in group)))
            for r, row_group in enumerate(row_plan.groups):
                members = frozenset(a for a in in_columns if a[row_v] in row_group)
                published.append((members, sum(cells[c][r] for c in group)))
    return published


def _unit_cells(answers: Counter[Atom], row_v: int, plan: Grouping) -> dict[str, list[int]]:
    row_of = plan.group_of()
    cells = {u: [0] * len(plan.groups) for u in U}
    for atom, n in answers.items():
        cells[atom[2]][row_of[atom[row_v]]] += n
    return cells


def _unit_groups(
    answers: Counter[Atom], plans: dict[int, Grouping | None], k: int
) -> list[list[str]]:
    """One merging of units for every question, as results.unit_breakdown does."""
    joined: dict[str, list[int]] = {u: [] for u in U}
    for v in (0, 1):
        plan = plans[v]
        assert plan is not None
        for u, cells in _unit_cells(answers, v, plan).items():
            joined[u] += cells
    totals = {u: sum(n for atom, n in answers.items() if atom[2] == u) for u in U}
    return pool_columns(joined, totals, U, k)


def _by_units(
    answers: Counter[Atom], row_v: int, plan: Grouping, units: list[list[str]]
) -> list[tuple[frozenset[Atom], int]]:
    published: list[tuple[frozenset[Atom], int]] = []
    for group in units:
        in_columns = [a for a in ATOMS if a[2] in group]
        published.append((frozenset(in_columns), sum(answers[a] for a in in_columns)))
        for row_group in plan.groups:
            members = frozenset(a for a in in_columns if a[row_v] in row_group)
            published.append((members, sum(answers[a] for a in members)))
    return published


def _basis(vectors: Sequence[list[int]]) -> dict[int, list[int]]:
    """Row-echelon basis over a large prime field, keyed by pivot column."""
    basis: dict[int, list[int]] = {}
    for vector in vectors:
        v = [x % PRIME for x in vector]
        for pivot, row in basis.items():
            if v[pivot]:
                factor = v[pivot]
                v = [(a - factor * b) % PRIME for a, b in zip(v, row, strict=True)]
        lead = next((i for i, x in enumerate(v) if x), None)
        if lead is None:
            continue
        inverse = pow(v[lead], PRIME - 2, PRIME)
        v = [(x * inverse) % PRIME for x in v]
        for pivot, row in list(basis.items()):
            if row[lead]:
                factor = row[lead]
                basis[pivot] = [(a - factor * b) % PRIME for a, b in zip(row, v, strict=True)]
        basis[lead] = v
    return basis


def _derivable(basis: dict[int, list[int]], vector: list[int]) -> bool:
    v = [x % PRIME for x in vector]
    for pivot, row in basis.items():
        if v[pivot]:
            factor = v[pivot]
            v = [(a - factor * b) % PRIME for a, b in zip(v, row, strict=True)]
    return not any(v)


answer_sets = st.lists(st.sampled_from(ATOMS), min_size=0, max_size=70).map(Counter)


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, k=st.integers(min_value=3, max_value=6))
def test_no_published_number_is_a_group_smaller_than_k(answers: Counter[Atom], k: int) -> None:
    for members, n in _publish(answers, k):
        assert clean(n, k), (sorted(members)[:4], n)
        assert n == sum(answers[a] for a in members)  # the numbers are true counts


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, k=st.integers(min_value=3, max_value=6))
def test_no_small_group_can_be_recovered_from_totals_or_differences(
    answers: Counter[Atom], k: int
) -> None:
    published = _publish(answers, k)
    # Atoms inside a published zero are known to be empty: they are not unknowns.
    known_empty = {a for members, n in published if n == 0 for a in members}
    unknown = [a for a in ATOMS if a not in known_empty]
    index = {a: i for i, a in enumerate(unknown)}

    def vector(members: frozenset[Atom] | set[Atom]) -> list[int]:
        v = [0] * len(unknown)
        for a in members:
            if a in index:
                v[index[a]] = 1
        return v

    basis = _basis([vector(members) for members, _n in published])
    # Every group a reader could care about: one answer, a pair of answers (two-way cell,
    # with or without the unit), or a single answer kind.
    groups: list[set[Atom]] = []
    for v, order in VARIABLES.items():
        groups += [{a for a in ATOMS if a[v] == c} for c in order]
    for first, second in itertools.combinations(VARIABLES, 2):
        for c1 in VARIABLES[first]:
            for c2 in VARIABLES[second]:
                groups.append({a for a in ATOMS if a[first] == c1 and a[second] == c2})
    groups += [{a} for a in ATOMS]
    for group in groups:
        size = sum(answers[a] for a in group)
        if 0 < size < k and published:
            assert not _derivable(basis, vector(group)), (sorted(group)[:3], size)


def _groups_a_reader_cares_about() -> list[set[Atom]]:
    """Each category of a question or a unit, and each two-way cell (question by question,
    question by unit)."""
    groups: list[set[Atom]] = []
    for v, order in VARIABLES.items():
        groups += [{a for a in ATOMS if a[v] == c} for c in order]
    for first, second in itertools.combinations(VARIABLES, 2):
        for c1 in VARIABLES[first]:
            for c2 in VARIABLES[second]:
                groups.append({a for a in ATOMS if a[first] == c1 and a[second] == c2})
    return groups


@settings(max_examples=60, deadline=None)
@given(answers=answer_sets, k=st.integers(min_value=3, max_value=6))
def test_bounds_from_the_published_numbers_never_show_a_group_to_be_small(
    answers: Counter[Atom], k: int
) -> None:
    """A reader who knows every published number and that no count is negative solves for
    the largest each hidden group could be. For every group of 1..k-1 answers that largest
    value is still k or more: the reader can neither recover the group's size nor tell that
    it is small."""
    published = _publish(answers, k)
    if not published:
        return
    rows = [[1.0 if a in members else 0.0 for a in ATOMS] for members, _n in published]
    sums = [float(n) for _members, n in published]
    for group in _groups_a_reader_cares_about():
        size = sum(answers[a] for a in group)
        if 0 < size < k:
            most = maximum([1.0 if a in group else 0.0 for a in ATOMS], rows, sums)
            assert most is not None  # the true answers satisfy every published number
            assert most >= k - 1e-6, (sorted(group)[:3], size, most)


def test_the_bounds_solver_does_find_a_small_group_that_is_not_protected() -> None:
    """The attack works: published 7 = a + b and 5 = b (without merging), so a is 2 exactly,
    and the solver says so."""
    most = maximum([1.0, 0.0], [[1.0, 1.0], [0.0, 1.0]], [7.0, 5.0])
    assert most is not None
    assert abs(most - 2.0) < 1e-9


def _two_breakdowns_case() -> Counter[Atom]:
    """Unit u2 has 2 answers. Merged per question, the units would be u1, u4, u2+u3 for Q and
    u1, u3, u2+u4 for B: u3's total from one table, u2+u3's from the other, so u2 = 2."""
    answers: Counter[Atom] = Counter()
    answers.update({("a", "x", "u1"): 10, ("b", "y", "u1"): 10})
    answers.update({("a", "y", "u2"): 2})
    answers.update({("a", "x", "u3"): 6})
    answers.update({("a", "x", "u4"): 4, ("a", "y", "u4"): 1, ("b", "x", "u4"): 3})
    answers.update({("b", "y", "u4"): 2})
    return answers


def test_merging_units_per_question_would_give_a_small_unit_away() -> None:
    answers, k = _two_breakdowns_case(), 5
    totals = {u: sum(n for a, n in answers.items() if a[2] == u) for u in U}
    per_question = []
    for v, order in ((0, Q), (1, B)):
        counts: Counter[str] = Counter()
        for atom, n in answers.items():
            counts[atom[v]] += n
        cells = _unit_cells(answers, v, recode(dict(counts), order, k))
        per_question.append(pool_columns(cells, totals, U, k))
    assert per_question[0] != per_question[1]
    published = [
        (frozenset(a for a in ATOMS if a[2] in group), sum(totals[u] for u in group))
        for groups in per_question
        for group in groups
    ]
    rows = [[1.0 if a in members else 0.0 for a in ATOMS] for members, _n in published]
    u2 = [1.0 if a[2] == "u2" else 0.0 for a in ATOMS]
    most = maximum(u2, rows, [float(n) for _m, n in published])
    assert most is not None
    assert abs(most - 2.0) < 1e-6  # recovered exactly


def test_one_merging_of_units_for_every_question_keeps_the_small_unit_hidden() -> None:
    answers, k = _two_breakdowns_case(), 5
    published = _publish(answers, k)
    rows = [[1.0 if a in members else 0.0 for a in ATOMS] for members, _n in published]
    u2 = [1.0 if a[2] == "u2" else 0.0 for a in ATOMS]
    most = maximum(u2, rows, [float(n) for _m, n in published])
    assert most is not None
    assert most >= k


# --- a select_multiple question: options merge nowhere, complements must be clean too -----------

OPTIONS = ["a", "b"]
SETS = ["", "a", "b", "a b"]  # what one answer holds; "" is "no answer"
B1 = ["x", "y", ""]
U3 = ["u1", "u2", "u3"]
MultiAtom = tuple[str, str, str]
MULTI_ATOMS: list[MultiAtom] = list(itertools.product(SETS, B1, U3))


def _holds(atom: MultiAtom, option: str) -> bool:
    return option in atom[0].split() if option else atom[0] == ""


def _publish_multi(answers: Counter[MultiAtom], k: int) -> list[tuple[frozenset[MultiAtom], int]]:
    """What results would publish for a select_multiple Q, a select_one B and units, built
    with the same functions (recode with multi, cross_table and pool_columns with overlaps)."""
    total = sum(answers.values())
    if total < k:
        return []
    published: list[tuple[frozenset[MultiAtom], int]] = [(frozenset(MULTI_ATOMS), total)]
    q_order = [*OPTIONS, ""]
    q_counts = Counter({o: sum(n for a, n in answers.items() if _holds(a, o)) for o in q_order})
    q_plan = recode(dict(q_counts), q_order, k, multi=True, total=total)
    b_counts: Counter[str] = Counter()
    for atom, n in answers.items():
        b_counts[atom[1]] += n
    b_plan = recode(dict(b_counts), B1, k)
    for group in q_plan.groups:
        members = frozenset(a for a in MULTI_ATOMS if _holds(a, group[0]))
        published.append((members, q_counts[group[0]]))
    for group in b_plan.groups:
        members = frozenset(a for a in MULTI_ATOMS if a[1] in group)
        published.append((members, sum(b_counts[c] for c in group)))

    def expand(value: str) -> list[str]:
        return value.split() if value else [""]

    # Q by B: rows are Q's published options, columns B's groups, merged with complements.
    b_of = b_plan.group_of()
    order = [str(i) for i in range(len(b_plan.groups))]
    keyed = [(str(b_of[a[1]]), a[0], n) for a, n in answers.items()]
    groups, cells, totals = cross_table(
        keyed, q_plan.group_of(), len(q_plan.groups), order, expand, k, multi=True
    )
    for group in groups:
        in_columns = [a for a in MULTI_ATOMS if str(b_of[a[1]]) in group]
        published.append((frozenset(in_columns), sum(totals[c] for c in group)))
        for r, row_group in enumerate(q_plan.groups):
            members = frozenset(a for a in in_columns if _holds(a, row_group[0]))
            published.append((members, sum(cells[c][r] for c in group)))
    # B by Q: rows B's groups, columns Q's options (overlapping), each published only when
    # it is clean on its own (complements too), as results.crosstab does.
    q_of = q_plan.group_of()
    order = [str(i) for i in range(len(q_plan.groups))]
    keyed = [(str(q_of[o]), a[1], n) for a, n in answers.items() for o in expand(a[0]) if o in q_of]
    _groups, cells, totals = cross_table(
        keyed, b_plan.group_of(), len(b_plan.groups), order, lambda v: [v], k, multi=True
    )
    row_totals = [sum(b_counts[c] for c in g) for g in b_plan.groups]
    for c in order:
        if not column_fine(cells[c], totals[c], k, multi=True):
            continue
        if not all(clean(t - x, k) for t, x in zip(row_totals, cells[c], strict=True)):
            continue
        option = q_plan.groups[int(c)][0]
        in_column = [a for a in MULTI_ATOMS if _holds(a, option)]
        published.append((frozenset(in_column), totals[c]))
        for r, row_group in enumerate(b_plan.groups):
            members = frozenset(a for a in in_column if a[1] in row_group)
            published.append((members, cells[c][r]))
    # Units: one merging for both questions, Q's rows overlapping.
    joined: dict[str, list[int]] = {u: [] for u in U3}
    unit_totals = {u: sum(n for a, n in answers.items() if a[2] == u) for u in U3}
    for u in U3:
        for row_group in q_plan.groups:
            joined[u].append(
                sum(n for a, n in answers.items() if a[2] == u and _holds(a, row_group[0]))
            )
        for row_group in b_plan.groups:
            joined[u].append(sum(n for a, n in answers.items() if a[2] == u and a[1] in row_group))
    overlaps = [True] * len(q_plan.groups) + [False] * len(b_plan.groups)
    for group in pool_columns(joined, unit_totals, U3, k, multi=overlaps):
        in_columns = [a for a in MULTI_ATOMS if a[2] in group]
        published.append((frozenset(in_columns), sum(unit_totals[u] for u in group)))
        for row_group in q_plan.groups:
            members = frozenset(a for a in in_columns if _holds(a, row_group[0]))
            published.append((members, sum(answers[a] for a in members)))
        for row_group in b_plan.groups:
            members = frozenset(a for a in in_columns if a[1] in row_group)
            published.append((members, sum(answers[a] for a in members)))
    return published


multi_answer_sets = st.lists(st.sampled_from(MULTI_ATOMS), min_size=0, max_size=60).map(Counter)


@settings(max_examples=100, deadline=None)
@given(answers=multi_answer_sets, k=st.integers(min_value=3, max_value=6))
def test_with_several_choices_no_published_number_is_a_group_smaller_than_k(
    answers: Counter[MultiAtom], k: int
) -> None:
    for members, n in _publish_multi(answers, k):
        assert clean(n, k), (sorted(members)[:3], n)
        assert n == sum(answers[a] for a in members)


def test_a_breakdown_by_several_choices_withholds_an_option_with_a_small_cell() -> None:
    """Found by the solver: B by Q published the "no answer" column with x = 2, and x's own
    total (4) minus it gave the one answer with x that chose something."""
    answers: Counter[MultiAtom] = Counter(
        {("", "x", "u1"): 3, ("a", "y", "u1"): 2, ("a", "x", "u1"): 1, ("b", "y", "u1"): 1}
    )
    published = _publish_multi(answers, 3)
    rows = [[1.0 if a in members else 0.0 for a in MULTI_ATOMS] for members, _n in published]
    x_and_a = [1.0 if a[1] == "x" and _holds(a, "a") else 0.0 for a in MULTI_ATOMS]
    most = maximum(x_and_a, rows, [float(n) for _m, n in published])
    assert most is not None
    assert most >= 3
