"""Results of a survey: counts per question and cross-tabulations, protected for small groups.

Counts per question and per unit come from the tally (caunoi.surveys.tally), brought up to date
first; a cross-tabulation by another question is one grouped query over the counted answers.
Answers are never loaded one by one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from caunoi.core.models import Unit
from caunoi.core.text import mask_contacts
from caunoi.surveys import form as forms
from caunoi.surveys import tally
from caunoi.surveys.models import Answer, Survey, SurveyVersion
from caunoi.surveys.protection import (
    Grouping,
    as_lists,
    clean,
    combinations,
    cross_table,
    option_columns,
    pool_columns,
    recode,
    recode_multi,
)

NO_ANSWER = ""
TEXT_SHOWN = 200
BY_UNIT = "_unit"


@dataclass
class Row:
    label: str
    count: int
    percent: float


@dataclass
class Question:
    name: str
    kind: str
    label: str
    rows: list[Row] = field(default_factory=list)
    answered: int | None = None
    mean: float | None = None
    hidden_note: str = ""
    texts: list[str] = field(default_factory=list)


@dataclass
class CrossTab:
    question: str
    by: str
    title: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int]]
    column_totals: list[int]
    merged_note: str = ""


@dataclass
class VersionCount:
    """Answers of one form version, or of versions merged because one had 1..k-1."""

    numbers: str
    count: int
    merged: bool


def version_counts(by_number: dict[int, int], k: int) -> list[VersionCount]:
    """Answers per form version, small versions merged as a question's small categories are
    (protection.py, rule 2): a version with 1..k-1 answers is a small group too."""
    order = [str(number) for number in sorted(by_number)]
    plan = recode({str(number): n for number, n in by_number.items()}, order, k)
    groups = sorted(plan.groups, key=lambda g: int(g[0]))
    return [
        VersionCount(", ".join(g), sum(by_number[int(v)] for v in g), len(g) > 1) for g in groups
    ]


@dataclass
class Results:
    survey: Survey
    total: int
    enough: bool
    versions: list[VersionCount]
    questions: list[Question]
    fields: list[forms.Field]
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    tallied: tally.Counts = field(default_factory=tally.Counts)
    known: dict[str, forms.Field] = field(default_factory=dict)


def _fields(
    survey: Survey, versions: list[SurveyVersion] | None = None
) -> tuple[list[forms.Field], dict[str, forms.Field]]:
    """Questions of every version, the latest wording first (answers keep their version)."""
    ordered: list[forms.Field] = []
    known: dict[str, forms.Field] = {}
    if versions is None:
        versions = list(SurveyVersion.objects.filter(survey=survey).order_by("-number"))
    for version in versions:
        for item in forms.load(version.form).fields:
            if item.kind in ("note", "calculate", "hidden"):
                continue
            if item.name not in known:
                known[item.name] = item
                ordered.append(item)
            elif item.choices:
                names = {c["name"] for c in known[item.name].choices}
                known[item.name].choices += [c for c in item.choices if c["name"] not in names]
    return ordered, known


def _answers(survey: Survey) -> QuerySet[Answer]:
    return Answer.objects.filter(survey=survey).order_by()


def _with_no_answer(found: Counter[str], total: int) -> Counter[str]:
    counts = Counter({v: n for v, n in found.items() if v != NO_ANSWER})
    counts[NO_ANSWER] = total - sum(counts.values())
    return counts


def categories(item: forms.Field) -> list[str]:
    names = item.range_values() if item.kind == "range" else [str(c["name"]) for c in item.choices]
    return [*names, NO_ANSWER]


def category_counts(item: forms.Field, raw: Counter[str]) -> Counter[str]:
    """Counts per category; a select_multiple answer counts once for each option it holds."""
    counts: Counter[str] = Counter()
    for value, n in raw.items():
        if value == NO_ANSWER:
            counts[NO_ANSWER] += n
        elif item.kind == "select_multiple":
            for option in set(value.split()):
                counts[option] += n
        elif item.kind == "rank":
            counts[value.split()[0]] += n
        else:
            counts[value] += n
    return counts


def expand(item: forms.Field, value: str) -> list[str]:
    """The categories one stored value counts in."""
    if value == NO_ANSWER:
        return [NO_ANSWER]
    if item.kind == "select_multiple":
        return list(set(value.split()))
    if item.kind == "rank":
        return [value.split()[0]]
    return [value]


def label_of(item: forms.Field, category: str, language: str) -> str:
    if category == NO_ANSWER:
        return _("(không trả lời)")
    return item.choice_label(category, language)


def group_label(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return _("Gộp: %(names)s") % {"names": ", ".join(labels)}


def grouping(item: forms.Field, raw: Counter[str], k: int) -> Grouping:
    """How a question is published, from its answers per stored value (with no answer)."""
    counts = category_counts(item, raw)
    order = categories(item)
    order += [c for c in counts if c not in order]
    if item.kind == "select_multiple":
        return recode_multi(raw, order, k)
    return recode(dict(counts), order, k)


def _dropped_note(k: int, names: list[str]) -> str:
    """Why options of a select_multiple question are not shown (protection.py, rule 4)."""
    return _(
        "Không công bố: %(names)s, vì cùng với các số khác, số người chọn hoặc không chọn "
        "những mục này sẽ để lộ một nhóm ít hơn %(k)d người (ví dụ số người chọn cả hai)."
    ) % {"k": k, "names": ", ".join(names)}


def _question(
    survey: Survey, item: forms.Field, total: int, language: str, raw: Counter[str]
) -> Question:
    k = survey.k
    found = Question(item.name, item.kind, forms.pick(item.label, language) or item.name)
    answered = total - raw.get(NO_ANSWER, 0)
    if item.kind in forms.CATEGORICAL:
        counts = category_counts(item, raw)
        plan = grouping(item, raw, k)
        for group in plan.groups:
            n = sum(counts.get(c, 0) for c in group)
            labels = [label_of(item, c, language) for c in group]
            found.rows.append(Row(group_label(labels), n, 100.0 * n / total if total else 0.0))
        if plan.dropped:
            found.hidden_note = _dropped_note(
                k, [label_of(item, c, language) for c in plan.dropped]
            )
        return found
    if not (clean(answered, k) and clean(total - answered, k)):
        found.hidden_note = _("Số người trả lời câu này nhỏ hơn %(k)d nên không công bố.") % {
            "k": k
        }
        return found
    found.answered = answered
    if item.kind in ("integer", "decimal") and answered >= k:
        numbers = [float(v) * n for v, n in raw.items() if v != NO_ANSWER and _is_number(v)]
        found.mean = round(sum(numbers) / answered, 2) if answered else None
    if item.kind == "text" and answered >= k:
        texts = (
            _answers(survey)
            .filter(**{f"values__{item.name}__isnull": False})
            .values_list(KT(f"values__{item.name}"), flat=True)[:TEXT_SHOWN]
        )
        found.texts = [mask_contacts(t) for t in texts if t]
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def tally_survey(survey: Survey, ordered: list[forms.Field] | None = None) -> None:
    """Bring the survey's tally up to date with its answers."""
    if ordered is None:
        ordered, _known = _fields(survey)
    tally.fold(
        survey,
        closed=[f.name for f in ordered if f.closed],
        given=[f.name for f in ordered if not f.closed],
    )


def survey_results(survey: Survey, language: str) -> Results:
    versions = list(SurveyVersion.objects.filter(survey=survey).order_by("-number"))
    ordered, known = _fields(survey, versions)
    tally_survey(survey, ordered)
    tallied = tally.read(survey)
    total = tallied.total
    number = {v.pk: v.number for v in versions}
    counted = version_counts({number[v]: n for v, n in tallied.by_version.items()}, survey.k)
    enough = total >= survey.k
    counts = {f.name: _with_no_answer(tallied.overall(f.name), total) for f in ordered}
    questions = (
        [_question(survey, item, total, language, counts[item.name]) for item in ordered]
        if enough
        else []
    )
    return Results(survey, total, enough, counted, questions, ordered, counts, tallied, known)


# --- cross-tabulation ---------------------------------------------------------------------------


def _unit_columns(survey: Survey) -> tuple[list[str], dict[int, str], dict[str, str]]:
    """Columns for a breakdown by unit: the survey unit's children, and the unit itself."""
    base: Unit = survey.unit
    children = list(Unit.objects.get_children(base).order_by("path"))
    order = [c.path for c in children] + [base.path]
    names = {c.path: c.name for c in children}
    names[base.path] = _("%(name)s (trực tiếp)") % {"name": base.name}
    width = (base.depth + 1) * Unit.steplen
    units = Unit.objects.filter(path__startswith=base.path).values_list("pk", "path")
    column_of = {pk: (path[:width] if len(path) >= width else base.path) for pk, path in units}
    return order, column_of, names


@dataclass
class UnitTable:
    """One question broken down by the merged unit columns."""

    item: forms.Field
    plan: Grouping
    cells: dict[str, list[int]]  # column -> count per row group


@dataclass
class UnitBreakdown:
    """Every categorical question by child unit, with one merging of units for them all."""

    order: list[str]
    names: dict[str, str]
    groups: list[list[str]]
    totals: dict[str, int]
    tables: dict[str, UnitTable]
    column_of: dict[int, str] = field(default_factory=dict)  # unit id -> column

    def group_of(self) -> Callable[[int], str]:
        """Unit id -> the merged column (its index) the unit's answers are counted in."""
        index = {c: str(i) for i, g in enumerate(self.groups) for c in g}
        by_unit = {unit_id: index[c] for unit_id, c in self.column_of.items()}
        elsewhere = index[self.order[-1]]  # the survey's unit itself
        return lambda unit_id: by_unit.get(unit_id, elsewhere)

    def columns(self) -> list[str]:
        return [group_label([self.names[c] for c in g]) for g in self.groups]

    def column_totals(self) -> list[int]:
        return [sum(self.totals[c] for c in g) for g in self.groups]

    def cells(self, name: str) -> list[list[int]]:
        """Rows (the question's published groups) by merged columns."""
        table = self.tables[name]
        return [
            [sum(table.cells[c][r] for c in g) for g in self.groups]
            for r in range(len(table.plan.groups))
        ]

    @property
    def merged(self) -> bool:
        return any(len(g) > 1 for g in self.groups)


def _cells(item: forms.Field, plan: Grouping, values: Counter[str]) -> list[int]:
    """Answers per published group of `plan`, from answers per stored value."""
    row_of = plan.group_of()
    cells = [0] * len(plan.groups)
    for value, n in values.items():
        for option in expand(item, value):
            if option in row_of:
                cells[row_of[option]] += n
    return cells


def unit_breakdown(survey: Survey, found: Results) -> UnitBreakdown:
    """The answers of each child unit of the survey's unit (and of the unit itself), for every
    categorical question. Units are merged once for all questions (protection.py, rule 3), so
    no two tables publish different totals for overlapping sets of units."""
    order, column_of, names = _unit_columns(survey)
    k = survey.k

    def column(unit_id: int) -> str:
        return str(column_of.get(unit_id, survey.unit.path))

    totals: dict[str, int] = dict.fromkeys(order, 0)
    for unit_id, n in found.tallied.by_unit.items():
        totals[column(unit_id)] += n
    answers: dict[str, dict[str, Counter[str]]] = {}  # question -> column -> value -> n
    plans: dict[str, Grouping] = {}
    joined: dict[str, list[int]] = {c: [] for c in order}
    for item in found.fields:
        if item.kind not in forms.CATEGORICAL:
            continue
        per_column: dict[str, Counter[str]] = {c: Counter() for c in order}
        for unit_id, values in found.tallied.values.get(item.name, {}).items():
            per_column[column(unit_id)].update(values)
        for c in order:
            per_column[c][NO_ANSWER] = totals[c] - sum(per_column[c].values())
        plan = grouping(item, found.counts[item.name], k)
        answers[item.name], plans[item.name] = per_column, plan
        if plan.kept is None:
            for c in order:
                joined[c] += _cells(item, plan, per_column[c])
        else:
            # Units merge on a select_multiple question's combinations (rule 4).
            combined = as_lists({c: combinations(per_column[c], plan.kept) for c in order})
            for c in order:
                joined[c] += combined[c]
    groups = pool_columns(joined, totals, order, k) if order else []
    tables = {
        name: UnitTable(
            found.known[name],
            plan,
            {c: _cells(found.known[name], plan, answers[name][c]) for c in order},
        )
        for name, plan in plans.items()
    }
    return UnitBreakdown(order, names, groups, totals, tables, column_of)


@dataclass
class UnitQuestion:
    name: str
    label: str
    rows: list[str]
    cells: list[list[int]]
    percents: list[list[float]]  # of the column's answers
    hidden_note: str = ""


@dataclass
class ByUnit:
    """The results per child unit: one table per categorical question, same merged columns."""

    columns: list[str]
    totals: list[int]
    questions: list[UnitQuestion]
    merged_note: str = ""


def results_by_unit(survey: Survey, language: str, found: Results | None = None) -> ByUnit | None:
    if found is None:
        found = survey_results(survey, language)
    if not found.enough:
        return None
    breakdown = unit_breakdown(survey, found)
    totals = breakdown.column_totals()
    questions = []
    for name, table in breakdown.tables.items():
        item = table.item
        cells = breakdown.cells(name)
        shown = next((q for q in found.questions if q.name == name), None)
        questions.append(
            UnitQuestion(
                name=name,
                label=forms.pick(item.label, language) or name,
                rows=[
                    group_label([label_of(item, c, language) for c in g]) for g in table.plan.groups
                ],
                cells=cells,
                percents=[
                    [100.0 * n / t if t else 0.0 for n, t in zip(row, totals, strict=True)]
                    for row in cells
                ],
                hidden_note=(
                    _dropped_note(
                        survey.k, [label_of(item, c, language) for c in table.plan.dropped]
                    )
                    if table.plan.dropped
                    else (shown.hidden_note if shown else "")
                ),
            )
        )
    return ByUnit(
        columns=breakdown.columns(),
        totals=totals,
        questions=questions,
        merged_note=_merged_note(survey.k) if breakdown.merged else "",
    )


def _merged_note(k: int) -> str:
    return _("Các cột có nhóm nhỏ hơn %(k)d câu trả lời được gộp lại để không lộ nhóm nhỏ.") % {
        "k": k
    }


def crosstab(
    survey: Survey, question: str, by: str, language: str, found: Results | None = None
) -> CrossTab | None:
    if found is None:
        found = survey_results(survey, language)
    known = found.known
    item = known.get(question)
    if item is None or item.kind not in forms.CATEGORICAL:
        return None
    if by != BY_UNIT and (
        by not in known or known[by].kind not in forms.CATEGORICAL or by == question
    ):
        return None
    k = survey.k
    total = found.total
    if total < k:
        return None
    if by == BY_UNIT:
        breakdown = unit_breakdown(survey, found)
        table = breakdown.tables[question]
        return CrossTab(
            question=question,
            by=by,
            title=_("theo đơn vị"),
            rows=[group_label([label_of(item, c, language) for c in g]) for g in table.plan.groups],
            columns=breakdown.columns(),
            cells=breakdown.cells(question),
            column_totals=breakdown.column_totals(),
            merged_note=_notes(
                _merged_note(k) if breakdown.merged else "",
                _rows_note(item, table.plan, k, language),
            ),
        )
    plan = grouping(item, found.counts[question], k)
    other = known[by]
    column_plan = grouping(other, found.counts[by], k)
    # Columns merge on the cells within each group of units of the results per unit, and
    # within each group of every other question (protection.py, rule 5), so this table and
    # the others cannot be subtracted from each other.
    unit_group = unit_breakdown(survey, found).group_of()
    linked = _linked(survey, found, question, by)
    # Only answers already in the tally, so the table agrees with the totals read from it.
    both = [
        (p["v"] or NO_ANSWER, p["b"] or NO_ANSWER, unit_group(p["unit_id"]), p["n"])
        for p in _answers(survey)
        .filter(tallied=True)
        .values("unit_id", v=KT(f"values__{question}"), b=KT(f"values__{by}"))
        .annotate(n=Count("id"))
    ]
    title = _("theo “%(q)s”") % {"q": forms.pick(other.label, language) or by}
    rows = [group_label([label_of(item, c, language) for c in g]) for g in plan.groups]
    if column_plan.kept is not None:
        return _by_several(survey, item, other, plan, column_plan, both, linked, title, language)
    column_group = column_plan.group_of()
    order = [str(i) for i in range(len(column_plan.groups))]
    names = {
        str(i): group_label([label_of(other, c, language) for c in g])
        for i, g in enumerate(column_plan.groups)
    }
    keyed = [
        (str(column_group[option]), part, v, n)
        for v, b, part, n in both
        for option in expand(other, b)
        if option in column_group
    ]
    width = len(plan.groups)
    groups, cells, totals = cross_table(
        keyed,
        plan,
        order,
        lambda value: expand(item, value),
        k,
        [
            (str(column_group[option]), part, v, n)
            for v, b, part, n in linked
            for option in expand(other, b)
            if option in column_group
        ],
    )
    return CrossTab(
        question=question,
        by=by,
        title=title,
        rows=rows,
        columns=[group_label([names[c] for c in g]) for g in groups],
        cells=[[sum(cells[c][r] for c in g) for g in groups] for r in range(width)],
        column_totals=[sum(totals[c] for c in g) for g in groups],
        merged_note=_notes(
            _merged_note(k) if any(len(g) > 1 for g in groups) else "",
            _rows_note(item, plan, k, language),
        ),
    )


def _group_key(item: forms.Field, plan: Grouping, value: str) -> str:
    """The published group (or combination, select_multiple) a stored value is in."""
    if plan.kept is not None:
        return plan.combination(value)
    group_of = plan.group_of()
    return ",".join(str(group_of.get(o, -1)) for o in expand(item, value))


def _linked(
    survey: Survey, found: Results, question: str, by: str
) -> list[tuple[str, str, str, int]]:
    """(question's value, by's value, "other=group", count) for every other categorical
    question, one grouped query each: the cells a cross-tab's columns merge on besides units
    (protection.py, rule 5). A group is the other question's published group, or its
    combination of published options (select_multiple)."""
    linked: list[tuple[str, str, str, int]] = []
    for third in found.fields:
        if third.kind not in forms.CATEGORICAL or third.name in (question, by):
            continue
        plan = grouping(third, found.counts[third.name], survey.k)
        linked += [
            (
                p["v"] or NO_ANSWER,
                p["b"] or NO_ANSWER,
                f"{third.name}={_group_key(third, plan, p['c'] or NO_ANSWER)}",
                p["n"],
            )
            for p in _answers(survey)
            .filter(tallied=True)
            .values(
                v=KT(f"values__{question}"), b=KT(f"values__{by}"), c=KT(f"values__{third.name}")
            )
            .annotate(n=Count("id"))
        ]
    return linked


def _notes(*notes: str) -> str:
    return " ".join(note for note in notes if note)


def _rows_note(item: forms.Field, plan: Grouping, k: int, language: str) -> str:
    """Why a select_multiple question's rows lack some options (the same note as its own)."""
    if plan.kept is None or not plan.dropped:
        return ""
    return _dropped_note(k, [label_of(item, c, language) for c in plan.dropped])


def _by_several(
    survey: Survey,
    item: forms.Field,
    other: forms.Field,
    plan: Grouping,
    column_plan: Grouping,
    both: list[tuple[str, str, str, int]],
    linked: list[tuple[str, str, str, int]],
    title: str,
    language: str,
) -> CrossTab:
    """A cross-tabulation by a select_multiple question (protection.py, rule 4): its
    combinations are the columns, merged as any columns are; an option's column is the sum
    of its combinations, published only when none of them was merged."""
    keyed = [(column_plan.combination(b), part, v, n) for v, b, part, n in both]
    order = sorted({column for column, _part, _value, n in keyed if n})
    groups, cells, totals = cross_table(
        keyed,
        plan,
        order,
        lambda value: expand(item, value),
        survey.k,
        [(column_plan.combination(b), part, v, n) for v, b, part, n in linked],
    )
    shown, withheld = option_columns(column_plan, groups)
    withheld += column_plan.dropped
    labels = [label_of(other, g[0], language) for g in column_plan.groups if g[0] not in withheld]
    return CrossTab(
        question=item.name,
        by=other.name,
        title=title,
        rows=[group_label([label_of(item, c, language) for c in g]) for g in plan.groups],
        columns=labels,
        cells=[
            [sum(cells[c][r] for c in combos) for combos in shown] for r in range(len(plan.groups))
        ],
        column_totals=[sum(totals[c] for c in combos) for combos in shown],
        merged_note=_notes(
            _("Không công bố các cột có nhóm nhỏ hơn %(k)d câu trả lời: %(names)s.")
            % {"k": survey.k, "names": ", ".join(label_of(other, o, language) for o in withheld)}
            if withheld
            else "",
            _rows_note(item, plan, survey.k, language),
        ),
    )


def options(survey: Survey, language: str) -> list[tuple[str, str]]:
    ordered, _known = _fields(survey)
    return [
        (f.name, forms.pick(f.label, language) or f.name)
        for f in ordered
        if f.kind in forms.CATEGORICAL
    ]


def closed_rows(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """Raw answers, closed questions only (and free text only when the unit admin allows)."""
    ordered, _known = _fields(survey)
    names = [f.name for f in ordered if f.closed or (survey.free_text_export and f.kind == "text")]
    header = ["version", "day", "unit", *names]
    rows: list[list[Any]] = []
    texts = {f.name for f in ordered if f.kind == "text"}
    query = (
        _answers(survey)
        .order_by("day", "pk")
        .values_list("version__number", "day", "unit__name", "values")
    )
    for number, day, unit_name, values in query.iterator(chunk_size=2000):
        rows.append(
            [
                number,
                day.isoformat(),
                unit_name,
                *[
                    mask_contacts(str(values.get(n, ""))) if n in texts else values.get(n, "")
                    for n in names
                ],
            ]
        )
    return header, rows
