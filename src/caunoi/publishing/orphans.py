"""Uploaded files that no row names: a write that rolled back after its file was stored (the
database has no hook for a rollback), or a process killed between the two. The sweep deletes
them once they are older than GRACE, so a file whose row is still being written is never
touched. Nothing else in the storage is looked at: only the folders of article photos and
attachments."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from caunoi.publishing.models import ArticleImage, Attachment

GRACE = timedelta(hours=1)
ROOT = "articles"
SWEEP_EVERY = timedelta(hours=6)


def _stored() -> list[str]:
    """Every file under articles/<id>/images|files/ in the storage."""
    names: list[str] = []
    try:
        article_dirs, _files = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return names
    for article_dir in article_dirs:
        for kind in ("images", "files"):
            folder = f"{ROOT}/{article_dir}/{kind}"
            try:
                _dirs, files = default_storage.listdir(folder)
            except FileNotFoundError:
                continue
            names += [f"{folder}/{name}" for name in files]
    return names


def orphans_sweep(*, now: datetime | None = None) -> list[str]:
    """Delete stored article files that no photo or attachment row names and that are older
    than GRACE; the names deleted."""
    now = now or timezone.now()
    named = set(ArticleImage.objects.values_list("file", flat=True))
    named |= set(Attachment.objects.values_list("file", flat=True))
    deleted = []
    for name in _stored():
        if name in named:
            continue
        if now - default_storage.get_modified_time(name) < GRACE:
            continue
        default_storage.delete(name)
        deleted.append(name)
    return deleted
