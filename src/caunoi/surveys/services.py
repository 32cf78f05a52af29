"""Writes for surveys: create and change a survey, upload its form, store answers.

Portal answers are not written to the audit log: the log keeps exact times and would link an
answer to a moment. Staff actions (paper answers included) are audited without the answer."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, can
from caunoi.surveys import form as forms
from caunoi.surveys.models import (
    K_MINIMUM,
    Answer,
    AnsweredToken,
    AnswerSource,
    Survey,
    SurveyVersion,
)
from caunoi.surveys.xlsform import convert


class SurveyClosed(CaunoiError):
    pass


class AlreadyAnswered(CaunoiError):
    pass


class AnswerInvalid(CaunoiError):
    def __init__(self, checked: forms.Checked) -> None:
        self.checked = checked
        super().__init__(_("Có %(n)d câu cần sửa.") % {"n": len(checked.errors)})


def _check_fields(*, opens_on: date, closes_on: date, k: int) -> None:
    if closes_on < opens_on:
        raise CaunoiError(_("Ngày đóng phải sau ngày mở. Hãy sửa lại ngày."))
    if k < K_MINIMUM:
        raise CaunoiError(
            _("k không được nhỏ hơn %(n)d: nhóm nhỏ hơn dễ làm lộ người trả lời.")
            % {"n": K_MINIMUM}
        )


def _may_open_free_text(by: User | None, unit: Unit) -> None:
    if by is None or not can(by, Action.UNIT_CHANGE, unit):
        raise CaunoiError(_("Chỉ quản trị đơn vị mới bật hoặc tắt việc xuất câu trả lời tự do."))


@transaction.atomic
def survey_create(
    *,
    unit: Unit,
    by: User | None,
    title: str,
    opens_on: date,
    closes_on: date,
    description: str = "",
    k: int = 5,
    one_page: bool = True,
    free_text_export: bool = False,
) -> Survey:
    _check_fields(opens_on=opens_on, closes_on=closes_on, k=k)
    if free_text_export:
        _may_open_free_text(by, unit)
    survey = Survey.objects.create(
        unit=unit,
        title=title,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
        k=k,
        one_page=one_page,
        free_text_export=free_text_export,
        created_by=by,
    )
    audit.record("caunoi.survey.created", actor=by, unit=unit, obj=survey)
    return survey


FIELDS = ("title", "description", "opens_on", "closes_on", "k", "one_page", "free_text_export")


@transaction.atomic
def survey_update(*, survey: Survey, by: User | None, **changes: Any) -> Survey:
    before = {name: getattr(survey, name) for name in FIELDS}
    after = {**before, **{k: v for k, v in changes.items() if k in FIELDS}}
    _check_fields(opens_on=after["opens_on"], closes_on=after["closes_on"], k=after["k"])
    if after["free_text_export"] != before["free_text_export"]:
        _may_open_free_text(by, survey.unit)
    for name, value in after.items():
        setattr(survey, name, value)
    survey.save()
    audit.record(
        "caunoi.survey.changed",
        actor=by,
        unit=survey.unit,
        obj=survey,
        changes={k: [str(v[0]), str(v[1])] for k, v in audit.diff(before, after).items()},
    )
    return survey


@transaction.atomic
def form_upload(*, survey: Survey, by: User | None, data: bytes, filename: str) -> SurveyVersion:
    """Convert and keep the form. Once answers exist on the latest version, a new version starts,
    so every answer keeps the form it was given on."""
    converted = convert(data, filename)
    if not forms.load(converted).fields:
        raise CaunoiError(_("Biểu mẫu không có câu hỏi nào."))
    latest = (
        SurveyVersion.objects.select_for_update().filter(survey=survey).order_by("-number").first()
    )
    if latest is not None and not latest.answers.exists():
        latest.form = converted
        latest.filename = filename
        latest.created_by = by
        latest.save(update_fields=["form", "filename", "created_by"])
        version = latest
    else:
        version = SurveyVersion.objects.create(
            survey=survey,
            number=(latest.number + 1) if latest else 1,
            form=converted,
            filename=filename,
            created_by=by,
        )
    audit.record(
        "caunoi.survey.form_uploaded",
        actor=by,
        unit=survey.unit,
        obj=survey,
        changes={"version": [None, version.number], "file": [None, filename]},
    )
    return version


def token_digest(survey: Survey, token: str) -> str:
    return hashlib.sha256(f"caunoi-survey:{survey.pk}:{token}".encode()).hexdigest()


def answer_submit(
    *,
    survey: Survey,
    version: SurveyVersion,
    unit: Unit | int,
    raw: dict[str, list[str]],
    today: date,
    language: str,
    token: str = "",
    by: User | None = None,
    form: forms.Form | None = None,
) -> Answer:
    """Check and store one answer, all or nothing. A portal answer needs the
    visitor's token; a paper answer is entered by staff (`by`). `unit` may be a unit's id: the
    portal passes what the visitor chose, and the store checks it lies in the survey's subtree."""
    if not survey.is_open(today) and by is None:
        raise SurveyClosed(
            _("Khảo sát này đã đóng từ ngày %(day)s; câu trả lời không được lưu.")
            % {"day": survey.closes_on.strftime("%d/%m/%Y")}
        )
    if today < survey.opens_on:
        raise SurveyClosed(
            _("Khảo sát này mở từ ngày %(day)s.") % {"day": survey.opens_on.strftime("%d/%m/%Y")}
        )
    if isinstance(unit, Unit) and not unit.is_within(survey.unit):
        raise _outside()
    checked = forms.check(form or forms.load(version.form), raw, today, language)
    if checked.errors:
        raise AnswerInvalid(checked)
    unit_id = unit.pk if isinstance(unit, Unit) else int(unit)
    source = AnswerSource.PORTAL if by is None else AnswerSource.PAPER
    digest = token_digest(survey, token) if by is None else ""
    try:
        if by is None and connection.vendor == "postgresql":
            stored = _store_at_once(survey, version, unit_id, today, checked.values, digest)
        else:
            stored = _store(survey, version, unit_id, today, source, checked.values, digest, by)
    except IntegrityError as error:
        if not _is_token_taken(error):
            raise
        raise AlreadyAnswered(
            _("Trình duyệt này đã gửi câu trả lời cho khảo sát này; mỗi người chỉ trả lời một lần.")
        ) from error
    if stored is None:
        raise _outside()
    return stored


def _is_token_taken(error: IntegrityError) -> bool:
    """Only a second answer with the same token is the visitor's doing; any other integrity
    error is a fault of ours and must not read as "you already answered"."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is None:  # SQLite says only which column
        return "answeredtoken" in str(error).lower()
    return "answeredtoken" in str(getattr(diag, "constraint_name", "") or "")


def _outside() -> CaunoiError:
    return CaunoiError(_("Đơn vị được chọn không thuộc phạm vi của khảo sát này."))


def _store(
    survey: Survey,
    version: SurveyVersion,
    unit_id: int,
    day: date,
    source: str,
    values: dict[str, str],
    digest: str,
    by: User | None,
) -> Answer | None:
    with transaction.atomic():
        if not Unit.objects.filter(pk=unit_id, path__startswith=survey.unit.path).exists():
            return None
        if digest:
            AnsweredToken.objects.create(digest=digest)
        answer = Answer.objects.create(
            survey=survey, version=version, unit_id=unit_id, day=day, source=source, values=values
        )
        if by is not None:
            audit.record(
                "caunoi.survey.paper_answer_entered", actor=by, unit=survey.unit, obj=survey
            )
    return answer


def _store_at_once(
    survey: Survey,
    version: SurveyVersion,
    unit_id: int,
    day: date,
    values: dict[str, str],
    digest: str,
) -> Answer | None:
    """A portal answer on PostgreSQL in one statement (so one round trip and one commit): the
    place is checked, the token's hash and the answer are inserted together or not at all."""
    quote = connection.ops.quote_name
    units, tokens, answers = (
        quote(model._meta.db_table) for model in (Unit, AnsweredToken, Answer)
    )
    columns = f"survey_id, version_id, unit_id, day, source, {quote('values')}, tallied"
    # Only quoted table and column names are formatted in; every value is a parameter.
    place = f"SELECT id FROM {units} WHERE id = %s AND starts_with(path, %s)"  # noqa: S608
    token = f"INSERT INTO {tokens} (digest) SELECT %s FROM place RETURNING digest"  # noqa: S608
    insert = f"INSERT INTO {answers} ({columns})"
    rows = "SELECT %s, %s, place.id, %s, %s, %s, false FROM place, token RETURNING id"
    sql = f"WITH place AS ({place}), token AS ({token}) {insert} {rows}"
    column = Answer._meta.get_field("values")
    params = [
        unit_id,
        survey.unit.path,
        digest,
        survey.pk,
        version.pk,
        day,
        AnswerSource.PORTAL.value,
        column.get_db_prep_value(values, connection),
    ]
    # One statement in autocommit is its own transaction (BEGIN and COMMIT would be two more
    # round trips); inside a caller's transaction a savepoint keeps a refusal from spoiling it.
    inside = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with inside, connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return Answer(
        pk=int(row[0]),
        survey=survey,
        version=version,
        unit_id=unit_id,
        day=day,
        source=AnswerSource.PORTAL,
        values=values,
    )
