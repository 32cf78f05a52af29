from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from caunoi.core.images import ImageRejected
from caunoi.core.models import RoleName, User
from caunoi.publishing import media, services
from caunoi.publishing.media import PdfRejected
from caunoi.publishing.models import Article, ArticleImage, Attachment
from tests.conftest import World, make_person
from tests.publishing.helpers import pdf, photo


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(world: World) -> User:
    return make_person("editor", world.commune, RoleName.EDITOR)


def _draft(world: World, editor: User) -> Article:
    return services.article_create(unit=world.commune, kind="news", title="Lũ về", by=editor)


def test_a_cover_photo_is_resized_and_loses_its_gps_position(world: World, editor: User) -> None:
    article = _draft(world, editor)
    image = media.image_add(
        article=article, upload=photo(), alt="Cầu Đông sau lũ", cover=True, by=editor
    )
    assert (image.width, image.height) == (2400, 1600)
    with image.file.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
    assert image.file.name.startswith(f"articles/{article.pk}/images/")


def test_a_new_cover_replaces_the_old_one_which_stays_as_a_photo(
    world: World, editor: User
) -> None:
    article = _draft(world, editor)
    first = media.image_add(article=article, upload=photo(800, 600), alt="A", cover=True, by=editor)
    media.image_add(article=article, upload=photo(800, 600), alt="B", cover=True, by=editor)
    first.refresh_from_db()
    assert not first.is_cover
    assert list(article.images.filter(is_cover=True).values_list("alt", flat=True)) == ["B"]


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(
    world: World, editor: User
) -> None:
    article = _draft(world, editor)
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ImageRejected, match="không phải ảnh"):
        media.image_add(article=article, upload=fake, alt="Ảnh", by=editor)
    assert not ArticleImage.objects.exists()


def test_a_photo_needs_a_description(world: World, editor: User) -> None:
    article = _draft(world, editor)
    with pytest.raises(services.ArticleError, match="Hãy mô tả ảnh"):
        media.image_add(article=article, upload=photo(), alt="  ", by=editor)


def test_a_pdf_is_checked_by_its_content_and_capped(world: World, editor: User) -> None:
    article = _draft(world, editor)
    attachment = media.attachment_add(article=article, upload=pdf(), title="", by=editor)
    assert attachment.title == "Kế hoạch"
    renamed = SimpleUploadedFile("ke-hoach.pdf", b"<html>not a pdf</html>")
    with pytest.raises(PdfRejected, match="không phải PDF"):
        media.attachment_add(article=article, upload=renamed, title="X", by=editor)
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024) + b"%%EOF")
    with pytest.raises(PdfRejected, match="lớn hơn 20"):
        media.attachment_add(article=article, upload=big, title="X", by=editor)
    assert Attachment.objects.count() == 1


def test_photos_and_files_change_only_while_the_article_is_a_draft(
    world: World, editor: User
) -> None:
    article = _draft(world, editor)
    services.article_submit(article=article, by=editor)
    with pytest.raises(services.ArticleError, match="bản nháp"):
        media.image_add(article=article, upload=photo(), alt="A", by=editor)


def test_files_of_a_published_article_are_public_and_others_are_not(
    world: World, editor: User
) -> None:
    approver = make_person("approver", world.commune, RoleName.APPROVER)
    article = _draft(world, editor)
    image = media.image_add(article=article, upload=photo(400, 300), alt="A", by=editor)
    attachment = media.attachment_add(article=article, upload=pdf(), title="KH", by=editor)
    assert Client().get(image.file.url).status_code == 404
    services.article_submit(article=article, by=editor)
    services.article_approve(article=article, by=approver)
    services.article_publish(article=article, by=approver)
    response = Client().get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    Image.open(io.BytesIO(b"".join(response.streaming_content))).verify()  # type: ignore[attr-defined]
    document = Client().get(attachment.file.url)
    assert document["Content-Type"] == "application/pdf"
    assert document["Content-Disposition"].startswith("inline")
    page = Client().get(f"/u/tinh-thu/xa-dong/bai/{article.pk}-lu-ve/").content.decode()
    assert f'<meta property="og:image" content="http://testserver{image.file.url}">' in page
    assert attachment.file.url in page
