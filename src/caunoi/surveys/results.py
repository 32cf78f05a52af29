"""Results of a survey: counts per question and cross-tabulations, protected for small groups.

All numbers come from grouped queries (one per question, one per cross-tabulation); answers are
never loaded one by one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from caunoi.core.models import Unit
from caunoi.core.text import mask_contacts
from caunoi.surveys import form as forms
from caunoi.surveys.models import Answer, Survey, SurveyVersion
from caunoi.surveys.protection import Grouping, clean, cross_table, recode

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
class Results:
    survey: Survey
    total: int
    enough: bool
    versions: dict[int, int]
    questions: list[Question]
    fields: list[forms.Field]
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def _fields(survey: Survey) -> tuple[list[forms.Field], dict[str, forms.Field]]:
    """Questions of every version, the latest wording first (answers keep their version)."""
    ordered: list[forms.Field] = []
    known: dict[str, forms.Field] = {}
    for version in SurveyVersion.objects.filter(survey=survey).order_by("-number"):
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


def all_counts(survey: Survey, names: list[str], total: int) -> dict[str, Counter[str]]:
    """Each question's stored values and how many answers hold them, in one scan of the
    answers (json_each on SQLite, jsonb_each_text on PostgreSQL); "" counts the rest."""
    found: dict[str, Counter[str]] = {name: Counter() for name in names}
    if not names:
        return found
    table = connection.ops.quote_name(Answer._meta.db_table)
    column = connection.ops.quote_name("values")
    marks = ", ".join(["%s"] * len(names))
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    # Only quoted names and placeholders are formatted in; every value is a parameter.
    source = f"{table} AS a, {each}(a.{column}) AS pair"
    where = f"a.survey_id = %s AND pair.key IN ({marks})"
    select = "SELECT pair.key, pair.value, COUNT(*)"
    sql = f"{select} FROM {source} WHERE {where} GROUP BY pair.key, pair.value"
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey.pk, *names])
        for key, value, n in cursor.fetchall():
            if value not in (None, ""):
                found[key][str(value)] += n
    for counts in found.values():
        counts[NO_ANSWER] = total - sum(counts.values())
    return found


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


def grouping(item: forms.Field, counts: Counter[str], total: int, k: int) -> Grouping:
    order = categories(item)
    order += [c for c in counts if c not in order]
    return recode(dict(counts), order, k, multi=item.kind == "select_multiple", total=total)


def _question(
    survey: Survey, item: forms.Field, total: int, language: str, raw: Counter[str]
) -> Question:
    k = survey.k
    found = Question(item.name, item.kind, forms.pick(item.label, language) or item.name)
    answered = total - raw.get(NO_ANSWER, 0)
    if item.kind in forms.CATEGORICAL:
        counts = category_counts(item, raw)
        plan = grouping(item, counts, total, k)
        for group in plan.groups:
            n = sum(counts.get(c, 0) for c in group)
            labels = [label_of(item, c, language) for c in group]
            found.rows.append(Row(group_label(labels), n, 100.0 * n / total if total else 0.0))
        if plan.dropped:
            found.hidden_note = _(
                "Không công bố các lựa chọn có ít hơn %(k)d người chọn hoặc không chọn: %(names)s."
            ) % {"k": k, "names": ", ".join(label_of(item, c, language) for c in plan.dropped)}
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


def survey_results(survey: Survey, language: str) -> Results:
    total = _answers(survey).count()
    versions = dict(
        _answers(survey).values_list("version__number").annotate(n=Count("id")).order_by()
    )
    ordered, _known = _fields(survey)
    enough = total >= survey.k
    counts = all_counts(survey, [f.name for f in ordered], total) if enough else {}
    questions = (
        [_question(survey, item, total, language, counts[item.name]) for item in ordered]
        if enough
        else []
    )
    return Results(survey, total, enough, versions, questions, ordered, counts)


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


def crosstab(
    survey: Survey, question: str, by: str, language: str, found: Results | None = None
) -> CrossTab | None:
    _ordered, known = _fields(survey)
    item = known.get(question)
    if item is None or item.kind not in forms.CATEGORICAL:
        return None
    if by != BY_UNIT and (
        by not in known or known[by].kind not in forms.CATEGORICAL or by == question
    ):
        return None
    k = survey.k
    total = found.total if found is not None else _answers(survey).count()
    if total < k:
        return None
    wanted = [question] if by == BY_UNIT else [question, by]
    counts = (
        found.counts
        if found is not None and all(n in found.counts for n in wanted)
        else all_counts(survey, wanted, total)
    )
    raw_rows = counts[question]
    plan = grouping(item, category_counts(item, raw_rows), total, k)
    row_of = plan.group_of()
    multi = item.kind == "select_multiple"
    if by == BY_UNIT:
        order, column_of, names = _unit_columns(survey)
        pairs = (
            _answers(survey).values("unit_id", v=KT(f"values__{question}")).annotate(n=Count("id"))
        )
        keyed = [
            (str(column_of.get(p["unit_id"], survey.unit.path)), p["v"] or NO_ANSWER, p["n"])
            for p in pairs
        ]
        title = _("theo đơn vị")
    else:
        other = known[by]
        counts_by = category_counts(other, counts[by])
        column_plan = grouping(other, counts_by, total, k)
        column_group = column_plan.group_of()
        order = [str(i) for i in range(len(column_plan.groups))]
        names = {
            str(i): group_label([label_of(other, c, language) for c in g])
            for i, g in enumerate(column_plan.groups)
        }
        both = (
            _answers(survey)
            .values(v=KT(f"values__{question}"), b=KT(f"values__{by}"))
            .annotate(n=Count("id"))
        )
        keyed = []
        for p in both:
            b_value = p["b"] or NO_ANSWER
            b_options = (
                b_value.split() if other.kind == "select_multiple" and b_value else [b_value]
            )
            if other.kind == "rank" and b_value:
                b_options = [b_value.split()[0]]
            for option in b_options:
                if option in column_group:
                    keyed.append((str(column_group[option]), p["v"] or NO_ANSWER, p["n"]))
        title = _("theo “%(q)s”") % {"q": forms.pick(other.label, language) or by}
    if by != BY_UNIT and other.kind == "select_multiple":
        multi = True  # columns overlap: check complements too
    width = len(plan.groups)
    groups, cells, totals = cross_table(
        keyed, row_of, width, order, lambda value: expand(item, value), k, multi=multi
    )
    merged = [g for g in groups if len(g) > 1]
    return CrossTab(
        question=question,
        by=by,
        title=title,
        rows=[group_label([label_of(item, c, language) for c in g]) for g in plan.groups],
        columns=[group_label([names[c] for c in g]) for g in groups],
        cells=[[sum(cells[c][r] for c in g) for g in groups] for r in range(width)],
        column_totals=[sum(totals[c] for c in g) for g in groups],
        merged_note=_(
            "Các cột có nhóm nhỏ hơn %(k)d câu trả lời được gộp lại để không lộ nhóm nhỏ."
        )
        % {"k": k}
        if merged
        else "",
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
