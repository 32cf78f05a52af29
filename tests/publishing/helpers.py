"""Small builders for publishing tests: images with metadata, PDFs, published articles."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from caunoi.core.models import RoleName, Unit, User
from caunoi.publishing import services
from caunoi.publishing.models import Article
from tests.conftest import make_person


def photo(width: int = 3000, height: int = 2000, *, gps: bool = True) -> SimpleUploadedFile:
    """A JPEG as a phone makes it: large, with EXIF including a GPS position."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


def pdf(title: str = "Kế hoạch") -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


def published(
    unit: Unit, title: str, *, by: User | None = None, kind: str = "news", **extra: object
) -> Article:
    """An article written, approved and published through the services."""
    author = make_person(f"w{Article.objects.count()}", unit, RoleName.EDITOR)
    approver = by or make_person(f"p{Article.objects.count()}", unit, RoleName.APPROVER)
    article = services.article_create(
        unit=unit,
        kind=kind,
        title=title,
        body="<p>Nội dung ban đầu</p>",
        by=author,
        **extra,  # type: ignore[arg-type]
    )
    services.article_submit(article=article, by=author)
    services.article_approve(article=article, by=approver)
    return services.article_publish(article=article, by=approver)
