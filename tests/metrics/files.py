"""Files shaped like the exports people upload (Facebook, Zalo, our template)."""

from __future__ import annotations

import csv
import io


def csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Facebook's Page data export: a header row, then a row describing each column.
FB_PAGE = [
    [
        "Date",
        "Lifetime Total Likes",
        "Daily New Likes",
        "Daily Total Reach",
        "Daily Total Impressions",
        "Daily Page Engaged Users",
    ],
    [
        "",
        "Lifetime: The total number of people who have liked your Page. (Unique Users)",
        "Daily: The number of new people who have liked your Page. (Unique Users)",
        "Daily: The number of people who had any content from your Page or about your Page "
        "enter their screen. (Unique Users)",
        "Daily: The number of times any content from your Page entered a person's screen. "
        "(Total Count)",
        "Daily: The number of people who engaged with your Page. (Unique Users)",
    ],
    ["2026-01-01", "3200", "4", "310", "900", "25"],
    ["2026-01-02", "3204", "5", "290", "850", "21"],
    ["2026-01-03", "3210", "6", "1,400", "3,100", "80"],
]

# Facebook's Post data export (legacy layout), lifetime figures per post.
FB_POSTS = [
    [
        "Post ID",
        "Permalink",
        "Post Message",
        "Type",
        "Posted",
        "Lifetime Post Total Reach",
        "Lifetime Post Total Impressions",
        "Lifetime Talking About This (Post) by action type - comment",
        "Lifetime Talking About This (Post) by action type - like",
        "Lifetime Talking About This (Post) by action type - share",
        "Lifetime Post Consumptions",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "Lifetime: The number of people who had your Page's post enter their "
        "screen. (Unique Users)",
        "Lifetime: ...",
        "Lifetime: ...",
        "Lifetime: ...",
        "Lifetime: ...",
        "Lifetime: ...",
    ],
    [
        "111_222",
        "https://www.facebook.com/111/posts/222",
        "Lịch tiếp công dân",
        "Photo",
        "01/05/2026 08:30:00 AM",
        "1200",
        "2000",
        "4",
        "30",
        "2",
        "15",
    ],
    [
        "111_333",
        "https://www.facebook.com/111/posts/333",
        "Cảnh báo lừa đảo",
        "Link",
        "01/06/2026 09:00:00 AM",
        "5400",
        "9000",
        "20",
        "140",
        "60",
        "300",
    ],
]

ZALO = [
    ["Ngày", "Tổng người quan tâm", "Người quan tâm mới", "Bỏ quan tâm", "Lượt xem"],
    ["01/02/2026", "1500", "12", "1", "340"],
    ["02/02/2026", "1511", "11", "0", "290"],
]
