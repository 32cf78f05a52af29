"""Forms of the staff article screens: the rich-text editor widget, photos, PDFs, topics,
corrections and re-shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy
from js_asset import Script

from caunoi.publishing.models import ArticleKind, Topic


class RichTextEditor(forms.Textarea):
    """A textarea the editor takes over (publishing/editor.js); without JavaScript it stays
    a textarea of HTML, sanitized the same way on save."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 16, "data-rich-text": "", **(attrs or {})})

    @property
    def media(self) -> forms.Media:
        return forms.Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "publishing/editor.css",
                ]
            },
            js=[Script("publishing/editor.js", type="module")],
        )


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại tin"), choices=ArticleKind.choices)
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=gettext_lazy("Nội dung"),
        required=False,
        widget=RichTextEditor(),
        help_text=gettext_lazy("Mã lệnh và định dạng lạ sẽ bị loại bỏ khi lưu."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Chủ đề"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cover = forms.FileField(
        label=gettext_lazy("Ảnh bìa (JPEG, PNG, WebP)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    cover_alt = forms.CharField(label=gettext_lazy("Mô tả ảnh bìa"), max_length=300, required=False)
    attachment = forms.FileField(
        label=gettext_lazy("Tệp PDF đính kèm"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    attachment_title = forms.CharField(
        label=gettext_lazy("Tên tài liệu"), max_length=300, required=False
    )

    def __init__(self, *args: Any, topics: list[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Topic.objects.filter(pk__in=[t.pk for t in topics]).order_by("name")
        if not topics:
            del self.fields["topics"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cover") and not (data.get("cover_alt") or "").strip():
            self.add_error(
                "cover_alt",
                gettext_lazy("Hãy mô tả ảnh bìa (cho người đọc không xem được ảnh)."),
            )
        return data


class ImageForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Ảnh (JPEG, PNG, WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(label=gettext_lazy("Mô tả ảnh"), max_length=300)
    cover = forms.BooleanField(label=gettext_lazy("Dùng làm ảnh bìa"), required=False)


class CorrectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label=gettext_lazy("Nội dung"), required=False, widget=RichTextEditor())
    note = forms.CharField(
        label=gettext_lazy("Nội dung đính chính (hiện công khai trên bài, kèm ngày)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TopicForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên chủ đề"), max_length=100)
