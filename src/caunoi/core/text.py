"""Vietnamese text: one folding function for every search in caunoi.

fold() makes "Ủy ban", "Uỷ ban", "UY BAN" and "uy ban" the same key, and "đường" → "duong".
SQLite's LIKE and lower() only fold ASCII, so every search compares folded text.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

_D = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFC, lower case, no combining marks, đ → d, single spaces."""
    text = unicodedata.normalize("NFC", text).lower().translate(_D)
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", bare)).strip()


def slug_for(text: str) -> str:
    """A URL slug from any name: "Phường Hoàn Kiếm" → "phuong-hoan-kiem"."""
    return slugify(fold(text))
