"""Images people upload (article photos, report photos): checked by their content, not their
name; capped in size; turned upright, resized and re-encoded so no EXIF, GPS or other metadata
survives."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from caunoi.core.errors import CaunoiError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 2400
MAX_PIXELS = 60_000_000  # refuse decompression bombs before decoding
_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


class ImageRejected(CaunoiError):
    pass


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_image(
    upload: File[bytes] | bytes, *, max_bytes: int = MAX_UPLOAD_BYTES, max_side: int = MAX_SIDE
) -> CleanImage:
    """The upload as a metadata-free JPEG, PNG or WebP no larger than max_side on either side.

    Raises ImageRejected with a message that says what to do."""
    if isinstance(upload, bytes):
        size, data = len(upload), upload
    else:
        size = upload.size or 0
        if size > max_bytes:
            raise ImageRejected(_too_big(max_bytes))
        data = upload.read(max_bytes + 1)
    if size > max_bytes or len(data) > max_bytes:
        raise ImageRejected(_too_big(max_bytes))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in _FORMATS:
                raise ImageRejected(
                    _("Tệp này không phải ảnh JPEG, PNG hoặc WebP. Hãy chọn một tệp ảnh.")
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageRejected(
                    _("Ảnh quá lớn (quá nhiều điểm ảnh). Hãy thu nhỏ ảnh rồi gửi lại.")
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(
            _("Tệp này không phải ảnh JPEG, PNG hoặc WebP. Hãy chọn một tệp ảnh.")
        ) from None
    image.thumbnail((max_side, max_side))
    content_type, extension = _FORMATS[kind]
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return CleanImage(out.getvalue(), content_type, extension, image.width, image.height)


def _too_big(max_bytes: int) -> str:
    return _("Ảnh lớn hơn %(size)s. Hãy chọn ảnh nhỏ hơn.") % {"size": filesizeformat(max_bytes)}
