from __future__ import annotations

import io

import pytest
from PIL import Image

from caunoi.core.images import ImageRejected, clean_image


def _jpeg_with_gps(width: int = 3000, height: int = 2000) -> bytes:
    image = Image.new("RGB", (width, height), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 2.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_it_removes_exif_and_gps() -> None:
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()
    cleaned = clean_image(original)
    assert cleaned.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(cleaned.content)).getexif()
    assert b"PhoneMaker" not in cleaned.content


def test_it_resizes_large_photos_keeping_the_shape() -> None:
    cleaned = clean_image(_jpeg_with_gps(4800, 3200), max_side=2400)
    assert (cleaned.width, cleaned.height) == (2400, 1600)


def test_it_refuses_a_file_that_is_not_an_image_whatever_its_name() -> None:
    with pytest.raises(ImageRejected, match="không phải ảnh"):
        clean_image(b"%PDF-1.4 not an image")


def test_it_refuses_an_upload_over_the_size_cap() -> None:
    with pytest.raises(ImageRejected, match=r"lớn hơn 10,0\sKB"):
        clean_image(_jpeg_with_gps(), max_bytes=10 * 1024)
