"""Exports run in the worker: the page shows their progress and links the file when done.
Every hour the worker also folds the roll-up counters' shards of past days into one row."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from caunoi.core.errors import CaunoiError
from caunoi.core.tasks import enqueue_unless_waiting
from caunoi.reports import counters, documents, spreadsheets
from caunoi.reports.models import Export, ExportState
from caunoi.reports.official import document_context, document_language, template_file
from caunoi.reports.sections import Period
from caunoi.reports.selectors import periodic_report_data, report_data

logger = logging.getLogger(__name__)

FOLD_EVERY = timedelta(hours=1)


@task()
def fold_counters(reschedule: bool = True) -> int:
    """Merge the counters' shards of every day before today into one row each (readers sum
    shards either way; this keeps the rows they read few). Queues its own next run."""
    folded = counters.fold(before=timezone.localdate())
    if reschedule:
        fold_schedule()
    return folded


def fold_schedule() -> bool:
    """Queue the next fold, unless one is already waiting. True when queued."""
    return enqueue_unless_waiting(fold_counters, True, after=FOLD_EVERY)


def _progress(export: Export, percent: int) -> None:
    Export.objects.filter(pk=export.pk).update(progress=percent)


def _file_name(export: Export) -> str:
    return f"bao-cao-{export.unit.slug}-{export.start:%Y%m%d}-{export.end:%Y%m%d}.{export.format}"


def _data(export: Export, period: Period) -> dict[str, Any]:
    if export.report is not None:
        return periodic_report_data(export.report)
    return report_data(unit=export.unit, period=period)


def export_bytes(export: Export, progress: Any = lambda percent: None) -> bytes:
    """The file. A spreadsheet is a working file, in the language of whoever asked for it; the
    Word document is the unit's official document, in its document language throughout."""
    period = Period(export.start, export.end, export.kind)
    if export.format == "xlsx":
        data = _data(export, period)
        progress(20)
        return spreadsheets.render(data=data, progress=progress)
    with translation.override(document_language(export.unit)):
        data = _data(export, period)
        progress(20)
        context = document_context(unit=export.unit, period=period, report=export.report)
        with template_file(export.unit) as source:
            return documents.render(
                data=data, context=context, template_file=source, progress=progress
            )


@task()
def export_run(export_id: int) -> None:
    export = Export.objects.select_related("unit", "report", "requested_by").get(pk=export_id)
    Export.objects.filter(pk=export.pk).update(state=ExportState.RUNNING, progress=5)
    try:
        with translation.override(export.requested_by.language or "vi"):
            content = export_bytes(export, lambda percent: _progress(export, percent))
    except CaunoiError as error:
        Export.objects.filter(pk=export.pk).update(state=ExportState.FAILED, error=str(error))
        return
    except Exception:
        logger.exception("report export %s failed", export_id)
        Export.objects.filter(pk=export.pk).update(
            state=ExportState.FAILED, error=f"export {export_id}"
        )
        raise
    with transaction.atomic():
        export.file.save(_file_name(export), ContentFile(content), save=False)
        Export.objects.filter(pk=export.pk).update(
            file=export.file.name, state=ExportState.DONE, progress=100
        )
    from caunoi.reports.services import exports_purge

    exports_purge()  # no cron: each finished export clears the files past their keeping time
