"""Our categories and reports in GeoReport v2's fields. Public fields only: no contact detail,
no reporter name, no text a handler has not yet looked at."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from caunoi.core.text import mask_contacts
from caunoi.feedback.models import Category, CategoryAttribute, Report
from caunoi.open311.formats import w3_datetime

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def service_name(category: Category) -> str:
    if translation.get_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": service_name(category),
        "description": category.description,
        # Attributes are prefetched by categories_for, so this costs no query per category.
        "metadata": bool(list(category.attributes.all())),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _datatype_description(datatype: str) -> str:
    hints = {
        "string": _("Một dòng chữ, tối đa 300 ký tự."),
        "number": _("Một số, ví dụ 12 hoặc 3.5."),
        "datetime": _("Ngày giờ ISO 8601, ví dụ 2026-03-31T14:30:00+07:00."),
        "text": _("Văn bản, có thể nhiều dòng."),
        "singlevaluelist": _("Một khóa (key) trong danh sách values."),
        "multivaluelist": _("Một hoặc nhiều khóa trong values, mỗi khóa một attribute[code][]."),
    }
    return hints.get(datatype, "")


def attribute(question: CategoryAttribute, position: int) -> dict[str, Any]:
    return {
        "variable": True,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": _datatype_description(question.datatype),
        # The spec wants distinct positive integers, 1 first.
        "order": position,
        "description": question.description,
        "values": [{"key": v["key"], "name": v["name"]} for v in question.values or []],
    }


def service_definition(category: Category) -> dict[str, Any]:
    questions = list(category.attributes.all())
    return {
        "service_code": category.code,
        "attributes": [attribute(q, n) for n, q in enumerate(questions, start=1)],
    }


def media_url(report: Report, base_url: str) -> str | None:
    """The spec's "URL to media associated with the request": the citizen's first public photo
    on this server (blurred where the handler blurred it), else the link the 311 app sent once
    a handler has checked and published it. Needs open311.selectors.with_media's annotations."""
    if not report.is_public:
        return None
    photo = getattr(report, "media_photo_id", None)
    if photo is not None:
        return f"{base_url.rstrip('/')}/phan-anh/anh/{photo}/"
    link: str | None = getattr(report, "media_link", None)
    return link or None


def service_request(report: Report, *, base_url: str = "") -> dict[str, Any]:
    """One report as GET requests shows it. Text appears once a handler has reviewed it."""
    closed = not report.is_open
    public = report.is_public
    return {
        "service_request_id": report.public_id,
        "status": "closed" if closed else "open",
        "status_notes": report.public_answer_text or None,
        "service_name": service_name(report.category),
        "service_code": report.category.code,
        "description": report.public_text or None,
        "agency_responsible": report.unit.name,
        "service_notice": None,
        "requested_datetime": w3_datetime(report.created_at),
        "updated_datetime": w3_datetime(
            (report.closed_at or report.updated_at) if closed else report.updated_at
        ),
        "expected_datetime": w3_datetime(report.deadline),
        "address": mask_contacts(report.address) if public and report.address else None,
        "address_id": None,
        "zipcode": None,
        "lat": report.lat,
        "long": report.lon,
        "media_url": media_url(report, base_url),
    }
