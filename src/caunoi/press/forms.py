"""Forms of the press screens. The recurrence form builds an RRULE from the choices offices use."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from caunoi.press import recurrence
from caunoi.press.models import OutletKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OutletForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ quan báo chí"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=OutletKind.choices)
    email = forms.EmailField(label=_("E-mail toà soạn"), required=False)
    phone = forms.CharField(label=_("Điện thoại toà soạn"), max_length=40, required=False)
    website = forms.URLField(label=_("Trang web"), required=False, assume_scheme="https")
    active = forms.BooleanField(label=_("Đang liên hệ"), required=False, initial=True)


class JournalistForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên phóng viên"), max_length=150)
    work_email = forms.EmailField(label=_("E-mail công việc"), required=False)
    work_phone = forms.CharField(label=_("Điện thoại công việc"), max_length=40, required=False)
    beat = forms.CharField(label=_("Lĩnh vực theo dõi"), max_length=150, required=False)


PATTERNS = [
    ("monthly", _("Theo tuần trong tháng (ví dụ: thứ Năm tuần thứ hai)")),
    ("weekly", _("Cách tuần (ví dụ: hai tuần một lần)")),
    ("custom", _("Tự viết quy tắc (RRULE)")),
]
WEEKDAY_CHOICES = [
    (0, _("Thứ Hai")),
    (1, _("Thứ Ba")),
    (2, _("Thứ Tư")),
    (3, _("Thứ Năm")),
    (4, _("Thứ Sáu")),
    (5, _("Thứ Bảy")),
    (6, _("Chủ nhật")),
]
ORDINAL_CHOICES = [
    ("1", _("tuần thứ nhất")),
    ("2", _("tuần thứ hai")),
    ("3", _("tuần thứ ba")),
    ("4", _("tuần thứ tư")),
    ("-1", _("tuần cuối")),
]
ENDS = [
    ("year", _("Trong một năm")),
    ("until", _("Đến ngày")),
    ("count", _("Sau một số buổi")),
]


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Tên buổi giao ban"), max_length=200)
    pattern = forms.ChoiceField(
        label=_("Lặp lại"), choices=PATTERNS, widget=forms.RadioSelect, initial="monthly"
    )
    weekday = forms.TypedChoiceField(
        label=_("Vào ngày"), choices=WEEKDAY_CHOICES, coerce=int, initial=3
    )
    ordinals = forms.MultipleChoiceField(
        label=_("Tuần trong tháng"),
        choices=ORDINAL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=["2"],
    )
    interval = forms.IntegerField(
        label=_("Mấy tuần một lần"), min_value=1, max_value=8, initial=2, required=False
    )
    custom = forms.CharField(
        label=_("Quy tắc RRULE"),
        max_length=300,
        required=False,
        help_text=_("Chuẩn iCalendar, ví dụ FREQ=MONTHLY;BYDAY=1TH,3TH"),
    )
    first_day = forms.DateField(label=_("Bắt đầu từ ngày"), widget=DATE)
    at = forms.TimeField(label=_("Giờ bắt đầu"), widget=TIME, initial=time(14, 0))
    minutes = forms.IntegerField(
        label=_("Thời lượng (phút)"), min_value=1, max_value=720, initial=90
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    ends = forms.ChoiceField(
        label=_("Kết thúc"), choices=ENDS, widget=forms.RadioSelect, initial="year"
    )
    until = forms.DateField(label=_("Đến ngày"), widget=DATE, required=False)
    count = forms.IntegerField(label=_("Số buổi"), min_value=1, max_value=120, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        ends = data.get("ends")
        if ends == "until" and data.get("until") is None:
            self.add_error("until", _("Chọn ngày kết thúc."))
        if ends == "count" and not data.get("count"):
            self.add_error("count", _("Nhập số buổi."))
        if data.get("pattern") == "custom" and not data.get("custom", "").strip():
            self.add_error("custom", _("Viết quy tắc lặp, hoặc chọn một kiểu có sẵn."))
        if self.errors:
            return data
        choice = recurrence.RuleChoice(
            pattern=data["pattern"],
            weekday=data["weekday"],
            ordinals=tuple(int(n) for n in data.get("ordinals") or []),
            interval=data.get("interval") or 1,
            until=data.get("until") if ends == "until" else None,
            count=data.get("count") if ends == "count" else None,
            custom=data.get("custom", ""),
        )
        try:
            data["rule"] = recurrence.build_rule(choice)
            recurrence.check_rule(data["rule"], first_day=data["first_day"], at=data["at"])
        except recurrence.RecurrenceError as error:
            self.add_error("custom" if choice.pattern == "custom" else None, str(error))
        return data


def aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


class WhenForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=DATE)
    start = forms.TimeField(label=_("Từ"), widget=TIME)
    end = forms.TimeField(label=_("Đến"), widget=TIME)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"day", "start", "end"} <= data.keys():
            if data["end"] <= data["start"]:
                self.add_error("end", _("Giờ kết thúc phải sau giờ bắt đầu."))
            else:
                data["starts_at"] = aware(data["day"], data["start"])
                data["ends_at"] = aware(data["day"], data["end"])
        return data


class UrgentForm(WhenForm):
    title = forms.CharField(label=_("Tên buổi giao ban"), max_length=200)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Nội dung chương trình"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    speakers = forms.CharField(
        label=_("Người phát biểu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["title", "day", "start", "end", "place", "agenda", "speakers"]


class MoveForm(WhenForm):
    note = forms.CharField(label=_("Lý do (ví dụ: trùng ngày lễ)"), max_length=300, required=False)


class BriefingForm(forms.Form):
    title = forms.CharField(label=_("Tên buổi giao ban"), max_length=200)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Nội dung chương trình"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    speakers = forms.CharField(
        label=_("Người phát biểu, cung cấp thông tin"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Lý do huỷ"), max_length=300, required=False)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=300, required=False)
    article = forms.TypedChoiceField(
        label=_("Tin bài, thông cáo đã đăng"), coerce=int, required=False, empty_value=None
    )
    attachment = forms.FileField(label=_("Hoặc tệp đính kèm"), required=False)


class CoverageForm(forms.Form):
    outlet = forms.TypedChoiceField(label=_("Cơ quan báo chí"), coerce=int)
    title = forms.CharField(label=_("Tiêu đề bài báo"), max_length=300)
    url = forms.URLField(label=_("Đường dẫn"), max_length=500, assume_scheme="https")
    published_on = forms.DateField(label=_("Ngày đăng"), widget=DATE)
    briefing = forms.TypedChoiceField(
        label=_("Sau buổi giao ban"), coerce=int, required=False, empty_value=None
    )
    release = forms.TypedChoiceField(
        label=_("Sau thông cáo"), coerce=int, required=False, empty_value=None
    )
