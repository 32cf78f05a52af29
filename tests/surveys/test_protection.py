"""Small-group protection as properties (hypothesis): for random answer sets and breakdowns,
no published number is a group of 1..k-1, and no group of 1..k-1 can be recovered from the
published numbers by adding and subtracting them (totals, differences between breakdowns)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from caunoi.surveys.protection import (
    Grouping,
    as_lists,
    clean,
    cross_table,
    holds,
    option_columns,
    pool_columns,
    recode,
    recode_multi,
)
from tests.surveys.bounds import Reader, maximum

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
    part = {u: str(i) for i, group in enumerate(units) for u in group}
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
        keyed: Counter[tuple[str, str, str]] = Counter()
        for atom, n in answers.items():
            keyed[(str(column_of[atom[column_v]]), part[atom[2]], atom[row_v])] += n
        groups, cells, totals = cross_table(
            [(c, u, r, n) for (c, u, r), n in keyed.items()],
            row_plan,
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


SMALL_ATOMS = [a for a in ATOMS if a[0] != "c" and a[1] != "z" and a[2] != "u4"]


@st.composite
def clustered(draw: st.DrawFn) -> tuple[Counter[Atom], int]:
    """Answers on a few answer kinds of a smaller space (three categories, three units), so
    that some groups are large, some small and whole units or categories are one kind: the
    shapes where tables link."""
    picked = draw(
        st.lists(
            st.tuples(st.sampled_from(SMALL_ATOMS), st.integers(min_value=1, max_value=8)),
            max_size=8,
        )
    )
    answers: Counter[Atom] = Counter()
    for atom, n in picked:
        answers[atom] += n
    return answers, draw(st.integers(min_value=3, max_value=5))


@settings(max_examples=300, deadline=None)
@given(case=clustered())
def test_all_tables_together_never_show_a_group_to_be_small(
    case: tuple[Counter[Atom], int],
) -> None:
    """The reader with every table at once (both questions' counts, Q by B, B by Q, results
    per unit) over answers clustered on a few kinds, solving for each category, unit, two-way
    cell and three-way cell (answer kind) of 1..k-1 answers: the largest it can be is k or
    more."""
    answers, k = case
    published = _publish(answers, k)
    if not published:
        return
    rows = [[1.0 if a in members else 0.0 for a in ATOMS] for members, _n in published]
    reader = Reader(rows, [float(n) for _members, n in published])
    for group in [*_groups_a_reader_cares_about(), *({a} for a in ATOMS)]:
        size = sum(answers[a] for a in group)
        if 0 < size < k:
            most = reader.most([1.0 if a in group else 0.0 for a in ATOMS], enough=k)
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


# --- select_multiple: published options imply combination groups (rule 4) --------------------
#
# An answer to the select_multiple question Q holds a non-empty set of options, or nothing
# ("" is "no answer"). Atoms are (set, B, unit); B is a select_one question. Q has 2 to 4
# options; B and the units are there or not, so Q is tested alone, by B (both directions) and by
# unit.

MultiAtom = tuple[str, str, str]


@dataclass(frozen=True)
class Shape:
    options: tuple[str, ...]
    b: tuple[str, ...]  # ("x",) when there is no B question
    units: tuple[str, ...]  # ("u1",) when there is no breakdown by unit

    @property
    def sets(self) -> list[str]:
        chosen = [
            " ".join(c)
            for size in range(1, len(self.options) + 1)
            for c in itertools.combinations(self.options, size)
        ]
        return ["", *chosen]

    @property
    def atoms(self) -> list[MultiAtom]:
        return list(itertools.product(self.sets, self.b, self.units))

    @property
    def with_b(self) -> bool:
        return len(self.b) > 1

    @property
    def with_units(self) -> bool:
        return len(self.units) > 1


Published = list[tuple[str, frozenset[MultiAtom], int]]  # (table, the group, its count)


def _publish_multi(answers: Counter[MultiAtom], k: int, shape: Shape) -> Published:
    """Every number results would publish for Q (and B and units when the shape has them),
    built as caunoi.surveys.results does with the same functions: recode_multi for Q, then
    cross_table (columns merged on Q's combinations), option_columns for B by Q, and one
    merging of units on Q's combinations and B's groups."""
    atoms = shape.atoms
    total = sum(answers.values())
    if total < k:
        return []

    def count(members: Iterable[MultiAtom]) -> int:
        return sum(answers[a] for a in members)

    published: Published = [("Q", frozenset(atoms), total)]
    raw: Counter[str] = Counter()
    for atom, n in answers.items():
        raw[atom[0]] += n
    q_plan = recode_multi(raw, [*shape.options, ""], k)
    for (option,) in q_plan.groups:
        members = frozenset(a for a in atoms if holds(a[0] or "", option))
        published.append(("Q", members, count(members)))

    def q_expand(value: str) -> list[str]:
        return value.split() if value else [""]

    b_plan: Grouping | None = None
    if shape.with_b:
        b_counts: Counter[str] = Counter()
        for atom, n in answers.items():
            b_counts[atom[1]] += n
        b_plan = recode(dict(b_counts), list(shape.b), k)
    # One merging of units for both questions, on Q's combinations and B's groups.
    parts: dict[str, Counter[str]] = {u: Counter() for u in shape.units}
    for atom, n in answers.items():
        parts[atom[2]][q_plan.combination(atom[0])] += n
    joined = as_lists(parts)
    if b_plan is not None:
        for u in shape.units:
            joined[u] += [count(a for a in atoms if a[2] == u and a[1] in g) for g in b_plan.groups]
    unit_totals = {u: count(a for a in atoms if a[2] == u) for u in shape.units}
    units = pool_columns(joined, unit_totals, list(shape.units), k)
    part = {u: str(i) for i, group in enumerate(units) for u in group}
    if shape.with_units:
        for group in units:
            in_columns = [a for a in atoms if a[2] in group]
            published.append(("by unit", frozenset(in_columns), count(in_columns)))
            for (option,) in q_plan.groups:
                members = frozenset(a for a in in_columns if holds(a[0], option))
                published.append(("by unit", members, count(members)))
            for row_group in b_plan.groups if b_plan is not None else []:
                members = frozenset(a for a in in_columns if a[1] in row_group)
                published.append(("by unit", members, count(members)))
    if b_plan is not None:
        for group in b_plan.groups:
            members = frozenset(a for a in atoms if a[1] in group)
            published.append(("B", members, count(members)))
        # Q by B: rows Q's options, columns B's groups merged on Q's combinations.
        b_of = b_plan.group_of()
        order = [str(i) for i in range(len(b_plan.groups))]
        keyed = [(str(b_of[a[1]]), part[a[2]], a[0], n) for a, n in answers.items()]
        groups, cells, totals = cross_table(keyed, q_plan, order, q_expand, k)
        for group in groups:
            in_columns = [a for a in atoms if str(b_of[a[1]]) in group]
            published.append(("Q by B", frozenset(in_columns), sum(totals[c] for c in group)))
            for r, (option,) in enumerate(q_plan.groups):
                members = frozenset(a for a in in_columns if holds(a[0], option))
                published.append(("Q by B", members, sum(cells[c][r] for c in group)))
        # B by Q: columns Q's combinations, merged, then summed into option columns.
        keyed = [(q_plan.combination(a[0]), part[a[2]], a[1], n) for a, n in answers.items()]
        order = sorted({c for c, _u, _v, n in keyed if n})
        groups, cells, totals = cross_table(keyed, b_plan, order, lambda v: [v], k)
        shown, _withheld = option_columns(q_plan, groups)
        for combos in shown:
            in_column = [a for a in atoms if q_plan.combination(a[0]) in combos]
            published.append(("B by Q", frozenset(in_column), sum(totals[c] for c in combos)))
            for r, row_group in enumerate(b_plan.groups):
                members = frozenset(a for a in in_column if a[1] in row_group)
                published.append(("B by Q", members, sum(cells[c][r] for c in combos)))
    return published


def _combination_groups(shape: Shape) -> list[frozenset[MultiAtom]]:
    """Every group a reader could care about: "no answer", and each combination of options
    (each option chosen, not chosen or either: "chose a and b", "chose only a", "answered"),
    alone, within a B category, within a unit and within both: the cells of the published
    tables, everything inside them, and the three-way cells no table shows."""
    atoms = shape.atoms
    tests: list[Callable[[str], bool]] = [lambda s: s == ""]
    for signs in itertools.product((True, False, None), repeat=len(shape.options)):

        def matches(s: str, signs: tuple[bool | None, ...] = signs) -> bool:
            chosen = set(s.split())
            return bool(s) and all(
                sign is None or (option in chosen) == sign
                for option, sign in zip(shape.options, signs, strict=True)
            )

        tests.append(matches)
    within: list[tuple[str | None, str | None]] = [(None, None)]
    within += [(b, None) for b in shape.b] + [(None, u) for u in shape.units]
    within += list(itertools.product(shape.b, shape.units))
    found = {
        frozenset(a for a in atoms if test(a[0]) and b in (None, a[1]) and u in (None, a[2]))
        for test in tests
        for b, u in within
    }
    return [g for g in found if g]


def _shapes(full: bool) -> st.SearchStrategy[Shape]:
    if full:  # a B question and units, always
        return st.builds(
            Shape,
            options=st.sampled_from([("a", "b"), ("a", "b", "c")]),
            b=st.just(("x", "y", "")),
            units=st.just(("u1", "u2", "u3")),
        )
    return st.builds(
        Shape,
        options=st.sampled_from([("a", "b"), ("a", "b", "c"), ("a", "b", "c", "d")]),
        b=st.sampled_from([("x",), ("x", "y", "")]),
        units=st.sampled_from([("u1",), ("u1", "u2", "u3")]),
    )


@st.composite
def multi_cases(draw: st.DrawFn, full: bool = False) -> tuple[Shape, Counter[MultiAtom], int]:
    """A shape, answers clustered on a few atoms (so some groups are large, some small), k.
    `full`: always with B and units, smaller counts, so that tables link more often."""
    shape = draw(_shapes(full))
    picked = draw(
        st.lists(
            st.tuples(
                st.sampled_from(shape.atoms),
                st.integers(min_value=1, max_value=6 if full else 12),
            ),
            max_size=9,
        )
    )
    answers: Counter[MultiAtom] = Counter()
    for atom, n in picked:
        answers[atom] += n
    return shape, answers, draw(st.integers(min_value=3, max_value=6))


def _small_groups_pinned(
    published: Published,
    answers: Counter[MultiAtom],
    k: int,
    groups: list[frozenset[MultiAtom]],
) -> list[tuple[list[MultiAtom], int, float | None]]:
    """The groups of 1..k-1 answers that a reader solving the linear programme over the
    `published` numbers can show to be smaller than k: (group, size, the largest it can be)."""
    if not published:
        return []
    # Atoms inside a published zero are known to be empty: they are not unknowns.
    known_empty = {a for _t, members, n in published if n == 0 for a in members}
    unknown = sorted({a for _t, members, _n in published for a in members} - known_empty)
    index = {a: i for i, a in enumerate(unknown)}
    rows: dict[tuple[int, ...], float] = {}
    for _table, members, n in published:
        row = tuple(sorted(index[a] for a in members if a in index))
        if row:
            rows[row] = float(n)
    matrix = [[1.0 if i in set(row) else 0.0 for i in range(len(unknown))] for row in rows]
    reader = Reader(matrix, list(rows.values()))
    pinned = []
    for group in groups:
        size = sum(answers[a] for a in group)
        if 0 < size < k and group & set(index):
            objective = [1.0 if a in group else 0.0 for a in unknown]
            most = reader.most(objective, enough=k)
            if most is None or most < k - 1e-6:
                pinned.append((sorted(group)[:3], size, most))
    return pinned


@settings(max_examples=150, deadline=None)
@given(case=multi_cases())
def test_with_several_choices_no_published_number_is_a_group_smaller_than_k(
    case: tuple[Shape, Counter[MultiAtom], int],
) -> None:
    shape, answers, k = case
    for _table, members, n in _publish_multi(answers, k, shape):
        assert clean(n, k), (sorted(members)[:3], n)
        assert n == sum(answers[a] for a in members)  # the numbers are true counts


@settings(max_examples=150, deadline=None)
@given(case=multi_cases())
def test_with_several_choices_no_table_shows_a_combination_to_be_small(
    case: tuple[Shape, Counter[MultiAtom], int],
) -> None:
    """For each published table (the question's counts, B's, Q by B, B by Q, results per
    unit) on its own, a reader who solves for the largest each combination group could be
    (alone, in a column of B, in a unit) finds k or more for every group of 1..k-1."""
    shape, answers, k = case
    published = _publish_multi(answers, k, shape)
    groups = _combination_groups(shape)
    for table in {t for t, _m, _n in published}:
        numbers = [p for p in published if p[0] == table]
        pinned = _small_groups_pinned(numbers, answers, k, groups)
        assert not pinned, (table, pinned)


@settings(max_examples=200, deadline=None)
@given(case=multi_cases())
def test_with_several_choices_all_tables_together_never_show_a_combination_to_be_small(
    case: tuple[Shape, Counter[MultiAtom], int],
) -> None:
    """The same reader with every table at once: Q alone, Q with B (both ways), Q by unit,
    and with B and units together B by unit as well (rule 5)."""
    shape, answers, k = case
    published = _publish_multi(answers, k, shape)
    pinned = _small_groups_pinned(published, answers, k, _combination_groups(shape))
    assert not pinned, pinned


@settings(max_examples=150, deadline=None)
@given(case=multi_cases(full=True))
def test_with_several_choices_a_crosstab_and_the_results_per_unit_together_hide_small_groups(
    case: tuple[Shape, Counter[MultiAtom], int],
) -> None:
    """Always with B and units, where a cross-tab's merging and the units' merging could
    undo each other (the case below): every table at once, every combination group alone,
    in a category of B, in a unit and in both."""
    shape, answers, k = case
    published = _publish_multi(answers, k, shape)
    pinned = _small_groups_pinned(published, answers, k, _combination_groups(shape))
    assert not pinned, pinned


TWO = Shape(("a", "b"), ("x",), ("u1",))


def _two_options_overlapping_by_two() -> Counter[MultiAtom]:
    return Counter({("a", "x", "u1"): 10, ("b", "x", "u1"): 10, ("a b", "x", "u1"): 2})


def test_published_options_alone_give_away_how_many_chose_both() -> None:
    """The rule before combinations: a (12), b (12), their complements (10) and the total (22)
    are all >= 5, so both options were shown, and |a and b| = 12 + 12 - 22 = 2 exactly. The
    reader's solver finds it: the checks above fail on that publication."""
    answers, k = _two_options_overlapping_by_two(), 5
    atoms = TWO.atoms
    published: Published = [("Q", frozenset(atoms), 22)]
    published.append(("Q", frozenset(a for a in atoms if a[0] == ""), 0))
    for option in ("a", "b"):
        members = frozenset(a for a in atoms if holds(a[0], option))
        published.append(("Q", members, sum(answers[a] for a in members)))
    pinned = _small_groups_pinned(published, answers, k, _combination_groups(TWO))
    both = [("a b", "x", "u1")]
    assert (both, 2, 2.0) in [(g, n, round(m or 0, 6)) for g, n, m in pinned]


def test_an_option_that_would_give_away_a_small_combination_is_not_published() -> None:
    answers, k = _two_options_overlapping_by_two(), 5
    published = _publish_multi(answers, k, TWO)
    options = {members for _t, members, _n in published}
    b_alone = frozenset(a for a in TWO.atoms if holds(a[0], "b"))
    assert b_alone not in options  # b (the later option of equal count) is dropped
    assert not _small_groups_pinned(published, answers, k, _combination_groups(TWO))


def test_a_breakdown_by_several_choices_withholds_an_option_with_a_small_cell() -> None:
    """Found by the solver under an earlier rule: B by Q published the "no answer" column
    with x = 2, and x's own total (4) minus it gave the one answer with x that chose
    something."""
    shape = Shape(("a", "b"), ("x", "y", ""), ("u1",))
    answers: Counter[MultiAtom] = Counter(
        {("", "x", "u1"): 3, ("a", "y", "u1"): 2, ("a", "x", "u1"): 1, ("b", "y", "u1"): 1}
    )
    published = _publish_multi(answers, 3, shape)
    assert not _small_groups_pinned(published, answers, 3, _combination_groups(shape))


def test_dropping_options_per_table_would_give_a_small_group_away() -> None:
    """Why a question keeps the same options in every table: found by the solver when each
    breakdown dropped options of its own. Here the results per unit would drop b (in u1 the
    combination "a b c" has 1 answer) while the question and Q by B show it; B by unit and
    Q by B then pin "b in u1" to 1. With one set of options, units merge instead."""
    shape = Shape(("a", "b", "c", "d"), ("x", "y", ""), ("u1", "u2", "u3"))
    answers: Counter[MultiAtom] = Counter(
        {("", "x", "u1"): 4, ("a b c", "x", "u2"): 3, ("a c d", "", "u1"): 3}
    )
    answers[("a b c d", "x", "u1")] = 1
    published = _publish_multi(answers, 3, shape)
    assert not _small_groups_pinned(published, answers, 3, _combination_groups(shape))


def test_a_crosstab_merging_survives_the_results_per_unit_for_one_choice() -> None:
    """Single-choice questions. Q by B merges x and y because (b, x) has 1 answer, but by unit
    u2 is all y and all b, and all of "no answer" is x in u1, so x in u1 minus "no answer"
    gave (b, x) = 1 while B's columns merged on the two-way cells alone. Merged on the cells
    within each unit group (rule 5), x, y and "no answer" all join."""
    answers: Counter[Atom] = Counter(
        {("", "x", "u1"): 3, ("b", "x", "u1"): 1, ("b", "y", "u2"): 3, ("b", "", "u1"): 3}
    )
    published = _publish(answers, 3)
    rows = [[1.0 if a in members else 0.0 for a in ATOMS] for members, _n in published]
    b_and_x = [1.0 if a[0] == "b" and a[1] == "x" else 0.0 for a in ATOMS]
    most = maximum(b_and_x, rows, [float(n) for _m, n in published])
    assert most is not None
    assert most >= 3


def test_a_crosstab_merging_survives_the_results_per_unit_for_several_choices() -> None:
    """The same case with Q a select_multiple question (found by the property test with B
    and units together): Q's combinations behave as one choice."""
    shape = Shape(("a", "b"), ("x", "y", ""), ("u1", "u2", "u3"))
    answers: Counter[MultiAtom] = Counter(
        {("", "x", "u1"): 3, ("b", "x", "u1"): 1, ("b", "y", "u2"): 3, ("b", "", "u1"): 3}
    )
    published = _publish_multi(answers, 3, shape)
    assert not _small_groups_pinned(published, answers, 3, _combination_groups(shape))


# --- three questions and units: every cross-tab between questions at once (rule 5) -----------
#
# Atoms are (Q, B, C, unit). Published: each question's counts, the results per unit (one
# merging of units for the three questions), and all six cross-tabs between questions, each
# merging its columns on the cells within unit groups and within each group of the third
# question, as caunoi.surveys.results does.

THREE = [["a", "b", ""], ["x", "y", ""], ["p", "q", ""], ["u1", "u2", "u3"]]
FourAtom = tuple[str, str, str, str]
FOUR_ATOMS: list[FourAtom] = list(itertools.product(*THREE))  # type: ignore[arg-type]


def _publish_three(
    answers: Counter[FourAtom], k: int, linked: bool = True
) -> list[tuple[frozenset[FourAtom], int]]:
    total = sum(answers.values())
    if total < k:
        return []
    published: list[tuple[frozenset[FourAtom], int]] = [(frozenset(FOUR_ATOMS), total)]

    def count(members: Iterable[FourAtom]) -> int:
        return sum(answers[a] for a in members)

    plans: list[Grouping] = []
    for v in range(3):
        counts: Counter[str] = Counter()
        for atom, n in answers.items():
            counts[atom[v]] += n
        plan = recode(dict(counts), THREE[v], k)
        plans.append(plan)
        for group in plan.groups:
            members = frozenset(a for a in FOUR_ATOMS if a[v] in group)
            published.append((members, count(members)))
    joined: dict[str, list[int]] = {u: [] for u in THREE[3]}
    for v in range(3):
        for u in THREE[3]:
            joined[u] += [
                count(a for a in FOUR_ATOMS if a[3] == u and a[v] in g) for g in plans[v].groups
            ]
    unit_totals = {u: count(a for a in FOUR_ATOMS if a[3] == u) for u in THREE[3]}
    units = pool_columns(joined, unit_totals, THREE[3], k)
    part = {u: str(i) for i, group in enumerate(units) for u in group}
    for group in units:
        in_columns = [a for a in FOUR_ATOMS if a[3] in group]
        published.append((frozenset(in_columns), count(in_columns)))
        for v in range(3):
            for row_group in plans[v].groups:
                members = frozenset(a for a in in_columns if a[v] in row_group)
                published.append((members, count(members)))
    for row_v, column_v in itertools.permutations(range(3), 2):
        (third,) = {0, 1, 2} - {row_v, column_v}
        row_plan, column_of = plans[row_v], plans[column_v].group_of()
        third_of = plans[third].group_of()
        order = [str(i) for i in range(len(plans[column_v].groups))]
        keyed = [(str(column_of[a[column_v]]), part[a[3]], a[row_v], n) for a, n in answers.items()]
        others = [
            (str(column_of[a[column_v]]), f"{third}={third_of[a[third]]}", a[row_v], n)
            for a, n in answers.items()
        ]
        groups, cells, totals = cross_table(
            keyed, row_plan, order, lambda value: [value], k, others if linked else ()
        )
        for group in groups:
            in_columns = [a for a in FOUR_ATOMS if str(column_of[a[column_v]]) in group]
            published.append((frozenset(in_columns), sum(totals[c] for c in group)))
            for r, row_group in enumerate(row_plan.groups):
                members = frozenset(a for a in in_columns if a[row_v] in row_group)
                published.append((members, sum(cells[c][r] for c in group)))
    return published


def _three_pinned(
    answers: Counter[FourAtom], k: int, linked: bool = True
) -> list[tuple[list[FourAtom], int, float | None]]:
    """The categories, units and two-way cells of 1..k-1 answers that a reader solving over
    every published number at once can show to be smaller than k."""
    published = _publish_three(answers, k, linked)
    if not published:
        return []
    rows = [[1.0 if a in members else 0.0 for a in FOUR_ATOMS] for members, _n in published]
    reader = Reader(rows, [float(n) for _members, n in published])
    groups: list[set[FourAtom]] = []
    for v, order in enumerate(THREE):
        groups += [{a for a in FOUR_ATOMS if a[v] == c} for c in order]
    for first, second in itertools.combinations(range(4), 2):
        for c1 in THREE[first]:
            for c2 in THREE[second]:
                groups.append({a for a in FOUR_ATOMS if a[first] == c1 and a[second] == c2})
    pinned: list[tuple[list[FourAtom], int, float | None]] = []
    for group in groups:
        size = sum(answers[a] for a in group)
        if 0 < size < k:
            most = reader.most([1.0 if a in group else 0.0 for a in FOUR_ATOMS], enough=k)
            if most is None or most < k - 1e-6:
                pinned.append((sorted(group)[:2], size, most))
    return pinned


@st.composite
def three_question_cases(draw: st.DrawFn) -> tuple[Counter[FourAtom], int]:
    picked = draw(
        st.lists(
            st.tuples(st.sampled_from(FOUR_ATOMS), st.integers(min_value=1, max_value=8)),
            max_size=10,
        )
    )
    answers: Counter[FourAtom] = Counter()
    for atom, n in picked:
        answers[atom] += n
    return answers, draw(st.integers(min_value=3, max_value=5))


@settings(max_examples=200, deadline=None)
@given(case=three_question_cases())
def test_with_three_questions_all_cross_tabs_together_never_show_a_group_to_be_small(
    case: tuple[Counter[FourAtom], int],
) -> None:
    """Every number published about three questions and the units at once: no category,
    unit or two-way cell of 1..k-1 answers can be shown to be smaller than k."""
    answers, k = case
    for members, n in _publish_three(answers, k):
        assert clean(n, k), (sorted(members)[:2], n)
        assert n == sum(answers[a] for a in members)
    assert not _three_pinned(answers, k)


def _third_question_case() -> Counter[FourAtom]:
    """k = 3, one unit. B by C merges C's columns because (y, p) has 1 answer, and C by B
    merges B's; but Q by B and Q by C show that every b answer is x or y, and that every p
    answer is b, so the rest give (y, p) = 1 back."""
    return Counter(
        {
            ("b", "x", "p", "u1"): 3,
            ("b", "y", "", "u1"): 3,
            ("b", "y", "p", "u1"): 1,
            ("a", "y", "q", "u1"): 3,
        }
    )


def test_cross_tabs_merged_on_their_own_cells_give_a_third_questions_small_group_away() -> None:
    pinned = _three_pinned(_third_question_case(), 3, linked=False)
    y_and_p = sorted(a for a in FOUR_ATOMS if a[1] == "y" and a[2] == "p")[:2]
    assert (y_and_p, 1, 1.0) in [(g, n, round(m or 0, 6)) for g, n, m in pinned]


def test_cross_tabs_merged_within_each_third_questions_groups_keep_it_hidden() -> None:
    assert not _three_pinned(_third_question_case(), 3)
