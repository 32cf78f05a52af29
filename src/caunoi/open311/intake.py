"""POST requests.<format>: a 311 app files a citizen's report.

Checks run from the cheapest: rate limit (429), body size (413), api_key (403), jurisdiction
(404), then every field at once (400, one error per field). The report and the record of which
key sent it are committed together before the answer is written.

Contact fields follow the privacy rules: first_name, last_name, phone and email are stored
encrypted for the handler and never sent back; device_id and account_id are not kept at all.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core import memo
from caunoi.core.ratelimit import retry_after
from caunoi.feedback import selectors as feedback
from caunoi.feedback.models import Category, Report, Source
from caunoi.feedback.services import Contact, ReportRejected, report_check, report_submit
from caunoi.open311 import formats, selectors, services
from caunoi.open311.endpoint import Problem, jurisdiction, within
from caunoi.open311.models import ApiKey, Submission

_URL = URLValidator(schemes=["http", "https"])
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# Our field names in report_submit's errors, as Open311 clients know them.
_FIELD_NAMES = {
    "category": "service_code",
    "lon": "long",
    "address": "address_string",
    "location": "lat, long, address_string",
    "contact_name": "first_name, last_name",
    "contact_phone": "phone",
    "contact_email": "email",
    "photos": "media_url",
}


def _too_many(fmt: str, seconds: int) -> HttpResponse:
    response = formats.errors(
        fmt,
        429,
        [
            _("Gửi quá nhiều yêu cầu từ địa chỉ này; hãy thử lại sau %(seconds)s giây.")
            % {"seconds": seconds}
        ],
    )
    response["Retry-After"] = str(seconds)
    return response


def _form(request: HttpRequest) -> QueryDict:
    limit = int(settings.CAUNOI_OPEN311_MAX_BODY)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_big = Problem(
        413,
        _("Nội dung gửi lên lớn hơn %(kb)s KB; ảnh hãy gửi bằng đường dẫn media_url.")
        % {"kb": limit // 1024},
    )
    if length > limit:
        raise too_big
    try:
        form = request.POST
        uploads = bool(request.FILES)
    except RequestDataTooBig:
        raise too_big from None
    except TooManyFieldsSent:
        raise Problem(400, _("Quá nhiều trường trong yêu cầu.")) from None
    if uploads:
        raise Problem(400, _("media: máy chủ không nhận tệp; hãy gửi đường dẫn ảnh ở media_url."))
    return form


def _key(form: QueryDict, settings: memo.Snapshot) -> ApiKey:
    raw = form.get("api_key", "").strip()
    if not raw:
        raise Problem(403, _("api_key: cần có khóa để gửi phản ánh; hãy xin khóa từ đơn vị."))
    key = settings.get(("open311-key", services.key_hash(raw)), lambda: selectors.key_by_raw(raw))
    if key is None:
        raise Problem(403, _("api_key: khóa không đúng."))
    if key.revoked_at is not None:
        raise Problem(
            403,
            _("api_key: khóa đã bị thu hồi ngày %(day)s; hãy xin khóa mới.")
            % {"day": timezone.localtime(key.revoked_at).strftime("%Y-%m-%d")},
        )
    return key


def _attributes(form: QueryDict) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for name in form:
        match = _ATTRIBUTE.match(name)
        if match is None:
            continue
        code, many = match.group(1), match.group(2)
        values = form.getlist(name)
        answers[code] = values if many else values[-1]
    return answers


def _category(
    code: str, unit: Any, errors: dict[str, list[str]], settings: memo.Snapshot
) -> Category | None:
    if not code:
        errors["service_code"] = [_("Hãy gửi service_code, lấy từ services.json.")]
        return None
    found = settings.get(("category", code), lambda: feedback.category_by_code(code))
    if (
        found is None
        or not found.active
        or not (within(unit, found.unit) or within(found.unit, unit))
    ):
        errors["service_code"] = [
            _("Không có lĩnh vực “%(code)s” ở đây; xem danh sách ở services.json.") % {"code": code}
        ]
        return None
    return found


def _own_checks(form: QueryDict, errors: dict[str, list[str]]) -> str:
    """What report_submit does not know about: the spec's location rule and media_url."""
    has_point = bool(form.get("lat", "").strip() or form.get("long", "").strip())
    address = form.get("address_string", "").strip() or form.get("address_id", "").strip()
    if not has_point and not address:
        errors["lat, long, address_string"] = [
            _("Hãy gửi vị trí: lat và long, hoặc address_string, hoặc address_id.")
        ]
    media_url = form.get("media_url", "").strip()
    if media_url:
        try:
            if len(media_url) > 2000:
                raise ValidationError("too long")
            _URL(media_url)
        except ValidationError:
            errors["media_url"] = [
                _("Phải là một đường dẫn http(s) đầy đủ, dài tối đa 2000 ký tự.")
            ]
    return media_url


def _notice(report: Report) -> str:
    deadline = (
        timezone.localtime(report.deadline).strftime("%d/%m/%Y %H:%M") if report.deadline else ""
    )
    if deadline:
        return _("Đã chuyển tới %(unit)s. Hạn trả lời: %(deadline)s.") % {
            "unit": report.unit.name,
            "deadline": deadline,
        }
    return _("Đã chuyển tới %(unit)s.") % {"unit": report.unit.name}


def _submit(form: QueryDict, key: ApiKey, unit: Any, settings: memo.Snapshot) -> Report:
    errors: dict[str, list[str]] = {}
    category = _category(form.get("service_code", "").strip(), unit, errors, settings)
    media_url = _own_checks(form, errors)
    description = form.get("description", "")
    if not description.strip() and category is not None:
        # Optional in the spec: a report of the kind alone, with its answers, still says what.
        description = category.name
    name = " ".join(p for p in (form.get("first_name", ""), form.get("last_name", "")) if p.strip())
    report: dict[str, Any] = {
        "category": category,
        "description": description,
        "lat": form.get("lat"),
        "lon": form.get("long"),
        "address": form.get("address_string", "").strip() or form.get("address_id", ""),
        "unit": unit,
        "attributes": _attributes(form),
        "contact": Contact(name=name, phone=form.get("phone", ""), email=form.get("email", "")),
        "source": Source.OPEN311,
        "settings": settings,
    }

    def record_key(stored: Report) -> list[Submission]:  # committed with the report, or not
        return [Submission(report=stored, api_key=key, media_url=media_url)]

    try:
        if not errors:
            return report_submit(**report, along=record_key)
        report_check(**report)  # writes nothing: only adds its errors to ours
    except ReportRejected as rejected:
        for field, messages in rejected.errors.items():
            name = _FIELD_NAMES.get(field, field)
            if name == "service_code" and "service_code" in errors:
                continue
            if name == "lat, long, address_string" and name in errors:
                continue
            errors.setdefault(name, []).extend(messages)
    raise Problem(400, *[f"{field}: {' '.join(texts)}" for field, texts in errors.items()])


def post_request(request: HttpRequest, *, fmt: str) -> HttpResponse:
    wait = retry_after(request, "open311")
    if wait is not None:
        return _too_many(fmt, wait)
    form = _form(request)
    settings = memo.snapshot()
    key = _key(form, settings)
    unit = jurisdiction(form, default=key.unit, settings=settings)
    if not within(unit, key.unit):
        raise Problem(
            403,
            _("api_key: khóa này dành cho %(unit)s, không dùng được cho jurisdiction_id này.")
            % {"unit": key.unit.name},
        )
    report = _submit(form, key, unit, settings)
    services.apikey_mark_used(key)
    answer = [
        {
            "service_request_id": report.public_id,
            "service_notice": _notice(report),
            "account_id": None,
        }
    ]
    return formats.respond(fmt, "service_requests", answer)
