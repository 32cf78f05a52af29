"""Certificates of completion as PDF, in the Vietnamese administrative layout: issuing body and
number on the left, the national motto on the right, the title, the holder, the course, and the
place, date and signature block. Drawn server-side with fpdf2 in Source Serif Pro (SIL OFL,
shipped by the font-source-serif-pro package), whose Regular and Bold cover every Vietnamese
letter."""

from __future__ import annotations

from importlib import resources

from django.utils import timezone
from fpdf import FPDF

from caunoi.core.errors import CaunoiError
from caunoi.core.models import Unit, UnitKind
from caunoi.training.models import Participant

_FONTS = resources.files("font_source_serif_pro") / "files"
INK = (20, 20, 20)
RED = (160, 20, 20)


class CertificateError(CaunoiError):
    pass


def _pdf() -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(18, 14, 18)
    for style, name in (("", "Regular"), ("B", "Bold")):
        with resources.as_file(_FONTS / f"SourceSerifPro-{name}.ttf") as path:
            pdf.add_font("Serif", style, str(path))
    pdf.set_title("Giấy chứng nhận")
    pdf.set_creator("caunoi")
    return pdf


def _line(pdf: FPDF, text: str, *, size: float, bold: bool = False, x: float, w: float) -> None:
    pdf.set_font("Serif", "B" if bold else "", size)
    pdf.set_x(x)
    pdf.multi_cell(w, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _home_unit(participant: Participant) -> Unit:
    """Where the holder works: their role unit inside the session's unit, else the session's."""
    within = participant.session.unit
    for role in participant.person.roles.select_related("unit").order_by("unit__depth"):
        if role.unit.is_within(within):
            found: Unit = role.unit
            return found
    return within


def certificate_pdf(participant: Participant) -> bytes:
    """The certificate of one participant who completed their session."""
    if not participant.completed:
        raise CertificateError(_not_completed())
    session = participant.session
    course = session.course
    issuer = course.unit
    issued = timezone.localtime(participant.completed_at or session.ends_at)
    held = timezone.localtime(session.starts_at)
    pdf = _pdf()
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, 275, 188)
    pdf.set_text_color(*INK)

    top = 18
    pdf.set_y(top)
    parent = Unit.objects.get_parent(issuer) if issuer.depth > 1 else None
    if parent is not None:
        _line(pdf, parent.name.upper(), size=11, x=18, w=110)
    _line(pdf, issuer.name.upper(), size=11, bold=True, x=18, w=110)
    _line(pdf, f"Số: {participant.certificate_number}", size=11, x=18, w=110)
    pdf.set_y(top)
    _line(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, x=140, w=140)
    _line(pdf, "Độc lập - Tự do - Hạnh phúc", size=12, bold=True, x=140, w=140)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    y = pdf.get_y() + 0.5
    pdf.line(185, y, 235, y)

    pdf.set_y(58)
    pdf.set_text_color(*RED)
    _line(pdf, "GIẤY CHỨNG NHẬN", size=30, bold=True, x=18, w=261)
    pdf.set_text_color(*INK)
    pdf.ln(6)
    _line(pdf, f"{issuer.name} chứng nhận", size=14, x=18, w=261)
    pdf.ln(2)
    _line(pdf, f"Ông/Bà: {participant.person}", size=20, bold=True, x=18, w=261)
    pdf.ln(2)
    _line(pdf, f"Đơn vị công tác: {_home_unit(participant).name}", size=14, x=18, w=261)
    pdf.ln(2)
    _line(pdf, "Đã hoàn thành chương trình tập huấn", size=14, x=18, w=261)
    _line(pdf, f"“{course.topic}”", size=16, bold=True, x=30, w=237)
    pdf.ln(1)
    where = f" tại {session.place}" if session.place else ""
    _line(
        pdf,
        f"{session.get_level_display()}, ngày {held:%d/%m/%Y}{where}.",
        size=13,
        x=18,
        w=261,
    )

    pdf.set_y(150)
    stamp = f"{_locality(issuer)}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
    _line(pdf, stamp, size=12, x=160, w=120)
    _line(pdf, "THỦ TRƯỞNG ĐƠN VỊ", size=12, bold=True, x=160, w=120)
    _line(pdf, "(Ký, ghi rõ họ tên, đóng dấu)", size=10, x=160, w=120)
    data: bytes = bytes(pdf.output())
    return data


_PREFIXES = ("Thành phố ", "Tỉnh ", "Thị xã ", "Thị trấn ", "Huyện ", "Quận ", "Xã ", "Phường ")


def _locality(unit: Unit) -> str:
    """ "Lạng Sơn" for Tỉnh Lạng Sơn: the place name a Vietnamese document is dated from."""
    place = unit
    while place.kind == UnitKind.ORGANIZATION and place.depth > 1:
        place = Unit.objects.get_parent(place)
    name = str(place.name)
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _not_completed() -> str:
    from django.utils.translation import gettext as _

    return _("Chỉ cấp giấy chứng nhận cho học viên đã hoàn thành lớp.")
