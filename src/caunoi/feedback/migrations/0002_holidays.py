"""Pre-load the public holidays of the configured calendar (settings.CAUNOI_HOLIDAY_CALENDAR)."""

from typing import Any

from django.conf import settings
from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from caunoi.feedback.calendars import holidays

    day_model = apps.get_model("feedback", "CalendarDay")
    known = set(day_model.objects.values_list("day", flat=True))
    day_model.objects.bulk_create(
        day_model(day=day, kind=kind, name=name)
        for day, kind, name in holidays(settings.CAUNOI_HOLIDAY_CALENDAR)
        if day not in known
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
