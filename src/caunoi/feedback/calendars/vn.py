"""Vietnam's public holidays (Labour Code 2019, art. 112): New Year, Tết (five days around the
lunar new year), the Hùng Kings' commemoration (10th day of the 3rd lunar month), 30 April,
1 May, National Day (2 September and the day before). Lunar dates are listed per year."""

from __future__ import annotations

from datetime import date, timedelta

# Lunar new year's day and the Hùng Kings' day, in the solar calendar.
_LUNAR = {
    2024: (date(2024, 2, 10), date(2024, 4, 18)),
    2025: (date(2025, 1, 29), date(2025, 4, 7)),
    2026: (date(2026, 2, 17), date(2026, 4, 26)),
    2027: (date(2027, 2, 6), date(2027, 4, 16)),
    2028: (date(2028, 1, 26), date(2028, 4, 4)),
}


def rows() -> list[tuple[date, str, str]]:
    out: list[tuple[date, str, str]] = []
    for year, (tet, hung) in _LUNAR.items():
        out.append((date(year, 1, 1), "holiday", "Tết Dương lịch"))
        for offset in range(-1, 4):
            out.append((tet + timedelta(days=offset), "holiday", "Tết Nguyên đán"))
        out.append((hung, "holiday", "Giỗ Tổ Hùng Vương"))
        out.append((date(year, 4, 30), "holiday", "Ngày Giải phóng miền Nam, thống nhất đất nước"))
        out.append((date(year, 5, 1), "holiday", "Ngày Quốc tế Lao động"))
        out.append((date(year, 9, 1), "holiday", "Quốc khánh"))
        out.append((date(year, 9, 2), "holiday", "Quốc khánh"))
    return out
