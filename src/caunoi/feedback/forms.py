"""Forms of the report screens. They only parse; the services check and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.models import Unit
from caunoi.feedback.models import Category, CategoryAttribute, Datatype, Outcome
from caunoi.feedback.services import MAX_PHOTOS, ReportRejected


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        given = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(item, initial) for item in given]


def _attribute_field(question: CategoryAttribute) -> forms.Field:
    common: dict[str, Any] = {"label": question.description, "required": False}
    choices = [(str(v["key"]), str(v["name"])) for v in question.values]
    if question.datatype == Datatype.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if question.datatype == Datatype.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.datatype == Datatype.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if question.datatype == Datatype.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if question.datatype == Datatype.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    return forms.CharField(**common)


# Service error keys → form fields.
_FIELD_OF = {
    "location": "address",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
    "contact_email": "contact_email",
}


class ReportForm(forms.Form):
    """The citizen's form (and the staff's, for phone calls and visitors)."""

    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mô tả vấn đề, nơi xảy ra và từ khi nào. Tối đa 4.000 ký tự."),
    )
    address = forms.CharField(
        label=_("Địa chỉ hoặc mô tả vị trí"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ: trước số 12 đường Lê Lợi, khu 3."),
    )
    place_unit = forms.ChoiceField(label=_("Hoặc chọn xã/phường, thôn/tổ"), required=False)
    lat = forms.CharField(label=_("Vĩ độ"), required=False)
    lon = forms.CharField(label=_("Kinh độ"), required=False)
    photos = MultipleImageField(
        label=_("Ảnh (tối đa 5)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG hoặc WebP. Vị trí GPS và thông tin máy ảnh được xóa khỏi ảnh."),
    )
    contact_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    contact_phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=30)
    contact_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    follow = forms.BooleanField(
        label=_("Gửi thư cho tôi khi phản ánh có tiến triển (cần xác nhận qua thư)"),
        required=False,
    )
    website = forms.CharField(required=False, label=_("Để trống ô này"))  # honeypot
    send_anyway = forms.BooleanField(
        label=_("Đây là vấn đề khác, tôi vẫn muốn gửi phản ánh mới"), required=False
    )

    def __init__(self, *args: Any, category: Category, places: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.questions = list(category.attributes.all())
        for question in self.questions:
            self.fields[f"attr_{question.code}"] = _attribute_field(question)
        field = self.fields["place_unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (str(u.pk), ("— " * max(0, u.depth - places[0].depth)) + u.name) for u in places
        ]

    def clean_photos(self) -> list[Any]:
        photos: list[Any] = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("Gửi tối đa 5 ảnh."))
        return photos

    def attribute_answers(self) -> dict[str, Any]:
        return {q.code: self.cleaned_data.get(f"attr_{q.code}") for q in self.questions}

    @property
    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[f"attr_{q.code}"] for q in self.questions]

    def show_rejection(self, rejected: ReportRejected) -> None:
        for key, messages in rejected.errors.items():
            if key.startswith("attribute[") and key.endswith("]"):
                name = f"attr_{key[len('attribute[') : -1]}"
            else:
                name = _FIELD_OF.get(key, key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Thư điện tử của bạn"))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Vì sao vấn đề chưa được giải quyết?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Bạn đánh giá câu trả lời thế nào?"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét (không bắt buộc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=Outcome.choices)
    answer = forms.CharField(
        label=_("Trả lời công khai"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Hiển thị trên trang theo dõi; số điện thoại và thư điện tử được che tự động."),
    )
    note = forms.CharField(
        label=_("Lý do (không khắc phục được) hoặc cơ quan có thẩm quyền"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duplicate_of = forms.CharField(label=_("Trùng với phản ánh mã"), required=False, max_length=20)


class RerouteForm(forms.Form):
    to = forms.ChoiceField(label=_("Chuyển đến đơn vị"))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class RedactForm(forms.Form):
    public_description = forms.CharField(
        label=_("Nội dung công khai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Để trống: công khai nội dung gốc (đã che số điện thoại, thư điện tử)."),
    )
    hidden_photos = forms.MultipleChoiceField(
        label=_("Ẩn ảnh khỏi trang công khai"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
