"""Writing an article with photos, files and topics on screen; bad input gets a message that
says what to fix, and nothing is half-saved."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing import sharing
from caunoi.publishing.models import Article, ArticleImage, ArticleState, Attachment, Revision
from tests.conftest import World, logged_in, make_person
from tests.publishing.helpers import pdf, photo, published

S = ArticleState


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _new(world: World, **fields: Any) -> Any:
    editor = logged_in(make_person("editor", world.commune, RoleName.EDITOR))
    data = {"kind": "news", "title": "Khánh thành cầu Đông", "body": "<p>Sáng nay</p>", **fields}
    return editor.post(f"/staff/units/{world.commune.pk}/articles/new/", data)


def test_an_article_is_written_with_a_cover_a_pdf_and_a_topic(world: World) -> None:
    admin = make_person("tinh", world.province, RoleName.APPROVER)
    topic = sharing.topic_create(unit=world.province, name="Giao thông", by=admin)
    response = _new(
        world,
        cover=photo(1200, 800),
        cover_alt="Cầu Đông",
        attachment=pdf(),
        attachment_title="Quyết định",
        topics=[topic.pk],
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.images.get().is_cover
    assert article.attachments.get().title == "Quyết định"
    assert list(article.topics.all()) == [topic]


def test_an_empty_title_with_a_photo_saves_nothing(world: World) -> None:
    response = _new(world, title="  ", cover=photo(), cover_alt="Ảnh")
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assert not Article.objects.exists()
    assert not ArticleImage.objects.exists()


def test_a_file_that_is_not_an_image_is_a_message_beside_the_field_and_nothing_is_saved(
    world: World,
) -> None:
    fake = SimpleUploadedFile("cau.jpg", b"%PDF-1.4 this is a document", "image/jpeg")
    response = _new(world, cover=fake, cover_alt="Cầu")
    assert response.status_code == 400
    assert "không phải ảnh JPEG, PNG hoặc WebP" in str(response.context["form"].errors["cover"])
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_a_200_mb_upload_is_refused_with_the_limit_and_nothing_is_saved(world: World) -> None:
    huge = SimpleUploadedFile("video.jpg", b"\xff\xd8\xff" + b"\0" * (200 * 1024 * 1024))
    response = _new(world, cover=huge, cover_alt="Video")
    assert response.status_code == 400
    assert "Ảnh lớn hơn 15,0\xa0MB" in str(response.context["form"].errors["cover"])
    assert not Article.objects.exists()


def test_a_cover_without_a_description_is_a_field_error(world: World) -> None:
    response = _new(world, cover=photo(), cover_alt="")
    assert response.status_code == 400
    assert "Hãy mô tả ảnh bìa" in str(response.context["form"].errors["cover_alt"])
    assert not Article.objects.exists()


def test_a_pdf_that_is_not_a_pdf_saves_nothing(world: World) -> None:
    response = _new(world, attachment=SimpleUploadedFile("a.pdf", b"PK\x03\x04zip"))
    assert response.status_code == 400
    assert "không phải PDF" in str(response.context["form"].errors["attachment"])
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()


def test_a_schedule_in_the_past_on_screen_says_to_pick_a_later_time(world: World) -> None:
    editor = make_person("editor", world.commune, RoleName.EDITOR)
    approver = logged_in(make_person("approver", world.commune, RoleName.APPROVER))
    article = Article.objects.create(
        unit=world.commune, kind="news", title="Hẹn", author=editor, state=S.APPROVED
    )
    past = timezone.localtime() - timedelta(hours=1)
    page = approver.post(
        f"/staff/articles/{article.pk}/schedule/",
        {"at": past.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    ).content.decode()
    assert "Giờ đăng phải ở tương lai" in page
    article.refresh_from_db()
    assert article.state == S.APPROVED


def test_an_approver_corrects_and_reshares_on_screen(world: World) -> None:
    approver_user = make_person("tinh", world.province, RoleName.APPROVER)
    approver = logged_in(approver_user)
    article = published(world.province, "Giá điện", by=approver_user)
    page = approver.get(f"/staff/articles/{article.pk}/").content.decode()
    assert 'data-testid="correct"' in page
    assert 'data-testid="reshare-form"' in page
    response = approver.post(
        f"/staff/articles/{article.pk}/correct/",
        {"title": "Giá điện", "summary": "", "body": "<p>Bậc 1</p>", "note": ""},
    )
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    approver.post(
        f"/staff/articles/{article.pk}/correct/",
        {"title": "Giá điện", "summary": "", "body": "<p>Bậc 1</p>", "note": "Sửa bậc giá"},
    )
    assert article.corrections.get().note == "Sửa bậc giá"
    approver.post(f"/staff/articles/{article.pk}/reshare/", {"unit": world.commune.pk})
    assert article.reshares.get().unit == world.commune


def test_the_topics_screen_adds_a_topic_and_refuses_an_empty_name(world: World) -> None:
    approver = logged_in(make_person("xa", world.commune, RoleName.APPROVER))
    response = approver.post(f"/staff/units/{world.commune.pk}/topics/", {"name": " "})
    assert response.status_code == 400
    approver.post(f"/staff/units/{world.commune.pk}/topics/", {"name": "Nông nghiệp"})
    assert (
        "Nông nghiệp" in approver.get(f"/staff/units/{world.commune.pk}/topics/").content.decode()
    )
    editor = logged_in(make_person("ed", world.commune, RoleName.EDITOR))
    assert editor.post(f"/staff/units/{world.commune.pk}/topics/", {"name": "X"}).status_code == 403
