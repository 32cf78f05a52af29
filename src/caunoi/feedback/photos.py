"""Photos after intake: the handler blurs regions of a citizen's photo (faces, number plates)
before it is public, and adds photos of the result to the answer.

A blurred copy is a new file; the original is kept for the unit's handlers only, and erased
with the contact details once the case is closed and its retention period is over. Every step
is all or nothing: a bad region or a bad file saves nothing."""

from __future__ import annotations

import io
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter

from caunoi.core import audit
from caunoi.core.errors import CaunoiError
from caunoi.core.images import ImageRejected, clean_image
from caunoi.core.models import User
from caunoi.core.permissions import Action, require
from caunoi.feedback.models import Photo, Report, Status
from caunoi.feedback.services import MAX_PHOTO_BYTES, store_photo

log = logging.getLogger(__name__)

MAX_REGIONS = 30
MAX_RESULT_PHOTOS = 5
MIN_SIDE = 4  # pixels: a smaller rectangle is a slip of the mouse, not a face
_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_NUMBERS = re.compile(r"-?\d+(?:\.\d+)?")

Region = tuple[int, int, int, int]  # x, y, width, height in the stored image's pixels


class PhotoError(CaunoiError):
    pass


def parse_regions(text: str, *, width: int, height: int) -> list[Region]:
    """Rectangles from text, one per line: `x, y, width, height` in pixels of the photo.

    Raises PhotoError naming the line and what is wrong with it."""
    regions: list[Region] = []
    problems: list[str] = []
    lines = [line.strip() for line in text.replace(";", "\n").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_REGIONS:
        raise PhotoError(_("Tối đa %(n)s vùng làm mờ cho một ảnh.") % {"n": MAX_REGIONS})
    for number, line in enumerate(lines, start=1):
        numbers = _NUMBERS.findall(line)
        leftover = re.sub(r"[\s,]", "", _NUMBERS.sub("", line))
        if len(numbers) != 4 or leftover:
            problems.append(
                _("Dòng %(n)s: cần bốn số “x, y, rộng, cao” (điểm ảnh), ví dụ 120, 80, 60, 60.")
                % {"n": number}
            )
            continue
        x, y, w, h = (round(float(n)) for n in numbers)
        if w < MIN_SIDE or h < MIN_SIDE:
            problems.append(
                _("Dòng %(n)s: vùng phải rộng và cao ít nhất %(min)s điểm ảnh.")
                % {"n": number, "min": MIN_SIDE}
            )
        elif x < 0 or y < 0 or x + w > width or y + h > height:
            problems.append(
                _("Dòng %(n)s: vùng vượt ra ngoài ảnh (ảnh rộng %(w)s, cao %(h)s điểm ảnh).")
                % {"n": number, "w": width, "h": height}
            )
        else:
            regions.append((x, y, w, h))
    if problems:
        raise PhotoError(" ".join(problems))
    return regions


def regions_text(regions: Iterable[Sequence[int]]) -> str:
    return "\n".join(", ".join(str(int(n)) for n in region) for region in regions)


def blur(data: bytes, content_type: str, regions: Sequence[Region]) -> bytes:
    """The image with each region Gaussian-blurred beyond recognition, in the same format."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        image = opened.copy()
    for x, y, w, h in regions:
        box = (x, y, x + w, y + h)
        # A radius a quarter of the region's larger side leaves a face or plate a smudge.
        radius = max(8.0, max(w, h) / 4)
        patch = image.crop(box)
        for _pass in range(2):
            patch = patch.filter(ImageFilter.GaussianBlur(radius))
        image.paste(patch, box)
    out = io.BytesIO()
    kind = _FORMATS.get(content_type, "PNG")
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85)
    elif kind == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def _delete_file(field: Any) -> None:
    name = field.name
    if name:
        try:
            field.storage.delete(name)
        except OSError:  # pragma: no cover - a file already gone is what we wanted
            log.warning("could not delete %s", name)


def photo_blur(*, photo: Photo, by: User, regions: Sequence[Region]) -> Photo:
    """Blur `regions` of the photo for the public; no regions removes the blurred copy."""
    report = photo.report
    require(by, Action.REPORT_HANDLE, report.unit)
    if photo.original_erased_at is not None:
        raise PhotoError(
            _("Ảnh gốc đã được xóa theo thời hạn lưu giữ; ảnh công khai đã là bản làm mờ.")
        )
    new_name = ""
    if regions:
        with photo.image.open("rb") as original:
            data = original.read()
        blurred = blur(data, photo.content_type, regions)
        extension = (photo.image.name or "x.png").rsplit(".", 1)[-1]
        field: Any = Photo._meta.get_field("redacted")
        new_name = photo.redacted.storage.save(
            field.generate_filename(photo, f"{secrets.token_hex(12)}.{extension}"),
            ContentFile(blurred),
        )
    try:
        with transaction.atomic():
            locked = Photo.objects.select_for_update().get(pk=photo.pk)
            old = locked.redacted.name
            before = locked.regions
            locked.redacted.name = new_name
            locked.regions = [list(r) for r in regions]
            locked.save(update_fields=["redacted", "regions"])
            audit.record(
                "caunoi.report.photo_blurred",
                actor=by,
                unit=report.unit,
                obj=report,
                changes={"photo": photo.pk, "regions": [before, locked.regions]},
            )
            if old:
                transaction.on_commit(lambda: locked.redacted.storage.delete(old))
    except BaseException:
        if new_name:
            photo.redacted.storage.delete(new_name)
        raise
    return locked


def result_photos_add(*, report: Report, by: User, photos: Sequence[Any]) -> list[Photo]:
    """Photos of the result, shown with the public answer; every file checked first."""
    require(by, Action.REPORT_HANDLE, report.unit)
    if not photos:
        raise PhotoError(_("Hãy chọn ít nhất một ảnh."))
    already = report.photos.filter(by_handler=True).count()
    if already + len(photos) > MAX_RESULT_PHOTOS:
        raise PhotoError(
            _("Mỗi phản ánh có tối đa %(max)s ảnh kết quả; đã có %(n)s.")
            % {"max": MAX_RESULT_PHOTOS, "n": already}
        )
    cleaned, problems = [], []
    for index, upload in enumerate(photos, start=1):
        try:
            cleaned.append(clean_image(upload, max_bytes=MAX_PHOTO_BYTES))
        except ImageRejected as error:
            problems.append(_("Ảnh %(n)s: %(error)s") % {"n": index, "error": error})
    if problems:
        raise PhotoError(" ".join(problems))
    stored: list[Photo] = []
    try:
        with transaction.atomic():
            Report.objects.select_for_update().filter(pk=report.pk).first()
            for image in cleaned:
                stored.append(store_photo(report, image, by_handler=True))
            audit.record(
                "caunoi.report.result_photos_added",
                actor=by,
                unit=report.unit,
                obj=report,
                changes={"photos": [p.pk for p in stored]},
            )
    except BaseException:
        for photo in stored:
            _delete_file(photo.image)
        raise
    return stored


def result_photo_remove(*, photo: Photo, by: User) -> None:
    report = photo.report
    require(by, Action.REPORT_HANDLE, report.unit)
    if not photo.by_handler:
        raise PhotoError(_("Chỉ xóa được ảnh kết quả do cán bộ thêm; ảnh của người dân thì ẩn."))
    names = [f.name for f in (photo.image, photo.redacted) if f.name]
    storage = photo.image.storage
    with transaction.atomic():
        photo.delete()
        audit.record(
            "caunoi.report.result_photo_removed",
            actor=by,
            unit=report.unit,
            obj=report,
            changes={"photo": photo.pk},
        )

        def _gone() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(_gone)


def erase_originals(now: datetime) -> int:
    """On the contact details' schedule, what only handlers could see goes for good: a blurred
    photo's original (the blurred copy takes its place) and a hidden photo of the citizen."""
    from django.db.models import Q

    keep = timedelta(days=settings.CAUNOI_REPORT_CONTACT_RETENTION_DAYS)
    due = (
        Photo.objects.filter(
            report__status=Status.CLOSED,
            report__closed_at__lt=now - keep,
            original_erased_at__isnull=True,
        )
        .filter(~Q(redacted="") | Q(hidden=True, by_handler=False))
        .exclude(image="")
        .select_related("report", "report__unit")
    )
    count = 0
    for photo in due.iterator():
        original = photo.image.name
        with transaction.atomic():
            photo.image.name = photo.redacted.name or ""  # a hidden, unblurred photo: nothing
            photo.redacted.name = ""
            photo.original_erased_at = now
            photo.save(update_fields=["image", "redacted", "original_erased_at"])
            storage = photo.image.storage
            transaction.on_commit(lambda name=original, s=storage: s.delete(name))  # type: ignore[misc]
        count += 1
    if count:
        audit.record(
            "caunoi.report.photo_originals_erased",
            actor=None,
            changes={"photos": count, "retention_days": keep.days},
        )
    return count
