from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import RoleName, UnitKind


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=UnitKind.choices)
    code = forms.CharField(label=_("Mã chính thức"), max_length=40, required=False)


class UnitMoveForm(forms.Form):
    new_parent = forms.IntegerField(label=_("Chuyển vào đơn vị"), widget=forms.Select)


class PersonForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Ít nhất 8 ký tự, không toàn số, không quá dễ đoán."),
    )
    unit = forms.IntegerField(label=_("Đơn vị"), widget=forms.Select)
    role = forms.ChoiceField(label=_("Vai trò"), choices=RoleName.choices)


class RoleForm(forms.Form):
    unit = forms.IntegerField(label=_("Đơn vị"), widget=forms.Select)
    role = forms.ChoiceField(label=_("Vai trò"), choices=RoleName.choices)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Hành động"), required=False)
    actor = forms.CharField(label=_("Người thực hiện"), required=False)
    since = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu mới"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Đặt mật khẩu mới cũng gỡ lệnh tạm khoá đăng nhập do nhập sai mật khẩu nhiều lần."
        ),
    )
