"""Taking reports in: from the portal, from Open311 clients, and from staff answering the phone
or a visitor at the desk. A report is committed before report_submit returns, so whatever the
citizen is told is already stored; notifying the handlers happens afterwards in the worker.

Handling steps (acknowledge, re-route, answer, merge, ...) live in caunoi.feedback.handling."""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import dateparse, timezone
from django.utils.translation import gettext as _

from caunoi.core import audit, memo
from caunoi.core.errors import CaunoiError
from caunoi.core.images import CleanImage, ImageRejected, clean_image
from caunoi.core.inserts import insert_returning_pk, insert_together, reserved_pk
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.core.tasks import enqueue_on_commit, task_row, tasks_enqueued
from caunoi.core.text import fold
from caunoi.feedback.counting import new_count_statements
from caunoi.feedback.models import (
    Category,
    CategoryAttribute,
    Datatype,
    EventKind,
    Photo,
    Report,
    ReportEvent,
    Source,
    Status,
    category_defaults,
)
from caunoi.feedback.routing import cell_of, route
from caunoi.feedback.worktime import WorkCalendar
from caunoi.reports import counters

MAX_DESCRIPTION = 4000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_ADDRESS = 300
_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s.\-()]{8,20}$")


class ReportRejected(CaunoiError):
    """A report was not taken in; `errors` says field by field what to fix."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(" ".join(m for messages in errors.values() for m in messages))


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""


def new_public_id() -> str:
    code = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return math.nan
    return number


def _coordinates(lat: Any, lon: Any, errors: dict[str, list[str]]) -> tuple[float | None, ...]:
    la, lo = _number(lat), _number(lon)
    if la is None and lo is None:
        return None, None
    if la is None or lo is None:
        key = "lat" if la is None else "lon"
        errors[key] = [_("Cần cả vĩ độ và kinh độ, hoặc bỏ trống cả hai.")]
        return None, None
    if not math.isfinite(la) or not -90 <= la <= 90:
        errors["lat"] = [_("Vĩ độ phải là một số từ -90 đến 90, ví dụ 21.0285.")]
    if not math.isfinite(lo) or not -180 <= lo <= 180:
        errors["lon"] = [_("Kinh độ phải là một số từ -180 đến 180, ví dụ 105.8542.")]
    if "lat" in errors or "lon" in errors:
        return None, None
    return la, lo


def _one_attribute(question: CategoryAttribute, raw: Any) -> tuple[Any, str]:
    """The stored value of one answer, or an error message."""
    if question.datatype == Datatype.MULTI:
        given = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])]
        keys = {str(v["key"]) for v in question.values}
        wrong = [v for v in given if v not in keys]
        if wrong:
            return None, _("“%(value)s” không có trong danh sách lựa chọn.") % {"value": wrong[0]}
        return given, ""
    text = str(raw[-1] if isinstance(raw, list | tuple) else raw).strip()
    if question.datatype == Datatype.SINGLE:
        if text not in {str(v["key"]) for v in question.values}:
            return None, _("“%(value)s” không có trong danh sách lựa chọn.") % {"value": text}
        return text, ""
    if question.datatype == Datatype.NUMBER:
        number = _number(text)
        if number is None or not math.isfinite(number):
            return None, _("Hãy nhập một số, ví dụ 12 hoặc 3.5.")
        return number, ""
    if question.datatype == Datatype.DATETIME:
        try:
            moment = dateparse.parse_datetime(text) or dateparse.parse_date(text)
        except ValueError:
            moment = None
        if moment is None:
            return None, _("Hãy nhập ngày theo dạng 2025-03-31 hoặc 2025-03-31T14:30.")
        return moment.isoformat(), ""
    limit = 300 if question.datatype == Datatype.STRING else MAX_DESCRIPTION
    if len(text) > limit:
        return None, _("Câu trả lời dài quá %(limit)s ký tự.") % {"limit": limit}
    return text, ""


def _attributes(
    questions: list[CategoryAttribute], given: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        raw = given.get(question.code)
        if raw is None or raw == "" or raw == []:
            if question.required:
                errors[f"attribute[{question.code}]"] = [
                    _("Hãy trả lời câu hỏi “%(question)s”.") % {"question": question.description}
                ]
            continue
        value, problem = _one_attribute(question, raw)
        if problem:
            errors[f"attribute[{question.code}]"] = [problem]
        else:
            answers[question.code] = value
    return answers


def _contact(contact: Contact | None, errors: dict[str, list[str]]) -> Contact:
    if contact is None:
        return Contact()
    name, phone, email = contact.name.strip(), contact.phone.strip(), contact.email.strip()
    if len(name) > 150:
        errors["contact_name"] = [_("Họ tên dài quá 150 ký tự.")]
    if phone and not _PHONE.match(phone):
        errors["contact_phone"] = [_("Số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678.")]
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        errors["contact_email"] = [_("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@vidu.vn.")]
    return Contact(name, phone, email)


def _photos(photos: Iterable[Any], errors: dict[str, list[str]]) -> list[CleanImage]:
    given = list(photos)
    if len(given) > MAX_PHOTOS:
        errors["photos"] = [_("Gửi tối đa %(count)s ảnh.") % {"count": MAX_PHOTOS}]
        return []
    cleaned, problems = [], []
    for index, upload in enumerate(given, start=1):
        try:
            cleaned.append(clean_image(upload, max_bytes=MAX_PHOTO_BYTES))
        except ImageRejected as error:
            problems.append(_("Ảnh %(n)s: %(error)s") % {"n": index, "error": error})
    if problems:
        errors["photos"] = problems
    return cleaned


def deadlines(
    *,
    category: Category,
    received: datetime,
    urgent: bool,
    several_units: bool,
    settings: memo.Snapshot | None = None,
) -> tuple[datetime, datetime]:
    """(acknowledge by, answer by) in working time from the moment the report arrived."""
    defaults = category_defaults()

    def pick(name: str) -> int:
        value = getattr(category, name)
        return int(value if value is not None else defaults[name])

    if settings is None:
        calendar = WorkCalendar.around(received)
    else:
        day = timezone.localdate(received)
        calendar = settings.get(("calendar", day), lambda: WorkCalendar.around(received))
    ack = calendar.add_hours(received, pick("ack_hours"))
    if urgent:
        return ack, calendar.add_hours(received, pick("urgent_hours"))
    days = pick("answer_days_several") if several_units else pick("answer_days")
    return ack, calendar.add_days(received, days)


def store_photo(report: Report, image: CleanImage, *, by_handler: bool = False) -> Photo:
    photo = Photo(
        report=report,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        by_handler=by_handler,
    )
    photo.image.save(
        f"{secrets.token_hex(12)}.{image.extension}", ContentFile(image.content), save=False
    )
    photo.save()
    return photo


@dataclass(frozen=True)
class ReportDraft:
    """A report that passed every check, routed and with its deadlines, not yet stored."""

    fields: dict[str, Any]
    photos: list[CleanImage]
    category: Category
    responsible: Unit
    source: str
    by: User | None


def _questions(category: Category, settings: memo.Snapshot | None) -> list[CategoryAttribute]:
    if settings is None:
        return list(category.attributes.all())
    return settings.get(("questions", category.pk), lambda: list(category.attributes.all()))


def report_check(
    *,
    category: Category | None,
    description: str,
    lat: Any = None,
    lon: Any = None,
    address: str = "",
    unit: Unit | None = None,
    attributes: Mapping[str, Any] | None = None,
    photos: Iterable[Any] = (),
    contact: Contact | None = None,
    source: str,
    by: User | None = None,
    urgent: bool | None = None,
    settings: memo.Snapshot | None = None,
) -> ReportDraft:
    """Every check report_submit makes, and the routing and deadlines, without writing
    anything. Raises ReportRejected with the errors field by field."""
    errors: dict[str, list[str]] = {}
    if category is None or not category.active:
        errors["category"] = [_("Hãy chọn lĩnh vực phản ánh.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Hãy mô tả vấn đề bạn muốn phản ánh.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("Nội dung dài %(length)s ký tự, quá giới hạn %(limit)s. Hãy rút gọn lại.")
            % {"length": len(description), "limit": MAX_DESCRIPTION}
        ]
    la, lo = _coordinates(lat, lon, errors)
    address = (address or "").strip()
    if len(address) > MAX_ADDRESS:
        errors["address"] = [_("Địa chỉ dài quá %(limit)s ký tự.") % {"limit": MAX_ADDRESS}]
    if la is None and not address and unit is None and not ({"lat", "lon"} & errors.keys()):
        errors["location"] = [
            _("Hãy chọn vị trí trên bản đồ, nhập địa chỉ, hoặc chọn xã/phường nơi xảy ra.")
        ]
    if source not in Source.values:
        errors["source"] = [_("Nguồn tiếp nhận không hợp lệ.")]
    answers = (
        _attributes(_questions(category, settings), attributes or {}, errors)
        if category is not None
        else {}
    )
    person = _contact(contact, errors)
    cleaned = _photos(photos, errors)
    if errors:
        raise ReportRejected(errors)
    assert category is not None
    responsible = route(category=category, lat=la, lon=lo, picked=unit, settings=settings)
    if source in (Source.PHONE, Source.WALK_IN):
        if by is None:
            raise ReportRejected(
                {"source": [_("Cần cán bộ tiếp nhận cho phản ánh qua điện thoại.")]}
            )
        require(by, Action.REPORT_HANDLE, unit or responsible)
    received = timezone.now()
    is_urgent = category.urgent_by_default if urgent is None else urgent
    ack_by, answer_by = deadlines(
        category=category,
        received=received,
        urgent=is_urgent,
        several_units=False,
        settings=settings,
    )
    fields = {
        "category": category,
        "unit": responsible,
        "source": source,
        "description": description,
        "folded": fold(description),
        "lat": la,
        "lon": lo,
        "cell": cell_of(la, lo),
        "address": address,
        "attributes": answers,
        "urgent": is_urgent,
        "contact_name": person.name,
        "contact_phone": person.phone,
        "contact_email": person.email,
        "ack_deadline": ack_by,
        "deadline": answer_by,
        "created_by": by,
        "created_at": received,
    }
    return ReportDraft(fields, cleaned, category, responsible, source, by)


def _rows(
    report: Report, draft: ReportDraft, along: Callable[[Report], Iterable[Model]] | None
) -> list[Model]:
    """What is written with a report: its history line, audit entry, the caller's rows."""
    rows: list[Model] = [
        ReportEvent(
            report=report,
            at=report.created_at,
            kind=EventKind.STATUS,
            status=Status.RECEIVED,
            by=draft.by,
            to_unit=draft.responsible,
        ),
        audit.entry(
            "caunoi.report.received",
            actor=draft.by,
            unit=draft.responsible,
            obj=report,
            changes={
                "source": draft.source,
                "category": draft.category.code,
                "photos": len(draft.photos),
            },
        ),
    ]
    if along is not None:
        rows += along(report)
    return rows


def _write(
    draft: ReportDraft,
    along: Callable[[Report], Iterable[Model]] | None,
    settings: memo.Snapshot,
) -> Report:
    """The report and everything written with it (history line, audit entry, the caller's
    rows, the notification task, the roll-up counters), committed together.

    On PostgreSQL, outside any transaction of the caller's and without photos, the report's id
    is drawn ahead of time (core.inserts.reserved_pk) and all of it is one statement, which
    PostgreSQL commits by itself: no BEGIN and COMMIT round trips. Otherwise the report is
    inserted first (its id is needed), then the rest in one statement, in a transaction."""
    from caunoi.feedback.tasks import report_received

    chains = settings.get(
        ("ancestors", draft.responsible.pk), lambda: counters.ancestor_ids([draft.responsible])
    )
    connection = transaction.get_connection()
    at_once = (
        connection.vendor == "postgresql" and not connection.in_atomic_block and not draft.photos
    )
    with nullcontext() if at_once else transaction.atomic():
        report = Report(
            pk=reserved_pk(Report) if at_once else None,
            public_id=new_public_id(),
            secret=secrets.token_urlsafe(18),
            **draft.fields,
        )
        rows: list[Model] = [report] if at_once else []
        if not at_once:
            insert_returning_pk(report)
            for image in draft.photos:
                store_photo(report, image)
        rows += _rows(report, draft, along)
        task = task_row(report_received, report.pk)
        if task is not None:
            rows.append(task)
        insert_together(rows, more=new_count_statements([report], chains=chains))
        if task is not None:
            tasks_enqueued([task])
        else:
            enqueue_on_commit(report_received, report.pk)
    return report


def report_submit(
    *,
    category: Category | None,
    description: str,
    lat: Any = None,
    lon: Any = None,
    address: str = "",
    unit: Unit | None = None,
    attributes: Mapping[str, Any] | None = None,
    photos: Iterable[Any] = (),
    contact: Contact | None = None,
    source: str,
    by: User | None = None,
    urgent: bool | None = None,
    along: Callable[[Report], Iterable[Model]] | None = None,
    settings: memo.Snapshot | None = None,
) -> Report:
    """Take a report in, route it, set its deadlines; committed when this returns (unless the
    caller holds a transaction open). `along(report)` returns more new rows (unsaved, ids not
    read back) that must commit with it;
    `settings` is the caller's memo snapshot, when it took one."""
    if settings is None:
        settings = memo.snapshot()
    draft = report_check(
        category=category,
        description=description,
        lat=lat,
        lon=lon,
        address=address,
        unit=unit,
        attributes=attributes,
        photos=photos,
        contact=contact,
        source=source,
        by=by,
        urgent=urgent,
        settings=settings,
    )
    for _attempt in range(5):
        try:
            return _write(draft, along, settings)
        except IntegrityError as error:
            # The one-in-a-trillion public id that is taken: the whole write is undone (no
            # savepoint is paid for on every report), so draw another id and write it again.
            if "public_id" not in str(error):
                raise
    raise CaunoiError(_("Không tạo được mã phản ánh. Hãy thử lại."))  # pragma: no cover
