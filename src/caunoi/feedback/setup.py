"""What a unit administrator configures: categories with their extra questions and answer
templates, the unit's area, its complaint guidance, and the holiday calendar. Each write is
permission-checked (FEEDBACK_CONFIGURE) and audited."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, User
from caunoi.core.permissions import Action, require
from caunoi.feedback.models import (
    AnswerTemplate,
    CalendarDay,
    Category,
    CategoryAttribute,
    Datatype,
    DayKind,
    UnitArea,
    UnitGuidance,
)
from caunoi.feedback.routing import bounds

CATEGORY_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "group",
    "keywords",
    "active",
    "order",
    "ack_hours",
    "urgent_hours",
    "answer_days",
    "answer_days_several",
    "urgent_by_default",
)


class SetupError(CaunoiError):
    pass


@transaction.atomic
def category_save(
    *, unit: Unit, by: User, category: Category | None = None, **fields: Any
) -> Category:
    require(by, Action.FEEDBACK_CONFIGURE, unit)
    code = slugify(str(fields.get("code") or (category.code if category else "")))
    if not code:
        raise SetupError(
            _("Hãy đặt mã lĩnh vực (chữ không dấu, số, gạch ngang), ví dụ chieu-sang.")
        )
    fields["code"] = code
    before = {k: getattr(category, k) for k in CATEGORY_FIELDS} if category else {}
    target = category or Category(unit=unit)
    if target.unit_id != unit.pk:
        raise SetupError(_("Lĩnh vực này do đơn vị cấp trên đặt; chỉ đơn vị đó sửa được."))
    for name in CATEGORY_FIELDS:
        if name in fields:
            setattr(target, name, fields[name])
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise SetupError(
            _("Mã “%(code)s” đã được dùng cho lĩnh vực khác. Hãy chọn mã khác.") % {"code": code}
        ) from None
    after = {k: getattr(target, k) for k in CATEGORY_FIELDS}
    audit.record(
        "caunoi.report_category.saved",
        actor=by,
        unit=unit,
        obj=target,
        changes=audit.diff(before, after),
    )
    return target


def _values(text: str) -> list[dict[str, str]]:
    """ "key=Name" per line (or just a name) → [{"key", "name"}]."""
    values = []
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, name = line.partition("=")
        key = key.strip() if sep else slugify(line.strip()) or line.strip()
        values.append({"key": key, "name": (name if sep else line).strip()})
    return values


@transaction.atomic
def attribute_add(
    *,
    category: Category,
    by: User,
    code: str,
    datatype: str,
    description: str,
    required: bool = False,
    values_text: str = "",
) -> CategoryAttribute:
    require(by, Action.FEEDBACK_CONFIGURE, category.unit)
    code = slugify(code)
    if not code or not description.strip():
        raise SetupError(_("Câu hỏi cần có mã và nội dung."))
    if datatype not in Datatype.values:
        raise SetupError(_("Kiểu câu trả lời không hợp lệ."))
    values = _values(values_text)
    if datatype in (Datatype.SINGLE, Datatype.MULTI) and not values:
        raise SetupError(_("Câu hỏi chọn từ danh sách cần ít nhất một lựa chọn, mỗi dòng một."))
    if category.attributes.filter(code=code).exists():
        raise SetupError(_("Lĩnh vực đã có câu hỏi mã “%(code)s”.") % {"code": code})
    question = CategoryAttribute.objects.create(
        category=category,
        code=code,
        datatype=datatype,
        description=description.strip(),
        required=required,
        values=values,
        order=category.attributes.count(),
    )
    audit.record(
        "caunoi.report_category.question_added", actor=by, unit=category.unit, obj=question
    )
    return question


@transaction.atomic
def attribute_delete(*, question: CategoryAttribute, by: User) -> None:
    require(by, Action.FEEDBACK_CONFIGURE, question.category.unit)
    audit.record(
        "caunoi.report_category.question_removed",
        actor=by,
        unit=question.category.unit,
        obj=question,
    )
    question.delete()


@transaction.atomic
def template_add(*, category: Category, by: User, title: str, body: str) -> AnswerTemplate:
    require(by, Action.FEEDBACK_CONFIGURE, category.unit)
    if not title.strip() or not body.strip():
        raise SetupError(_("Mẫu trả lời cần có tên và nội dung."))
    made = AnswerTemplate.objects.create(category=category, title=title.strip(), body=body.strip())
    audit.record("caunoi.report_category.template_added", actor=by, unit=category.unit, obj=made)
    return made


@transaction.atomic
def area_set(
    *, unit: Unit, by: User, geojson: str, handles_reports: bool = True
) -> UnitArea | None:
    """The unit's area from GeoJSON text (Polygon, MultiPolygon or a Feature of one); empty
    text removes it."""
    require(by, Action.FEEDBACK_CONFIGURE, unit)
    if not geojson.strip():
        UnitArea.objects.filter(unit=unit).delete()
        audit.record("caunoi.unit_area.removed", actor=by, unit=unit, obj=unit)
        return None
    try:
        geometry = json.loads(geojson)
        if geometry.get("type") == "FeatureCollection":
            geometry = geometry["features"][0]
        if geometry.get("type") == "Feature":
            geometry = geometry["geometry"]
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError
        problem = _area_problem(geometry)
        min_lat, max_lat, min_lon, max_lon = bounds(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise SetupError(
            _("Vùng phải là GeoJSON kiểu Polygon hoặc MultiPolygon, tọa độ [kinh độ, vĩ độ].")
        ) from None
    if problem:
        raise SetupError(problem)
    area, _created = UnitArea.objects.update_or_create(
        unit=unit,
        defaults={
            "geometry": geometry,
            "min_lat": min_lat,
            "max_lat": max_lat,
            "min_lon": min_lon,
            "max_lon": max_lon,
            "handles_reports": handles_reports,
        },
    )
    audit.record(
        "caunoi.unit_area.saved",
        actor=by,
        unit=unit,
        obj=unit,
        changes={"handles": handles_reports},
    )
    return area


def _area_problem(geometry: dict[str, Any]) -> str:
    """What is wrong with the rings of a Polygon or MultiPolygon, in words; "" when nothing.

    Raises ValueError when the shape is not even a list of rings of positions."""
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        raise ValueError
    for number, rings in enumerate(polygons, start=1):
        if not isinstance(rings, list) or not rings:
            raise ValueError
        for ring in rings:
            if not isinstance(ring, list):
                raise ValueError
            points = [(float(p[0]), float(p[1])) for p in ring]
            if len(points) < 4 or points[0] != points[-1]:
                return _(
                    "Vùng %(n)s chưa khép kín: cần ít nhất 3 đỉnh, điểm cuối trùng điểm đầu."
                ) % {"n": number}
            if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in points):
                return _(
                    "Vùng %(n)s có tọa độ ngoài phạm vi (kinh độ từ -180 đến 180, vĩ độ từ -90 "
                    "đến 90). GeoJSON viết [kinh độ, vĩ độ]: có thể hai số đang bị đảo."
                ) % {"n": number}
    return ""


@transaction.atomic
def guidance_set(*, unit: Unit, by: User, text: str) -> UnitGuidance:
    require(by, Action.FEEDBACK_CONFIGURE, unit)
    guidance, _created = UnitGuidance.objects.update_or_create(
        unit=unit, defaults={"complaint_guidance": text.strip()}
    )
    audit.record("caunoi.unit_guidance.saved", actor=by, unit=unit, obj=unit)
    return guidance


def _require_calendar(unit: Unit, by: User) -> None:
    require(by, Action.FEEDBACK_CONFIGURE, unit)
    if unit.depth != 1:
        raise SetupError(_("Lịch nghỉ lễ dùng chung cho cả hệ thống: chỉ đơn vị cấp cao nhất sửa."))


@transaction.atomic
def calendar_day_set(*, unit: Unit, by: User, day: date, kind: str, name: str) -> CalendarDay:
    _require_calendar(unit, by)
    if kind not in DayKind.values or not name.strip():
        raise SetupError(_("Hãy chọn loại ngày và ghi tên ngày nghỉ."))
    row, _created = CalendarDay.objects.update_or_create(
        day=day, defaults={"kind": kind, "name": name.strip()}
    )
    audit.record(
        "caunoi.calendar.day_set",
        actor=by,
        unit=unit,
        obj=row,
        changes={"day": day.isoformat(), "kind": kind},
    )
    return row


@transaction.atomic
def calendar_day_delete(*, unit: Unit, by: User, row: CalendarDay) -> None:
    _require_calendar(unit, by)
    audit.record(
        "caunoi.calendar.day_removed",
        actor=by,
        unit=unit,
        obj=row,
        changes={"day": row.day.isoformat()},
    )
    row.delete()
