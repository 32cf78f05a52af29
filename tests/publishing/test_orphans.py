"""An uploaded file whose row never committed (the form's transaction rolled back after the
file was stored) is swept away once it is old enough; files that rows name are never touched."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from caunoi.core.models import RoleName
from caunoi.publishing import media, services
from caunoi.publishing.orphans import GRACE, orphans_sweep
from caunoi.publishing.tasks import orphans_schedule
from tests.conftest import World, make_person
from tests.publishing.helpers import pdf, photo


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


class _Refused(Exception):
    pass


def test_a_rolled_back_upload_leaves_a_file_that_the_sweep_removes_once_old_enough(
    world: World,
) -> None:
    editor = make_person("editor", world.commune, RoleName.EDITOR)
    kept = services.article_create(unit=world.commune, kind="news", title="Giữ", by=editor)
    kept_photo = media.image_add(article=kept, upload=photo(400, 300), alt="A", by=editor)
    kept_pdf = media.attachment_add(article=kept, upload=pdf(), title="Kế hoạch", by=editor)
    stored: list[str] = []

    def form_save() -> None:  # the staff form's transaction: the next step fails
        with transaction.atomic():
            lost = services.article_create(unit=world.commune, kind="news", title="Mất", by=editor)
            image = media.image_add(article=lost, upload=photo(400, 300), alt="B", by=editor)
            stored.append(str(image.file.name))
            raise _Refused

    with pytest.raises(_Refused):
        form_save()
    orphan = stored[0]
    assert default_storage.exists(orphan)  # the database forgot it; the disk did not

    assert orphans_sweep() == []  # too young: its row might still be on its way
    later = timezone.now() + GRACE + timedelta(minutes=1)
    assert orphans_sweep(now=later) == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept_photo.file.name)
    assert default_storage.exists(kept_pdf.file.name)
    assert orphans_sweep(now=later) == []


def test_the_sweep_is_recurring_work_queued_once(world: World) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    orphans_schedule()
    orphans_schedule()
    waiting = DBTaskResult.objects.filter(
        task_path="caunoi.publishing.tasks.sweep_orphans", status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
