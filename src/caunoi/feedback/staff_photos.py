"""Staff screens for photos: the original of a photo (handlers only), blurring regions of a
citizen's photo before it is public, adding or removing photos of the result, and publishing
the photo link a 311 app sent once the handler has checked it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caunoi.core.errors import CaunoiError
from caunoi.feedback import photos, staff
from caunoi.feedback.models import Photo
from caunoi.staff.views import _user


def _photo(request: HttpRequest, pk: int) -> Photo:
    photo = get_object_or_404(Photo.objects.only("id", "report_id"), pk=pk)
    staff._report(request, photo.report_id)  # 404 unless the person handles its report
    return Photo.objects.select_related("report", "report__unit").get(pk=pk)


@login_required
def original(request: HttpRequest, pk: int) -> FileResponse:
    """The photo as the citizen sent it (metadata already stripped): never cached."""
    photo = _photo(request, pk)
    if not photo.image:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def blur(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk)
    text = request.POST.get("regions", "")
    try:
        regions = photos.parse_regions(text, width=photo.width, height=photo.height)
        photos.photo_blur(photo=photo, by=_user(request), regions=regions)
    except CaunoiError as error:
        return staff.report_detail(
            request, photo.report_id, blur_photo=photo.pk, blur_text=text, blur_error=str(error)
        )
    if regions:
        messages.success(request, _("Đã làm mờ; trang công khai chỉ hiện bản đã làm mờ."))
    else:
        messages.success(request, _("Đã bỏ làm mờ; trang công khai hiện ảnh gốc."))
    return redirect("feedback:staff_report", pk=photo.report_id)


@login_required
@require_POST
def result_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = staff._report(request, pk)
    try:
        photos.result_photos_add(
            report=report, by=_user(request), photos=request.FILES.getlist("photos")
        )
    except CaunoiError as error:
        return staff.report_detail(request, report.pk, result_error=str(error))
    messages.success(request, _("Đã thêm ảnh kết quả; ảnh hiện cùng câu trả lời công khai."))
    return redirect("feedback:staff_report", pk=report.pk)


@login_required
@require_POST
def result_remove(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo(request, pk)
    try:
        photos.result_photo_remove(photo=photo, by=_user(request))
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xóa ảnh kết quả."))
    return redirect("feedback:staff_report", pk=photo.report_id)


@login_required
@require_POST
def media_url_share(request: HttpRequest, pk: int) -> HttpResponse:
    from caunoi.open311.services import media_url_share

    report = staff._report(request, pk)
    public = request.POST.get("public") == "1"
    try:
        media_url_share(report=report, by=_user(request), public=public)
    except CaunoiError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đường dẫn ảnh đã được công khai.")
            if public
            else _("Đường dẫn ảnh không còn công khai."),
        )
    return redirect("feedback:staff_report", pk=report.pk)
