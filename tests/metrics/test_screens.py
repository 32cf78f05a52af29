from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caunoi.channels.models import Channel
from caunoi.core.models import RoleName, User
from caunoi.metrics.models import ChannelFigure, ImportBatch
from caunoi.metrics.services import FigureIn, figures_write
from tests.conftest import World, logged_in, make_person
from tests.metrics.files import FB_PAGE, csv_bytes


def _upload(client: object, unit_pk: int, channel: Channel, data: bytes, name: str = "p.csv"):  # type: ignore[no-untyped-def]
    return client.post(  # type: ignore[attr-defined]
        reverse("metrics:import", args=[unit_pk]),
        {"channel": channel.pk, "layout": "auto", "file": SimpleUploadedFile(name, data)},
    )


def test_an_officer_uploads_previews_and_confirms_a_file(
    world: World, page: Channel, officer: User
) -> None:
    client = logged_in(officer)
    answer = _upload(client, world.commune.pk, page, csv_bytes(FB_PAGE))
    batch = ImportBatch.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("metrics:import_preview", args=[batch.pk])
    preview = client.get(answer["Location"])
    assert "Daily Total Reach" in preview.content.decode()
    assert not ChannelFigure.objects.exists()
    done = client.post(reverse("metrics:import_confirm", args=[batch.pk]))
    assert done.status_code == 302
    assert ChannelFigure.objects.filter(channel=page, metric="reach").count() == 3
    overview = client.get(
        reverse("metrics:overview", args=[world.commune.pk])
        + "?start=2026-01-01&end=2026-01-31&grain=day"
    )
    assert 'data-testid="metrics-reach">2000<' in overview.content.decode()


def test_a_wrong_file_shows_each_line_to_fix_and_imports_nothing(
    world: World, page: Channel, officer: User
) -> None:
    rows = [FB_PAGE[0], ["31/31/2026", "1", "1", "1", "1", "1"]]
    answer = _upload(logged_in(officer), world.commune.pk, page, csv_bytes(rows))
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "31/31/2026" in text
    assert 'data-testid="import-errors"' in text
    assert not ImportBatch.objects.exists()
    assert not ChannelFigure.objects.exists()


def test_a_viewer_sees_figures_but_cannot_open_the_import_screen(
    world: World, page: Channel
) -> None:
    viewer = make_person("xem.dong", world.commune, RoleName.VIEWER)
    client = logged_in(viewer)
    assert client.get(reverse("metrics:overview", args=[world.commune.pk])).status_code == 200
    assert client.get(reverse("metrics:import", args=[world.commune.pk])).status_code == 403


def test_staff_of_one_commune_cannot_see_another_communes_figures(
    world: World, officer: User
) -> None:
    client = logged_in(officer)
    assert client.get(reverse("metrics:overview", args=[world.sibling.pk])).status_code == 403


def test_the_template_downloads_in_both_formats_and_imports_back(
    world: World, page: Channel, officer: User
) -> None:
    client = logged_in(officer)
    for fmt in ("csv", "xlsx"):
        answer = client.get(reverse("metrics:template", args=[fmt]))
        assert answer.status_code == 200
        _upload(client, world.commune.pk, page, answer.content, f"mau.{fmt}")
    assert ImportBatch.objects.count() == 2
    assert client.get(reverse("metrics:template", args=["pdf"])).status_code == 404


def test_the_home_page_shows_reach_of_the_year(world: World, page: Channel, officer: User) -> None:
    from django.utils import timezone

    figures_write(
        channel=page,
        figures=[FigureIn(timezone.localdate(), "reach", "x", 4321)],
        source="file",
    )
    text = logged_in(officer).get(reverse("staff:home")).content.decode()
    assert 'data-testid="metrics-home"' in text
    assert 'data-testid="metrics-reach">4321<' in text
