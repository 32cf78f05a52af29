"""What a reader can prove about a hidden count from published ones: the largest value it can
take given every published number, with all counts >= 0 (a linear programme, solved by the
simplex method with Bland's rule so it cannot cycle). Small, dense and exact enough for tests:
every coefficient is 0 or 1 and every right-hand side an integer.

`Reader` finds a first solution once and then asks about many groups; with `enough` it stops
as soon as it has a solution where the group is at least that large (all a test needs)."""

from __future__ import annotations

from collections.abc import Sequence

EPSILON = 1e-9


def _pivot(table: list[list[float]], row: int, column: int) -> None:
    pivot = table[row][column]
    table[row] = [x / pivot for x in table[row]]
    for r, line in enumerate(table):
        if r != row and abs(line[column]) > EPSILON:
            factor = line[column]
            table[r] = [a - factor * b for a, b in zip(line, table[row], strict=True)]


def _run(
    table: list[list[float]], basis: list[int], allowed: int, enough: float | None = None
) -> bool:
    """Maximise the objective in the last row (stored negated) over columns < allowed,
    stopping once its value reaches `enough`. False when unbounded."""
    while True:
        if enough is not None and table[-1][-1] >= enough - 1e-7:
            return True
        objective = table[-1]
        entering = next((j for j in range(allowed) if objective[j] < -EPSILON), None)
        if entering is None:
            return True
        best: tuple[float, int, int] | None = None
        for r in range(len(table) - 1):
            a = table[r][entering]
            if a > EPSILON:
                ratio = table[r][-1] / a
                key = (ratio, basis[r], r)
                if best is None or key[:2] < best[:2]:
                    best = key
        if best is None:
            return False
        _pivot(table, best[2], entering)
        basis[best[2]] = entering


class Reader:
    """A reader who knows rows·x = sums and x >= 0 (None: nothing is feasible)."""

    def __init__(self, rows: Sequence[Sequence[float]], sums: Sequence[float]) -> None:
        self.width = width = len(rows[0]) if rows else 0
        height = len(rows)
        # Phase 1: one artificial variable per row, minimise their sum.
        table: list[list[float]] = []
        for row, total in zip(rows, sums, strict=True):
            sign = -1.0 if total < 0 else 1.0
            artificial = [0.0] * height
            artificial[len(table)] = 1.0
            table.append([sign * x for x in row] + artificial + [sign * total])
        basis = [width + r for r in range(height)]
        cost = [0.0] * (width + height + 1)
        for line in table:
            for j in range(width):
                cost[j] -= line[j]
            cost[-1] -= line[-1]
        table.append(cost)
        _run(table, basis, width)
        self.feasible = table[-1][-1] >= -1e-7
        # Drive artificial variables out of the basis; a row with nothing left is redundant.
        for r in range(height - 1, -1, -1):
            if basis[r] >= width:
                column = next((j for j in range(width) if abs(table[r][j]) > EPSILON), None)
                if column is None:
                    del table[r]
                    del basis[r]
                else:
                    _pivot(table, r, column)
                    basis[r] = column
        self.height = height
        self.table, self.basis = table, basis

    def most(self, objective: Sequence[float], enough: float | None = None) -> float | None:
        """max objective·x; with `enough`, any value >= enough once one is found."""
        if not self.feasible:
            return None
        table = [list(line) for line in self.table]
        basis = list(self.basis)
        # Phase 2: the real objective, expressed in the current basis.
        table[-1] = [-c for c in objective] + [0.0] * self.height + [0.0]
        for r, b in enumerate(basis):
            factor = table[-1][b]
            if abs(factor) > EPSILON:
                table[-1] = [a - factor * x for a, x in zip(table[-1], table[r], strict=True)]
        if not _run(table, basis, self.width, enough):
            return float("inf")
        return table[-1][-1]


def maximum(
    objective: Sequence[float], rows: Sequence[Sequence[float]], sums: Sequence[float]
) -> float | None:
    """max objective·x subject to rows·x = sums, x >= 0; None when nothing is feasible."""
    return Reader(rows, sums).most(objective)
