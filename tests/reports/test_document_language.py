"""The Word document is the unit's official document: written wholly in its document language
(Vietnamese unless the unit chooses otherwise), whatever the language of the screen it is
exported from; the settings screen around it is bilingual."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from caunoi.core.errors import CaunoiError
from caunoi.core.models import RoleName, User
from caunoi.reports import services
from caunoi.reports.models import DocumentSettings
from tests.conftest import World, logged_in, make_person
from tests.reports.conftest import SampleSection
from tests.reports.test_dashboard import _export, figures  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _english_viewer(world: World) -> tuple[User, Client]:
    person = make_person("xem.tienganh", world.province, RoleName.VIEWER)
    person.language = "en"
    person.save()
    return person, logged_in(person)


def _header_and_cells(raw: bytes) -> tuple[list[str], list[list[str]], str]:
    word = Document(io.BytesIO(raw))
    header = [c.text for row in word.tables[0].rows for c in row.cells]
    cells = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    return header, cells, "\n".join(p.text for p in word.paragraphs)


def test_an_english_screen_still_exports_the_vietnamese_official_document(
    figures: SampleSection,  # noqa: F811
    world: World,
) -> None:
    _person, client = _english_viewer(world)
    header, cells, text = _header_and_cells(_export(client, world.commune.pk, "docx"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1]
    assert header[0].splitlines()[1] == "ỦY BAN NHÂN DÂN XÃ ĐÔNG"
    assert header[2].startswith("Số:")
    assert ", ngày " in header[3]
    assert "BÁO CÁO" in text
    assert "quý I năm 2026" in text
    assert ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Cùng kỳ năm trước"] in cells
    assert "Nơi nhận:" in [c for row in cells for c in row][-2]


def test_a_unit_that_writes_in_english_gets_an_english_document_from_a_vietnamese_screen(
    figures: SampleSection,  # noqa: F811
    world: World,
) -> None:
    preparer = make_person("soan.xa", world.commune, RoleName.UNIT_ADMIN)
    services.settings_save(
        unit=world.commune,
        symbol="UBND",
        place="Lang Son",
        signer_title="Chairman",
        signer_name="",
        recipients="",
        template=None,
        language="en",
        by=preparer,
    )
    client = logged_in(make_person("xem.tinh", world.province, RoleName.VIEWER))
    header, cells, text = _header_and_cells(_export(client, world.commune.pk, "docx"))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in header[1]
    assert "Independence - Freedom - Happiness" in header[1]
    assert header[0].splitlines()[1] == "PEOPLE'S COMMITTEE OF XÃ ĐÔNG"
    assert header[2].startswith("No.:")
    assert header[3].startswith("Lang Son, ")
    assert "ngày" not in header[3]
    assert "BÁO CÁO" not in text
    assert not any("Chỉ tiêu" in row for row in cells)
    assert DocumentSettings.objects.get(unit=world.commune).language == "en"


def test_the_document_settings_screen_is_bilingual_and_refuses_an_unknown_language(
    world: World,
) -> None:
    admin = make_person("quantri.xa", world.commune, RoleName.UNIT_ADMIN)
    admin.language = "en"
    admin.save()
    page = logged_in(admin).get(f"/staff/dashboard/{world.commune.pk}/documents/").content.decode()
    assert "Document language" in page
    assert "Vietnamese" in page
    with pytest.raises(CaunoiError):
        services.settings_save(
            unit=world.commune,
            symbol="X",
            place="",
            signer_title="",
            signer_name="",
            recipients="",
            template=None,
            language="fr",
            by=admin,
        )
    assert not DocumentSettings.objects.filter(unit=world.commune).exists()
