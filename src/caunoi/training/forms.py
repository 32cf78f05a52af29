"""Forms of the training screens."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import RoleName
from caunoi.reports.sections import Period, PeriodError
from caunoi.training.models import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CourseForm(forms.Form):
    topic = forms.CharField(label=_("Chủ đề"), max_length=250)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    required_roles = forms.MultipleChoiceField(
        label=_("Những ai phải dự (theo vai trò)"),
        choices=RoleName.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Có thể thêm từng người vào danh sách phải dự ở trang khoá tập huấn."),
    )


class SessionForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị tổ chức"), coerce=int)
    level = forms.ChoiceField(label=_("Cấp"), choices=Level.choices)
    day = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE)
    start = forms.TimeField(label=_("Giờ bắt đầu"), widget=TIME)
    end_day = forms.DateField(label=_("Ngày kết thúc"), widget=DATE)
    end = forms.TimeField(label=_("Giờ kết thúc"), widget=TIME)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    trainer = forms.CharField(label=_("Giảng viên, báo cáo viên"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"day", "start", "end_day", "end"} <= data.keys():
            zone = ZoneInfo(settings.TIME_ZONE)
            data["starts_at"] = datetime.combine(data["day"], data["start"], tzinfo=zone)
            data["ends_at"] = datetime.combine(data["end_day"], data["end"], tzinfo=zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error(
                    "end",
                    _("Lớp kết thúc trước khi bắt đầu: giờ kết thúc phải sau giờ bắt đầu."),
                )
        return data


def period_from(params: Any) -> Period:
    """The period asked for by ?from=&to=, else this year."""
    try:
        return Period(
            date.fromisoformat(params.get("from", "")), date.fromisoformat(params.get("to", ""))
        )
    except (ValueError, PeriodError):
        return Period.year(timezone.localdate().year)
