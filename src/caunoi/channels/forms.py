"""Staff forms for channels. Secrets are write-only: the field is always empty, its help says
whether one is saved, and leaving it empty keeps the saved one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.channels.models import Channel, ChannelKind
from caunoi.channels.services import SECRETS

K = ChannelKind
_SECRET_LABELS = {
    "page_token": _("Mã truy cập của trang (page access token)"),
    "app_secret": _("Khoá bí mật của ứng dụng Zalo (secret key)"),
    "access_token": _("Mã truy cập OA (access token)"),
    "refresh_token": _("Mã làm mới (refresh token)"),
    "signing_secret": _("Khoá ký (dùng chung với bên nhận để kiểm tra chữ ký)"),
}


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Tên kênh"), max_length=200)
    url = forms.CharField(
        label=_("Địa chỉ công khai của kênh"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ https://www.facebook.com/tentrang; để trống nếu không có."),
    )
    followers = forms.IntegerField(label=_("Số người theo dõi"), required=False, min_value=0)
    account_id = forms.CharField(label=_("Mã trang / mã OA"), max_length=100, required=False)
    app_id = forms.CharField(label=_("Mã ứng dụng Zalo (app id)"), max_length=100, required=False)
    endpoint = forms.CharField(
        label=_("Địa chỉ nhận webhook"),
        max_length=500,
        required=False,
        help_text=_("Một địa chỉ http:// hoặc https:// đầy đủ."),
    )
    active = forms.BooleanField(label=_("Đang dùng"), required=False, initial=True)

    def __init__(self, *args: Any, kind: str, channel: Channel | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind not in {K.FACEBOOK, K.ZALO}:
            del self.fields["account_id"]
        else:
            self.fields["account_id"].required = True
            self.fields["account_id"].label = (
                _("Mã trang Facebook (page id)") if kind == K.FACEBOOK else _("Mã Zalo OA (OA id)")
            )
        if kind != K.ZALO:
            del self.fields["app_id"]
        else:
            self.fields["app_id"].required = True
        if kind != K.WEBHOOK:
            del self.fields["endpoint"]
        else:
            self.fields["endpoint"].required = True
        if channel is None:
            del self.fields["active"]
        elif channel.built_in:
            for name in list(self.fields):
                if name not in {"name", "followers"}:
                    del self.fields[name]
        saved = channel.secrets() if channel is not None else {}
        for key in SECRETS.get(kind, ()):
            self.fields[key] = forms.CharField(
                label=_SECRET_LABELS[key],
                required=channel is None,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                help_text=(
                    _("Đã lưu (không hiển thị lại). Để trống để giữ nguyên, nhập mới để thay.")
                    if key in saved
                    else _("Chưa có.")
                ),
            )
            self.fields[key].saved = key in saved  # type: ignore[attr-defined]

    def secrets(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in SECRETS.get(self.kind, ())}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "url": data.get("url", "") or "",
            "followers": data.get("followers"),
            "account_id": data.get("account_id", "") or "",
            "app_id": data.get("app_id", "") or "",
            "endpoint": data.get("endpoint", "") or "",
        }


class RecordForm(forms.Form):
    programme = forms.CharField(label=_("Chương trình"), max_length=300, required=False)
    aired_at = forms.DateTimeField(
        label=_("Phát lúc"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    url = forms.CharField(label=_("Đường dẫn (video, bản ghi)"), max_length=500, required=False)
