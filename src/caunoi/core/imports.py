"""Importing units: Vietnam's official list, or any country's list from a CSV file.

Both are idempotent (a unit is found again by its official code) and all-or-nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from caunoi.core import audit
from caunoi.core.errors import CaunoiError, ImportRejected, RowError
from caunoi.core.models import Unit, UnitKind, User
from caunoi.core.services import free_slug
from caunoi.core.text import slug_for

CSV_COLUMNS = ("code", "name", "kind", "parent_code")
Progress = Callable[[int], object]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.moved + self.unchanged


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    kind: str
    parent_code: str


def _upsert(
    row: UnitRow, parents: dict[str, Unit], result: ImportResult, existing: dict[str, Unit]
) -> Unit:
    parent = parents.get(row.parent_code) if row.parent_code else None
    unit = existing.get(row.code)
    if unit is None:
        fields = {
            "name": row.name,
            "kind": row.kind,
            "code": row.code,
            "slug": free_slug(parent, slug_for(row.name) or row.code.lower()),
        }
        unit = (
            Unit.objects.add_child(parent, fields)
            if parent is not None
            else Unit.objects.add_root(fields)
        )
        result.created += 1
    else:
        current_parent_path = str(unit.path)[: -Unit.steplen] if unit.depth > 1 else None
        wanted_parent_path = str(parent.path) if parent is not None else None
        if current_parent_path != wanted_parent_path and parent is not None:
            Unit.objects.move(unit, parent, pos="last-child")
            unit = Unit.objects.get(pk=unit.pk)
            result.moved += 1
        if unit.name != row.name or unit.kind != row.kind:
            unit.name, unit.kind = row.name, row.kind
            unit.save()
            result.updated += 1
        elif current_parent_path == wanted_parent_path:
            result.unchanged += 1
    result.codes.append(row.code)
    return unit


def _apply(
    rows: list[UnitRow], *, by: User | None, action: str, progress: Progress | None
) -> ImportResult:
    """Write validated rows, parents before children, in one transaction."""
    result = ImportResult()
    with transaction.atomic():
        existing = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows])}
        parents = {
            u.code: u
            for u in Unit.objects.filter(code__in={r.parent_code for r in rows if r.parent_code})
        }
        for row in rows:
            unit = _upsert(row, parents, result, existing)
            parents[row.code] = unit
            if progress is not None:
                progress(1)
        audit.record(
            action,
            actor=by,
            unit=parents.get(rows[0].code) if rows else None,
            changes={
                "created": [None, result.created],
                "updated": [None, result.updated],
                "moved": [None, result.moved],
            },
        )
    return result


# --- CSV --------------------------------------------------------------------------------------


def _parse_csv(handle: IO[str]) -> list[UnitRow]:
    text = handle.read()
    if text.startswith("\ufeff"):  # Excel writes a BOM in front of UTF-8 CSV.
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != CSV_COLUMNS:
        raise ImportRejected(
            [
                RowError(
                    1,
                    _("cột phải là %(want)s theo đúng thứ tự; tệp có %(got)s")
                    % {"want": ",".join(CSV_COLUMNS), "got": ",".join(header) or _("(trống)")},
                )
            ]
        )
    errors: list[RowError] = []
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(CSV_COLUMNS):
            errors.append(
                RowError(
                    number,
                    _("có %(n)d ô, cần %(want)d") % {"n": len(cells), "want": len(CSV_COLUMNS)},
                )
            )
            continue
        code, name, kind, parent_code = (c.strip() for c in cells)
        if not code:
            errors.append(RowError(number, _("thiếu mã (code)")))
        elif code in seen:
            errors.append(
                RowError(
                    number,
                    _("mã %(code)s đã có ở dòng %(line)d") % {"code": code, "line": seen[code]},
                )
            )
        else:
            seen[code] = number
        if not name:
            errors.append(RowError(number, _("thiếu tên (name)")))
        if kind not in UnitKind.values:
            errors.append(
                RowError(
                    number,
                    _("loại “%(kind)s” không hợp lệ; dùng %(kinds)s")
                    % {"kind": kind, "kinds": ", ".join(UnitKind.values)},
                )
            )
        if parent_code == code and code:
            errors.append(RowError(number, _("đơn vị không thể là cấp trên của chính nó")))
        rows.append(UnitRow(number, code, name, kind, parent_code))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, _("tệp không có dòng dữ liệu nào"))])
    return rows


def _ordered(rows: list[UnitRow]) -> list[UnitRow]:
    """Parents before children; report parent codes found neither in the file nor in caunoi."""
    by_code = {r.code: r for r in rows}
    known = set(
        Unit.objects.filter(code__in={r.parent_code for r in rows if r.parent_code}).values_list(
            "code", flat=True
        )
    )
    errors: list[RowError] = []
    ordered: list[UnitRow] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(row: UnitRow) -> None:
        if state.get(row.code) == 2:
            return
        if state.get(row.code) == 1:
            errors.append(
                RowError(row.line, _("vòng lặp cấp trên qua mã %(code)s") % {"code": row.code})
            )
            return
        state[row.code] = 1
        if row.parent_code and row.parent_code in by_code:
            visit(by_code[row.parent_code])
        elif row.parent_code and row.parent_code not in known:
            errors.append(
                RowError(
                    row.line,
                    _("mã cấp trên %(code)s không có trong tệp cũng như trong caunoi")
                    % {"code": row.parent_code},
                )
            )
        state[row.code] = 2
        ordered.append(row)

    for row in rows:
        visit(row)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return ordered


def units_import_csv(
    handle: IO[str], *, by: User | None, progress: Progress | None = None
) -> ImportResult:
    """Import units from CSV columns code,name,kind,parent_code. Any bad row: nothing written."""
    rows = _ordered(_parse_csv(handle))
    if by is not None and not by.is_superuser:
        raise CaunoiError(_("Chỉ quản trị hệ thống mới nhập được danh sách đơn vị."))
    return _apply(rows, by=by, action="caunoi.units.imported_csv", progress=progress)


# --- Vietnam ------------------------------------------------------------------------------------


_VN_KINDS = {"tỉnh": UnitKind.PROVINCE, "thành phố trung ương": UnitKind.PROVINCE}


def vn_province_codes() -> dict[str, str]:
    """{"20": "Tỉnh Lạng Sơn", ...} from the vietnam-provinces package (two tiers, 2025)."""
    from vietnam_provinces import Province

    return {f"{p.code.value:02d}": p.name for p in Province.iter_all()}


def vn_rows(province_codes: Iterable[str] | None = None) -> list[UnitRow]:
    from vietnam_provinces import Province, ProvinceCode, Ward

    provinces = list(Province.iter_all())
    if province_codes is not None:
        wanted = {int(c) for c in province_codes}
        provinces = [p for p in provinces if p.code.value in wanted]
    rows: list[UnitRow] = []
    for province in sorted(provinces, key=lambda p: p.code.value):
        pcode = f"{province.code.value:02d}"
        rows.append(UnitRow(0, pcode, province.name, UnitKind.PROVINCE, ""))
        wards = Ward.iter_by_province(ProvinceCode(province.code))
        for ward in sorted(wards, key=lambda w: w.code.value):
            rows.append(UnitRow(0, f"{ward.code.value:05d}", ward.name, UnitKind.COMMUNE, pcode))
    return rows


def units_import_vn(
    *,
    province_codes: list[str] | None = None,
    by: User | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import Vietnam's provinces and their communes (post-July-2025 two tiers)."""
    if province_codes:
        known = vn_province_codes()
        unknown = [c for c in province_codes if c.zfill(2) not in known or not c.isdigit()]
        if unknown:
            raise CaunoiError(
                _("Không có tỉnh nào mang mã %(codes)s. Các mã hợp lệ: %(valid)s.")
                % {"codes": ", ".join(unknown), "valid": ", ".join(sorted(known))}
            )
        province_codes = [c.zfill(2) for c in province_codes]
    if by is not None and not by.is_superuser:
        raise CaunoiError(_("Chỉ quản trị hệ thống mới nhập được danh sách đơn vị."))
    return _apply(
        vn_rows(province_codes), by=by, action="caunoi.units.imported_vn", progress=progress
    )
