from __future__ import annotations

import io

import pytest

from caunoi.core.errors import CaunoiError, ImportRejected
from caunoi.core.imports import units_import_csv, units_import_vn, vn_province_codes
from caunoi.core.models import AuditEntry, Unit, UnitKind
from tests.conftest import World

GOOD = """code,name,kind,parent_code
P9,Province Nine,province,
C91,Commune One,commune,P9
V911,Village A,village,C91
O9,Youth Union,organization,P9
"""


def _csv(text: str) -> io.StringIO:
    return io.StringIO(text)


@pytest.mark.django_db
def test_it_imports_a_country_from_csv_parents_after_children_too() -> None:
    shuffled = (
        "code,name,kind,parent_code\n"
        "V911,Village A,village,C91\nC91,Commune One,commune,P9\nP9,Province Nine,province,\n"
    )
    result = units_import_csv(_csv(shuffled), by=None)
    assert result.created == 3
    village = Unit.objects.get(code="V911")
    assert [a.code for a in Unit.objects.get_ancestors(village)] == ["P9", "C91"]


@pytest.mark.django_db
def test_csv_import_is_idempotent_and_follows_renames_and_moves() -> None:
    units_import_csv(_csv(GOOD), by=None)
    again = units_import_csv(_csv(GOOD), by=None)
    assert (again.created, again.updated, again.moved, again.unchanged) == (0, 0, 0, 4)
    changed = GOOD.replace("Village A,village,C91", "Village A renamed,village,O9")
    result = units_import_csv(_csv(changed), by=None)
    assert (result.moved, result.updated) == (1, 1)
    village = Unit.objects.get(code="V911")
    assert village.name == "Village A renamed"
    assert Unit.objects.get_parent(village).code == "O9"


@pytest.mark.django_db
def test_it_refuses_wrong_columns_and_imports_nothing() -> None:
    with pytest.raises(ImportRejected) as caught:
        units_import_csv(_csv("code;name;kind;parent\nP1;X;province;\n"), by=None)
    assert caught.value.errors[0].line == 1
    assert "code,name,kind,parent_code" in caught.value.errors[0].message
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_it_names_every_bad_row_and_imports_nothing() -> None:
    bad = GOOD + "C92,,commune,P9\nC93,Three,hamlet,P9\nC91,Dup,commune,P9\nC94,Four,commune,NOPE\n"
    with pytest.raises(ImportRejected) as caught:
        units_import_csv(_csv(bad), by=None)
    lines = {(e.line, e.message.split(" ")[0]) for e in caught.value.errors}
    assert {line for line, _ in lines} == {6, 7, 8}  # the first pass stops before parent checks
    assert Unit.objects.count() == 0
    with pytest.raises(ImportRejected) as caught:
        units_import_csv(_csv(GOOD + "C94,Four,commune,NOPE\n"), by=None)
    assert caught.value.errors[0].line == 6
    assert "NOPE" in caught.value.errors[0].message
    assert Unit.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_it_reports_a_parent_cycle() -> None:
    cycle = "code,name,kind,parent_code\nA,A,commune,B\nB,B,commune,A\n"
    with pytest.raises(ImportRejected, match="vòng lặp"):
        units_import_csv(_csv(cycle), by=None)


@pytest.mark.django_db
def test_csv_rows_may_hang_under_units_already_in_caunoi(world: World) -> None:
    units_import_csv(_csv("code,name,kind,parent_code\nV7,Bản Bảy,village,C1\n"), by=None)
    assert Unit.objects.get_parent(Unit.objects.get(code="V7")) == world.commune


@pytest.mark.django_db
def test_it_imports_one_vietnamese_province_with_all_its_communes() -> None:
    result = units_import_vn(province_codes=["20"], by=None)
    province = Unit.objects.get(code="20")
    assert province.name == "Lạng Sơn"
    communes = Unit.objects.get_children(province)
    assert result.created == 66 == communes.count() + 1
    assert communes.filter(name="Xã Đình Lập", kind=UnitKind.COMMUNE).exists()
    again = units_import_vn(province_codes=["20"], by=None)
    assert again.created == 0
    assert again.unchanged == 66


@pytest.mark.django_db
def test_it_refuses_an_unknown_province_code() -> None:
    with pytest.raises(CaunoiError, match="99"):
        units_import_vn(province_codes=["99"], by=None)
    assert Unit.objects.count() == 0


def test_the_province_list_is_the_post_2025_one() -> None:
    codes = vn_province_codes()
    assert len(codes) == 34
    assert codes["20"] == "Lạng Sơn"
